import type { z } from "zod";
import { manifestInvalid } from "../core/errors";
import {
  MAX_JSON_DEPTH,
  artifactManifestSchema,
  dockerListSchema,
  dockerManifestSchema,
  imageIndexSchema,
  imageManifestSchema,
  jsonNestingExceeds,
  type Descriptor,
} from "./manifest-schema";
import { DOCKER_LIST, DOCKER_MANIFEST, DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED, OCI_ARTIFACT, OCI_INDEX, OCI_MANIFEST, isManifestType, type ManifestMediaType } from "./media-types";

/** A descriptor and where the manifest names it ("layers[2]"), for messages. */
export type Reference = { at: string; d: Descriptor };

/** What the store needs from a validated manifest. */
export type ParsedManifest = {
  mediaType: ManifestMediaType;
  artifactType: string | null;
  subject: Descriptor | null;
  config: Descriptor | null;
  /** Every blob the repository must hold: config and layers (an artifact manifest's blobs). */
  blobs: Reference[];
  /** Index entries: manifests the repository must hold. */
  children: Reference[];
  /** Sum of the sizes of blobs (or children), at most Number.MAX_SAFE_INTEGER. */
  contentSize: number;
};

const SCHEMAS = {
  [OCI_MANIFEST]: imageManifestSchema,
  [OCI_INDEX]: imageIndexSchema,
  [OCI_ARTIFACT]: artifactManifestSchema,
  [DOCKER_MANIFEST]: dockerManifestSchema,
  [DOCKER_LIST]: dockerListSchema,
} as const;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** ["layers", 2, "annotations", "org.example"] → layers[2].annotations["org.example"] */
function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (IDENTIFIER.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

function invalidShape(error: z.ZodError, mediaType: string): never {
  const issue = error.issues[0];
  const where = issue.path.length ? `'${pathText(issue.path)}'` : "The manifest";
  throw manifestInvalid(`${where} ${issue.message} (${mediaType}). Fix the manifest and push it again.`, {
    field: pathText(issue.path),
    mediaType,
  });
}

/** The type a manifest is stored and served as: from Content-Type and the body's mediaType, which must agree. */
function mediaTypeOf(doc: Record<string, unknown>, contentType: string | undefined): ManifestMediaType {
  const ct = contentType?.split(";")[0].trim().toLowerCase();
  const bodyType = typeof doc.mediaType === "string" ? doc.mediaType : undefined;
  if (isManifestType(ct)) {
    if (bodyType && bodyType !== ct) throw manifestInvalid(`The manifest says mediaType ${bodyType} but was sent as ${ct}; they must match.`);
    return ct;
  }
  // A vendor Content-Type (Docker schema 1, or any type we do not store) names a format the body is not: refused,
  // not reinterpreted from the body. Generic types (application/json, none) let the body's mediaType decide.
  if (ct?.startsWith("application/vnd.")) {
    const schema1 = ct === DOCKER_SCHEMA1 || ct === DOCKER_SCHEMA1_SIGNED;
    throw manifestInvalid(
      schema1
        ? `Docker schema 1 manifests (${ct}) are not supported. Push a schema 2 or OCI manifest (e.g. docker push with a current Docker, or skopeo copy --format v2s2).`
        : `Unsupported manifest media type ${JSON.stringify(ct)}. Use ${OCI_MANIFEST}, ${OCI_INDEX}, ${DOCKER_MANIFEST}, ${DOCKER_LIST} or ${OCI_ARTIFACT}, matching the body's mediaType.`,
      { contentType: ct },
    );
  }
  if (isManifestType(bodyType)) return bodyType;
  // Neither says: an OCI manifest or index, told apart by its fields (image-spec's guessing rule).
  if (!bodyType) return Array.isArray(doc.manifests) ? OCI_INDEX : OCI_MANIFEST;
  throw manifestInvalid(
    `Unsupported manifest media type ${JSON.stringify(ct ?? bodyType)}. Use ${OCI_MANIFEST}, ${OCI_INDEX}, ${DOCKER_MANIFEST}, ${DOCKER_LIST} or ${OCI_ARTIFACT}.`,
  );
}

function sumOf(refs: Reference[]): number {
  let total = 0;
  for (const r of refs) total += r.d.size;
  if (!Number.isSafeInteger(total)) {
    throw manifestInvalid(`The sizes in the manifest add up to more than ${Number.MAX_SAFE_INTEGER} bytes. Check the descriptors' sizes.`);
  }
  return total;
}

const refs = (list: Descriptor[] | null | undefined, field: string): Reference[] => (list ?? []).map((d, i) => ({ at: `${field}[${i}]`, d }));

/** Parses and validates manifest bytes; throws MANIFEST_INVALID saying which field is wrong and how. */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  if (jsonNestingExceeds(bytes, MAX_JSON_DEPTH)) {
    throw manifestInvalid(`The manifest nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep. No manifest needs that; flatten it.`, {
      limit: MAX_JSON_DEPTH,
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw manifestInvalid("The manifest is not valid JSON. Check the file you are pushing.");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw manifestInvalid("The manifest must be a JSON object.");
  const mediaType = mediaTypeOf(doc as Record<string, unknown>, contentType);

  if (mediaType === OCI_INDEX || mediaType === DOCKER_LIST) {
    const r = SCHEMAS[mediaType].safeParse(doc);
    if (!r.success) invalidShape(r.error, mediaType);
    // A Docker list's schema strips artifactType and subject: they stay undefined here.
    const m = r.data as z.infer<typeof imageIndexSchema>;
    const children = refs(m.manifests, "manifests");
    return { mediaType, artifactType: m.artifactType ?? null, subject: m.subject ?? null, config: null, blobs: [], children, contentSize: sumOf(children) };
  }
  if (mediaType === OCI_ARTIFACT) {
    const r = SCHEMAS[OCI_ARTIFACT].safeParse(doc);
    if (!r.success) invalidShape(r.error, mediaType);
    const blobs = refs(r.data.blobs, "blobs");
    return { mediaType, artifactType: r.data.artifactType, subject: r.data.subject ?? null, config: null, blobs, children: [], contentSize: sumOf(blobs) };
  }
  const r = SCHEMAS[mediaType].safeParse(doc);
  if (!r.success) invalidShape(r.error, mediaType);
  const m = r.data as z.infer<typeof imageManifestSchema>;
  const blobs = [{ at: "config", d: m.config }, ...refs(m.layers, "layers")];
  return {
    mediaType,
    // Referrers report the config's media type when an image manifest names no artifactType (OCI 1.1).
    artifactType: m.artifactType ?? (mediaType === OCI_MANIFEST ? m.config.mediaType : null),
    subject: m.subject ?? null,
    config: m.config,
    blobs,
    children: [],
    contentSize: sumOf(blobs),
  };
}
