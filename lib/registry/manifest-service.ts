import { db } from "../core/db";
import { digestOf, isDigest, parseDigest } from "../core/digest";
import { digestInvalid, manifestBlobUnknown, manifestInvalid, manifestTooLarge, manifestUnknown } from "../core/errors";
import { manifestBytes } from "./manifest-cache";
import { DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, isForeignLayer, isIndexType, isManifestType } from "./media-types";
import { isValidTag } from "../core/names";
import { blobDataPath } from "./paths";
import type { Repo } from "./repository-resolver";
import { storage } from "./storage";
import { digestLock } from "./keyed-lock";
import { hotReads } from "./hot-reads";
import { deleteBlockedBy, lockDenied, type LockedThing } from "./locks";

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export type StoredManifest = { digest: string; mediaType: string; size: number };
export type Descriptor = {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
  urls?: unknown;
};

/** Image manifests and indexes of one repository: validated, stored byte-exact, addressed by digest or tag. */
export interface ManifestService {
  put(repo: Repo, reference: string, bytes: Buffer, contentType: string | undefined): Promise<{ digest: string; subject: string | null; mediaType: string }>;
  /** Row of a manifest by tag or digest; throws ManifestUnknown, or Denied when a read lock forbids pulling it. */
  resolve(repo: Repo, reference: string): Promise<StoredManifest>;
  bytes(m: StoredManifest): Promise<Buffer>;
  /**
   * What to send for a client's Accept list: the stored manifest when accepted;
   * for an index the client cannot read, its linux/amd64 image (as Distribution does).
   */
  negotiate(repo: Repo, m: StoredManifest, accept: string[] | null): Promise<StoredManifest>;
  /** By digest: the manifest and its tags. By tag: only the tag. Refused (Denied) by delete or write locks. */
  delete(repo: Repo, reference: string): Promise<void>;
  referrers(repo: Repo, digest: string, artifactType?: string): Promise<Descriptor[]>;
}

type Parsed = {
  mediaType: string;
  artifactType: string | null;
  subject: Descriptor | null;
  config: Descriptor | null;
  blobs: Descriptor[]; // config + layers the registry must hold
  children: Descriptor[]; // index entries
  contentSize: number;
};

function descriptor(v: unknown, where: string): Descriptor {
  const d = v as Descriptor;
  if (!d || typeof d !== "object" || typeof d.mediaType !== "string" || typeof d.digest !== "string" || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw manifestInvalid(`${where} is not a valid descriptor: it needs mediaType, digest and a non-negative integer size.`, { where });
  }
  if (!isDigest(d.digest)) throw manifestInvalid(`${where} has an invalid digest '${d.digest}'.`, { where, digest: d.digest });
  return d;
}

function parseManifest(bytes: Buffer, contentType: string | undefined): Parsed {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw manifestInvalid("The manifest is not valid JSON. Check the file you are pushing.");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw manifestInvalid("The manifest must be a JSON object.");
  if (doc.schemaVersion !== 2) {
    throw manifestInvalid(`Only schemaVersion 2 manifests are supported (got ${JSON.stringify(doc.schemaVersion)}); Docker schema 1 is obsolete, re-push with a current client.`);
  }
  const ct = contentType?.split(";")[0].trim().toLowerCase();
  const bodyType = typeof doc.mediaType === "string" ? doc.mediaType : undefined;
  let mediaType: string | undefined;
  if (isManifestType(ct)) {
    if (bodyType && bodyType !== ct) throw manifestInvalid(`The manifest says mediaType ${bodyType} but was sent as ${ct}; they must match.`);
    mediaType = ct;
  } else if (isManifestType(bodyType)) {
    mediaType = bodyType;
  } else if (!bodyType && !ct?.startsWith("application/vnd.")) {
    mediaType = Array.isArray(doc.manifests) ? OCI_INDEX : OCI_MANIFEST;
  }
  if (!mediaType) {
    throw manifestInvalid(`Unsupported manifest media type ${JSON.stringify(ct ?? bodyType)}. Use ${OCI_MANIFEST}, ${OCI_INDEX}, ${DOCKER_MANIFEST} or ${DOCKER_LIST}.`);
  }
  const artifactType = typeof doc.artifactType === "string" ? doc.artifactType : null;
  const subject = doc.subject === undefined ? null : descriptor(doc.subject, "subject");
  if (isIndexType(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw manifestInvalid("An index needs a 'manifests' array.");
    const children = doc.manifests.map((m, i) => descriptor(m, `manifests[${i}]`));
    return { mediaType, artifactType, subject, config: null, blobs: [], children, contentSize: children.reduce((s, c) => s + c.size, 0) };
  }
  const config = descriptor(doc.config, "config");
  if (doc.layers !== undefined && !Array.isArray(doc.layers)) throw manifestInvalid("'layers' must be an array.");
  const layers = ((doc.layers as unknown[]) ?? []).map((l, i) => descriptor(l, `layers[${i}]`));
  const blobs = [config, ...layers.filter((l) => !isForeignLayer(l.mediaType, l.urls))];
  return {
    mediaType,
    // Referrers report the config's media type when a manifest names no artifactType (OCI 1.1).
    artifactType: artifactType ?? (mediaType === OCI_MANIFEST ? config.mediaType : null),
    subject,
    config,
    blobs,
    children: [],
    contentSize: config.size + layers.reduce((s, l) => s + l.size, 0),
  };
}

function platformOf(d: Descriptor): string | null {
  const p = d.platform;
  if (!p?.os || !p.architecture) return null;
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}

async function checkReferences(repo: Repo, parsed: Parsed): Promise<void> {
  if (parsed.blobs.length) {
    const want = [...new Set(parsed.blobs.map((b) => b.digest))];
    const links = await db().blobLink.findMany({
      where: { repositoryId: repo.id, digest: { in: want } },
      select: { digest: true, blob: { select: { size: true } } },
    });
    const sizes = new Map(links.map((l) => [l.digest, Number(l.blob.size)]));
    for (const b of parsed.blobs) {
      const size = sizes.get(b.digest);
      if (size === undefined) {
        throw manifestBlobUnknown(`The manifest references blob ${b.digest}, which is not in ${repo.fullName}. Push the blob (or mount it) before the manifest.`, {
          digest: b.digest,
        });
      }
      if (size !== b.size) {
        throw manifestInvalid(`The manifest says blob ${b.digest} has ${b.size} bytes but the stored blob has ${size}. Fix the descriptor's size.`, {
          digest: b.digest,
        });
      }
    }
  }
  if (parsed.children.length) {
    const want = [...new Set(parsed.children.map((c) => c.digest))];
    const found = await db().manifest.findMany({ where: { repositoryId: repo.id, digest: { in: want } }, select: { digest: true } });
    const have = new Set(found.map((f) => f.digest));
    for (const c of parsed.children) {
      if (!have.has(c.digest)) {
        throw manifestBlobUnknown(`The index references manifest ${c.digest}, which is not in ${repo.fullName}. Push the platform manifests before the index.`, {
          digest: c.digest,
        });
      }
    }
  }
}

async function storeBytes(digest: string, bytes: Buffer): Promise<void> {
  const path = blobDataPath(digest);
  await digestLock().run(digest, async () => {
    const st = await storage().stat(path);
    if (!st || st.size !== bytes.length) await storage().putContent(path, bytes);
    await db().blob.upsert({ where: { digest }, create: { digest, size: BigInt(bytes.length) }, update: {} });
  });
}

function readLocked(repo: Repo, m: StoredManifest & { readLock?: LockedThing["level"] | null }, tag: string | null) {
  const level = m.readLock!;
  const thing: LockedThing =
    level === "repository" ? { level, repository: repo.fullName } : level === "tag" ? { level, repository: repo.fullName, tag: tag! } : { level, repository: repo.fullName, digest: m.digest };
  return lockDenied("read", thing, "readEnabled");
}

export const manifestService: ManifestService = {
  async put(repo, reference, bytes, contentType) {
    if (bytes.length > MAX_MANIFEST_BYTES) throw manifestTooLarge(`The manifest is larger than ${MAX_MANIFEST_BYTES} bytes (the limit). Reduce it, e.g. split a very large index.`);
    const byDigest = isDigest(reference);
    if (!byDigest && !isValidTag(reference)) {
      throw manifestInvalid(`'${reference}' is not a valid tag: use up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'.`, { tag: reference });
    }
    const parsed = parseManifest(bytes, contentType);
    const digest = digestOf("sha256", bytes);
    if (byDigest) {
      const want = parseDigest(reference);
      const actual = want.algorithm === "sha256" ? digest : digestOf(want.algorithm, bytes);
      if (actual !== want.value) {
        throw digestInvalid(`The manifest bytes have digest ${actual}, not ${reference}. Push it by tag, or by its real digest.`, { expected: reference, actual });
      }
    }
    await checkReferences(repo, parsed);
    await storeBytes(digest, bytes);
    manifestBytes().set(digest, bytes);
    await db().$transaction(async (tx) => {
      let m = await tx.manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest } }, select: { id: true } });
      // Locks, checked in the transaction that writes: re-pushing what is already
      // there changes nothing and is allowed; anything else is refused.
      const tag = byDigest
        ? null
        : await tx.tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: reference } }, select: { manifestId: true, writeEnabled: true } });
      const changesTag = !byDigest && (!tag || !m || tag.manifestId !== m.id);
      const r = await tx.repository.findUnique({ where: { id: repo.id }, select: { writeEnabled: true } });
      const repoLocked = r?.writeEnabled === false;
      if (repoLocked && (!m || changesTag)) throw lockDenied("write", { level: "repository", repository: repo.fullName }, "writeEnabled");
      if (tag && changesTag && !tag.writeEnabled) throw lockDenied("write", { level: "tag", repository: repo.fullName, tag: reference }, "writeEnabled");
      const touchTag = !byDigest && (changesTag || (!repoLocked && tag?.writeEnabled !== false));
      if (!m) {
        m = await tx.manifest.create({
          data: {
            repositoryId: repo.id,
            digest,
            mediaType: parsed.mediaType,
            artifactType: parsed.artifactType,
            size: bytes.length,
            subjectDigest: parsed.subject?.digest ?? null,
            configDigest: parsed.config?.digest ?? null,
            contentSize: BigInt(parsed.contentSize),
          },
          select: { id: true },
        });
        const refs = new Map<string, { manifestId: string; digest: string; kind: string; size: bigint; platform: string | null }>();
        for (const b of parsed.blobs) refs.set(b.digest, { manifestId: m.id, digest: b.digest, kind: "blob", size: BigInt(b.size), platform: null });
        for (const c of parsed.children) {
          refs.set(c.digest, { manifestId: m.id, digest: c.digest, kind: "manifest", size: BigInt(c.size), platform: platformOf(c) });
        }
        if (refs.size) await tx.manifestReference.createMany({ data: [...refs.values()] });
      }
      // An unlocked tag is written even when unchanged, so a re-push counts as its latest update.
      if (touchTag) {
        await tx.tag.upsert({
          where: { repositoryId_name: { repositoryId: repo.id, name: reference } },
          create: { repositoryId: repo.id, name: reference, manifestId: m.id },
          update: { manifestId: m.id },
        });
      }
    });
    return { digest, subject: parsed.subject?.digest ?? null, mediaType: parsed.mediaType };
  },

  async resolve(repo, reference) {
    if (isDigest(reference)) {
      const m = await hotReads().manifestByDigest(repo.id, reference);
      if (!m) throw manifestUnknown(`Manifest ${reference} is not in ${repo.fullName}.`, { digest: reference });
      if (m.readLock) throw readLocked(repo, m, null);
      return m;
    }
    if (!isValidTag(reference)) throw manifestInvalid(`'${reference}' is neither a tag nor a digest.`, { reference });
    const m = await hotReads().manifestByTag(repo.id, reference);
    if (!m) throw manifestUnknown(`Tag '${reference}' is not in ${repo.fullName}. List the tags with GET /v2/${repo.fullName}/tags/list.`, { tag: reference });
    if (m.readLock) throw readLocked(repo, m, reference);
    return m;
  },

  async bytes(m) {
    const hit = manifestBytes().get(m.digest);
    if (hit) return hit;
    const b = await storage().getContent(blobDataPath(m.digest));
    manifestBytes().set(m.digest, b);
    return b;
  },

  async negotiate(repo, m, accept) {
    if (!accept || accept.length === 0 || accept.includes("*/*") || accept.includes(m.mediaType)) return m;
    if (!isIndexType(m.mediaType)) return m; // like Distribution and ACR: an image manifest is served as stored
    const child = await db().manifestReference.findFirst({
      where: { manifest: { repositoryId: repo.id, digest: m.digest }, kind: "manifest", platform: "linux/amd64" },
      select: { digest: true },
    });
    const resolved = child ? await db().manifest.findUnique({
      where: { repositoryId_digest: { repositoryId: repo.id, digest: child.digest } },
      select: { digest: true, mediaType: true, size: true, readEnabled: true },
    }) : null;
    if (resolved && !resolved.readEnabled) throw lockDenied("read", { level: "manifest", repository: repo.fullName, digest: resolved.digest }, "readEnabled");
    if (!resolved || !accept.includes(resolved.mediaType)) {
      throw manifestUnknown(`${m.digest} is an index (${m.mediaType}) and the client accepts only ${accept.join(", ")}. Upgrade the client, or pull a platform manifest by digest.`, {
        digest: m.digest,
      });
    }
    return resolved;
  },

  async delete(repo, reference) {
    const flags = { writeEnabled: true, deleteEnabled: true } as const;
    await db().$transaction(async (tx) => {
      // Locks are read in the deleting transaction, so a lock set just before wins.
      const r = await tx.repository.findUnique({ where: { id: repo.id }, select: flags });
      const repoBlock = r && deleteBlockedBy(r);
      if (isDigest(reference)) {
        const m = await tx.manifest.findUnique({
          where: { repositoryId_digest: { repositoryId: repo.id, digest: reference } },
          select: { id: true, ...flags, tags: { select: { name: true, ...flags } } },
        });
        if (!m) throw manifestUnknown(`Manifest ${reference} is not in ${repo.fullName}.`, { digest: reference });
        if (repoBlock) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, repoBlock);
        const own = deleteBlockedBy(m);
        if (own) throw lockDenied("delete", { level: "manifest", repository: repo.fullName, digest: reference }, own);
        // Deleting a manifest deletes its tags: a locked tag keeps it.
        for (const t of m.tags) {
          const field = deleteBlockedBy(t);
          if (field) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: t.name }, field);
        }
        await tx.manifest.delete({ where: { id: m.id } });
        return;
      }
      const t = await tx.tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: reference } }, select: { id: true, ...flags } });
      if (!t) throw manifestUnknown(`Tag '${reference}' is not in ${repo.fullName}.`, { tag: reference });
      if (repoBlock) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, repoBlock);
      const field = deleteBlockedBy(t);
      if (field) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: reference }, field);
      await tx.tag.delete({ where: { id: t.id } });
    });
  },

  async referrers(repo, digest, artifactType) {
    parseDigest(digest);
    const rows = await db().manifest.findMany({
      where: { repositoryId: repo.id, subjectDigest: digest, ...(artifactType ? { artifactType } : {}) },
      select: { digest: true, mediaType: true, size: true, artifactType: true },
      orderBy: { createdAt: "asc" },
    });
    const out: Descriptor[] = [];
    for (const r of rows) {
      const d: Descriptor = { mediaType: r.mediaType, digest: r.digest, size: r.size };
      if (r.artifactType) d.artifactType = r.artifactType;
      try {
        const doc = JSON.parse((await this.bytes(r)).toString("utf8"));
        if (doc.annotations && typeof doc.annotations === "object") d.annotations = doc.annotations;
      } catch {
        /* annotations are optional; the descriptor is still right */
      }
      out.push(d);
    }
    return out;
  },
};
