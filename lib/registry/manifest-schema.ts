import { z } from "zod";
import { isDigest } from "../core/digest";
import { OCI_ARTIFACT } from "./media-types";

/**
 * The shapes of the manifests we store (OCI image-spec manifest.md, image-index.md, descriptor.md; Docker image
 * manifest v2 schema 2 and manifest list), as zod schemas. Messages are predicates: the parser puts the field's path
 * in front ("layers[2].size must not be negative").
 */

/** Objects and arrays nested deeper than this are refused before JSON.parse sees them. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests objects/arrays deeper than `limit`: one pass over the bytes, no recursion, so a
 * 100,000-deep document costs a scan, not a stack. Brackets inside strings do not count.
 */
export function jsonNestingExceeds(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // '\': the next byte is escaped (a quote or a backslash)
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** "is required" when absent, else "must be <what>". */
const expect = (what: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? "is required" : `must be ${what}`) });

// RFC 6838 type/subtype, optional parameters.
const MEDIA_TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;.*)?$/;
const mediaType = z.string(expect("a media type string")).regex(MEDIA_TYPE_RE, "must be a media type such as application/vnd.oci.image.layer.v1.tar+gzip");

export const annotationsSchema = z.record(z.string(), z.string(expect("a string (annotations map strings to strings)")), expect("a map of string to string"));

const platformSchema = z.object(
  {
    architecture: z.string(expect("a string such as amd64")),
    os: z.string(expect("a string such as linux")),
    "os.version": z.string(expect("a string")).optional(),
    "os.features": z.array(z.string(expect("a string")), expect("an array of strings")).optional(),
    variant: z.string(expect("a string such as v8")).optional(),
    features: z.array(z.string(expect("a string")), expect("an array of strings")).optional(),
  },
  expect("an object with os and architecture"),
);

export const descriptorSchema = z.object(
  {
    mediaType,
    digest: z.string(expect("a digest string")).refine(isDigest, "must be sha256:<64 lower-case hex digits> or sha512:<128 lower-case hex digits>"),
    // z.int() keeps sizes within Number.MAX_SAFE_INTEGER: a database integer and a sum of a few can hold them.
    size: z.number(expect("a number of bytes")).int("must be a whole number of bytes, at most 2^53 - 1").min(0, "must not be negative"),
    urls: z.array(z.string(expect("a URL string")), expect("an array of URLs")).optional(),
    annotations: annotationsSchema.optional(),
    data: z.string(expect("base64 text")).optional(),
    artifactType: mediaType.optional(),
    platform: platformSchema.optional(),
  },
  expect("a descriptor object (mediaType, digest, size)"),
);
export type Descriptor = z.infer<typeof descriptorSchema>;

const schemaVersion2 = z.literal(2, {
  error: (iss) =>
    `must be 2 (got ${JSON.stringify(iss.input) ?? "nothing"}): only schema 2 manifests are supported; Docker schema 1 is obsolete, re-push with a current client`,
});
const descriptors = z.array(descriptorSchema, expect("an array of descriptors"));
// Go clients marshal a nil slice as null (regctl image create sends "layers": null): the same as no layers.
const optionalDescriptors = descriptors.nullish();
const absent = (why: string) => z.never({ error: why }).optional();

/** OCI image manifest; also an artifact when it names an artifactType (OCI 1.1). */
export const imageManifestSchema = z.object({
  schemaVersion: schemaVersion2,
  mediaType: z.string().optional(),
  artifactType: mediaType.optional(),
  config: descriptorSchema,
  layers: optionalDescriptors,
  subject: descriptorSchema.optional(),
  annotations: annotationsSchema.optional(),
  // A document that is both a manifest and an index would be read differently by different clients.
  manifests: absent("must not be present in an image manifest (is this an index? send it as one)"),
});

/** OCI image index. */
export const imageIndexSchema = z.object({
  schemaVersion: schemaVersion2,
  mediaType: z.string().optional(),
  artifactType: mediaType.optional(),
  manifests: descriptors,
  subject: descriptorSchema.optional(),
  annotations: annotationsSchema.optional(),
  config: absent("must not be present in an index (is this an image manifest? send it as one)"),
  layers: absent("must not be present in an index (is this an image manifest? send it as one)"),
});

/** Docker image manifest v2 schema 2: the OCI image manifest's shape, without subject or artifactType. */
export const dockerManifestSchema = imageManifestSchema.omit({ artifactType: true, subject: true });

/** Docker manifest list: the OCI index's shape, without subject or artifactType. */
export const dockerListSchema = imageIndexSchema.omit({ artifactType: true, subject: true });

/** OCI artifact manifest (1.1 release candidates): blobs instead of config + layers, no schemaVersion. */
export const artifactManifestSchema = z.object({
  mediaType: z.literal(OCI_ARTIFACT),
  artifactType: mediaType,
  blobs: optionalDescriptors,
  subject: descriptorSchema.optional(),
  annotations: annotationsSchema.optional(),
});
