import { db, retryLostRace, type Tx } from "../core/db";
import { serializeKey } from "./row-locks";
import { digestOf, parseDigest, type Digest } from "../core/digest";
import { digestInvalid, manifestBlobUnknown, manifestInvalid, manifestTooLarge } from "../core/errors";
import { isValidTag } from "../core/names";
import { digestLock } from "./keyed-lock";
import { BlobBeingCollected, retryWhileCollected, useBlob } from "./gc-queue";
import { refuseWriteOnce } from "./tag-rules";
import { lockDenied } from "./locks";
import { manifestBytes } from "./manifest-cache";
import { parseManifest, type ParsedManifest, type Reference } from "./manifest-parse";
import { blobDataPath, blobDir } from "./paths";
import { createRepositoryIn, rememberRepository, type NewRepo, type Repo } from "./repository-resolver";
import { storage } from "./storage";
import { emitEvent, eventsCommitted, type EventOrigin } from "./events";

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export type PutResult = { digest: string; subject: string | null; mediaType: string };


// Digests per query: far below every database's bound on bound parameters.
const QUERY_CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += QUERY_CHUNK) out.push(items.slice(i, i + QUERY_CHUNK));
  return out;
}

/** Sizes of what the repository holds among `digests`: linked blobs, or its manifests. */
async function storedSizes(repo: Repo | NewRepo, kind: "blob" | "manifest", digests: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  // A repository that does not exist yet holds nothing.
  if (repo.id === null) return sizes;
  for (const part of chunks([...new Set(digests)])) {
    if (kind === "blob") {
      const links = await db().blobLink.findMany({
        where: { repositoryId: repo.id, digest: { in: part } },
        select: { digest: true, blob: { select: { size: true } } },
      });
      for (const l of links) sizes.set(l.digest, Number(l.blob.size));
    } else {
      const rows = await db().manifest.findMany({ where: { repositoryId: repo.id, digest: { in: part } }, select: { digest: true, size: true } });
      for (const m of rows) sizes.set(m.digest, m.size);
    }
  }
  return sizes;
}

/**
 * Every descriptor must name content this repository holds, with its exact size: layers with `urls` and
 * non-distributable layers too (the registry serves whatever the manifest names, so it must have it).
 */
async function checkReferences(repo: Repo | NewRepo, parsed: ParsedManifest): Promise<void> {
  const check = async (list: Reference[], kind: "blob" | "manifest") => {
    if (!list.length) return;
    const sizes = await storedSizes(repo, kind, list.map((r) => r.d.digest));
    for (const { at, d } of list) {
      const size = sizes.get(d.digest);
      if (size === undefined) {
        throw kind === "blob"
          ? manifestBlobUnknown(`The manifest's ${at} is blob ${d.digest}, which is not in ${repo.fullName}. Push the blob (or mount it) before the manifest.`, {
              digest: d.digest,
              field: at,
            })
          : manifestBlobUnknown(`The index's ${at} is manifest ${d.digest}, which is not in ${repo.fullName}. Push the platform manifests before the index.`, {
              digest: d.digest,
              field: at,
            });
      }
      if (size !== d.size) {
        const what = kind === "blob" ? "blob" : "manifest";
        throw manifestInvalid(`${at} says ${what} ${d.digest} has ${d.size} bytes, but the stored ${what} has ${size}. Fix the descriptor's size.`, {
          digest: d.digest,
          field: at,
          size: d.size,
          stored: size,
        });
      }
    }
  };
  await check(parsed.blobs, "blob");
  await check(parsed.children, "manifest");
}

function platformOf(r: Reference): string | null {
  const p = r.d.platform;
  if (!p?.os || !p.architecture) return null;
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}

/**
 * The blobs a new manifest names must still be linked when it is recorded: garbage collection may have removed a
 * link no manifest named since the references were checked. The update is the link's write lock, so a collector
 * reviewing the same link either went first (the push is refused, nothing lost) or waits and then sees this manifest.
 */
async function requireLinks(tx: Tx, repo: Repo, parsed: ParsedManifest): Promise<void> {
  const digests = [...new Set(parsed.blobs.map((b) => b.d.digest))];
  const now = new Date();
  let found = 0;
  for (const part of chunks(digests)) {
    found += (await tx.blobLink.updateMany({ where: { repositoryId: repo.id, digest: { in: part } }, data: { lastReferencedAt: now } })).count;
  }
  if (found === digests.length) return;
  const have = new Set((await tx.blobLink.findMany({ where: { repositoryId: repo.id, digest: { in: digests } }, select: { digest: true } })).map((l) => l.digest));
  const missing = parsed.blobs.find((b) => !have.has(b.d.digest))!;
  throw manifestBlobUnknown(`The manifest's ${missing.at} is blob ${missing.d.digest}, which is no longer in ${repo.fullName} (it was removed as unused). Push the blob again, then the manifest.`, {
    digest: missing.d.digest,
    field: missing.at,
  });
}

/** The rows of one push, in the caller's transaction; locks are read here, so a lock set just before wins. */
async function record(tx: Tx, repo: Repo, reference: string, byDigest: boolean, digest: string, size: number, parsed: ParsedManifest): Promise<void> {
  // PostgreSQL: two pushes creating the same tag at once would both insert it; the later one waits and moves it.
  if (!byDigest) await serializeKey(tx, `tag:${repo.id}/${reference}`);
  let m = await tx.manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest } }, select: { id: true } });
  // Re-pushing what is already there changes nothing and is allowed; anything else is refused.
  const tag = byDigest
    ? null
    : await tx.tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: reference } }, select: { manifestId: true, writeEnabled: true } });
  const changesTag = !byDigest && (!tag || !m || tag.manifestId !== m.id);
  const r = await tx.repository.findUnique({ where: { id: repo.id }, select: { writeEnabled: true } });
  const repoLocked = r?.writeEnabled === false;
  if (repoLocked && (!m || changesTag)) throw lockDenied("write", { level: "repository", repository: repo.fullName }, "writeEnabled");
  if (tag && changesTag && !tag.writeEnabled) throw lockDenied("write", { level: "tag", repository: repo.fullName, tag: reference }, "writeEnabled");
  const touchTag = !byDigest && (changesTag || (!repoLocked && tag?.writeEnabled !== false));
  // A write-once tag may be created, never moved.
  if (tag && changesTag) await refuseWriteOnce(tx, repo, reference, "move");
  if (!m) {
    await requireLinks(tx, repo, parsed);
    m = await tx.manifest.create({
      data: {
        repositoryId: repo.id,
        digest,
        mediaType: parsed.mediaType,
        artifactType: parsed.artifactType,
        size,
        subjectDigest: parsed.subject?.digest ?? null,
        configDigest: parsed.config?.digest ?? null,
        contentSize: BigInt(parsed.contentSize),
      },
      select: { id: true },
    });
    const refs = new Map<string, { manifestId: string; digest: string; kind: string; size: bigint; platform: string | null }>();
    for (const b of parsed.blobs) refs.set(b.d.digest, { manifestId: m.id, digest: b.d.digest, kind: "blob", size: BigInt(b.d.size), platform: null });
    for (const c of parsed.children) refs.set(c.d.digest, { manifestId: m.id, digest: c.d.digest, kind: "manifest", size: BigInt(c.d.size), platform: platformOf(c) });
    for (const part of chunks([...refs.values()])) await tx.manifestReference.createMany({ data: part });
  }
  // An unlocked tag is written even when unchanged, so a re-push counts as its latest update.
  if (touchTag) {
    await tx.tag.upsert({
      where: { repositoryId_name: { repositoryId: repo.id, name: reference } },
      create: { repositoryId: repo.id, name: reference, manifestId: m.id },
      update: { manifestId: m.id },
    });
    if (changesTag) {
      await tx.$executeRaw`UPDATE "Manifest" SET "untaggedAt" = NULL WHERE "id" = ${m.id} AND "untaggedAt" IS NOT NULL`;
      if (tag) await markIfUntagged(tx, tag.manifestId);
    }
  }
}

/**
 * Retention counts an untagged manifest's age from the moment it lost its last tag. Raw SQL: a Prisma update would
 * also move the manifest's updatedAt, which lists and purge read as its last push.
 */
export async function markIfUntagged(tx: Tx, manifestId: string): Promise<void> {
  if (!(await tx.tag.count({ where: { manifestId } }))) await tx.$executeRaw`UPDATE "Manifest" SET "untaggedAt" = ${new Date()} WHERE "id" = ${manifestId}`;
}

/**
 * Bytes of a push whose rows were not written: removed unless a Blob or Manifest row names the digest (then they
 * were there before, for someone else). Best effort: the push has failed either way, and its error is what counts.
 */
async function dropUnclaimedBytes(digest: string): Promise<void> {
  try {
    const [blobs, manifests] = await Promise.all([db().blob.count({ where: { digest } }), db().manifest.count({ where: { digest } })]);
    if (!blobs && !manifests) await storage().delete(blobDir(digest));
  } catch {
    /* the database is what failed: garbage collection of orphan bytes is the backstop */
  }
}

function checkReference(reference: string): Digest | null {
  // A digest of an algorithm we know, even malformed, is meant as one: DIGEST_INVALID says what is wrong with it.
  if (/^sha(256|512):/.test(reference)) return parseDigest(reference);
  if (!isValidTag(reference)) {
    throw manifestInvalid(
      `'${reference}' is neither a valid tag (up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-') nor a digest (sha256:<64 hex digits>). Push to a valid tag or digest.`,
      { reference },
    );
  }
  return null;
}

async function emitPush(tx: Tx, repo: Repo, tag: string | null, digest: string, size: number, mediaType: string, by: EventOrigin): Promise<void> {
  const target = { mediaType, size, digest, length: size, repository: repo.name, ...(tag ? { tag } : {}) };
  await emitEvent(tx, {
    ...by,
    action: "manifest.push",
    target: tag ? `${repo.fullName}:${tag}` : `${repo.fullName}@${digest}`,
    registryId: repo.registryId,
    repository: repo.name,
    tag: tag ?? undefined,
    digest,
    hook: { action: "push", target },
  });
}

/**
 * Validates and stores a manifest byte-exact under its digest (sha256, or the algorithm of the digest it was pushed
 * by), then records it and moves the tag, in one transaction. A failure leaves neither rows nor bytes behind; a
 * repository the push names that does not exist yet is created in that transaction, so a refused push creates none.
 * Given who pushed (`by`), the push is an event (activity row, webhook outbox) in the same transaction; the cache's
 * fills pass none: storing what a pull fetched is not a push.
 */
export async function putManifest(target: Repo | NewRepo, reference: string, bytes: Buffer, contentType: string | undefined, by?: EventOrigin): Promise<PutResult> {
  if (bytes.length > MAX_MANIFEST_BYTES) throw manifestTooLarge(`The manifest is larger than ${MAX_MANIFEST_BYTES} bytes (the limit). Reduce it, e.g. split a very large index.`);
  const want = checkReference(reference);
  const parsed = parseManifest(bytes, contentType);
  const digest = digestOf(want?.algorithm ?? "sha256", bytes);
  if (want && digest !== want.value) {
    throw digestInvalid(`The manifest bytes have digest ${digest}, not ${reference}. Push it by tag, or by its real digest.`, { expected: reference, actual: digest });
  }
  await checkReferences(target, parsed);
  // The bytes are written inside the transaction that claims the blob (its first statement): a collector of the
  // same digest either finished before (and its mark is gone) or finds the manifest when it looks.
  const repo = await digestLock().run(digest, () =>
    retryWhileCollected(async () => {
      try {
        // A push that moves a tag off a manifest being deleted, or names one, runs again on what the delete left.
        return await retryLostRace(() => db().$transaction(async (tx) => {
          await useBlob(tx, digest, bytes.length);
          const path = blobDataPath(digest);
          const st = await storage().stat(path);
          if (!st || st.size !== bytes.length) await storage().putContent(path, bytes);
          const into = target.id === null ? await createRepositoryIn(tx, target) : target;
          await record(tx, into, reference, want !== null, digest, bytes.length, parsed);
          if (by) await emitPush(tx, into, want ? null : reference, digest, bytes.length, parsed.mediaType, by);
          return into;
        }));
      } catch (err) {
        if (!(err instanceof BlobBeingCollected)) await dropUnclaimedBytes(digest);
        throw err;
      }
    }),
  );
  if (target.id === null) rememberRepository(repo);
  manifestBytes().set(digest, bytes);
  eventsCommitted();
  return { digest, subject: parsed.subject?.digest ?? null, mediaType: parsed.mediaType };
}
