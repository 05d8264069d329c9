import { hotReads } from "../../registry/hot-reads";
import { accessInRegistry } from "../../auth/data-plane-access";
import { grantedActions } from "../../auth/tokens";
import { blobStore } from "../../registry/blob-store";
import { parseDigest } from "../../core/digest";
import { rangeInvalid, isWharfError } from "../../core/errors";
import { splitName } from "../../core/names";
import { ensureRepository, findRepository, type Repo } from "../../registry/repository-resolver";
import { uploadSessions, type ChunkOpts } from "../../registry/upload-session";
import { assertRepositoryWritable } from "../../registry/locks";
import { repoUrl, send, type Ctx } from "../context";
import { contentLength, hasBody } from "../request";

/** Range header of an upload: Distribution's "0-<last byte>" (0-0 when empty). */
function rangeOf(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}

function sessionHeaders(ctx: Ctx, id: string, size: number) {
  return {
    Location: repoUrl(ctx, `blobs/uploads/${id}`),
    Range: rangeOf(size),
    "Docker-Upload-UUID": id,
  };
}

function blobCreated(ctx: Ctx, digest: string) {
  send(ctx.res, 201, { Location: repoUrl(ctx, `blobs/${digest}`), "Docker-Content-Digest": digest });
}

/** POST /v2/<name>/blobs/uploads/: new session, monolithic upload (?digest=) or cross-repository mount (?mount=&from=). */
export async function startUpload(ctx: Ctx): Promise<void> {
  const q = ctx.url.searchParams;
  const repo = await ensureRepository(ctx.ref);
  // A write-locked repository takes no pushes: say so before any bytes are sent.
  await assertRepositoryWritable(repo);
  const mount = q.get("mount");
  if (mount) {
    const digest = parseDigest(mount).value;
    if (await tryMount(ctx, repo, digest, q.get("from"))) return blobCreated(ctx, digest);
    // Not mountable: the client falls back to uploading, in this new session.
  }
  const digest = q.get("digest");
  if (digest !== null && !mount) {
    parseDigest(digest);
    const desc = await uploadSessions.upload(repo, digest, hasBody(ctx.req) ? ctx.req : undefined, { length: contentLength(ctx.req) });
    return blobCreated(ctx, desc.digest);
  }
  const session = await uploadSessions.start(repo);
  send(ctx.res, 202, sessionHeaders(ctx, session.id, 0));
}

/**
 * A mount links a blob the registry already holds. `from` must be in the same
 * registry, link the blob, and be pullable by the caller (a grant in the token,
 * as clients ask for it). Without `from`, any repository of the registry will do.
 */
async function tryMount(ctx: Ctx, repo: Repo, digest: string, from: string | null): Promise<boolean> {
  if (await blobStore.stat(repo.id, digest)) return true;
  if (from) {
    let source;
    try {
      const ref = splitName(from, ctx.hostRegistry);
      if (ref.registry !== repo.registry) return false;
      if (!grantedActions(ctx.claims, "repository", ref.fullName).has("pull") && !grantedActions(ctx.claims, "repository", ref.fullName).has("*")) return false;
      source = await findRepository(ref);
    } catch (err) {
      if (isWharfError(err)) return false; // invalid or unknown source: upload instead
      throw err;
    }
    if (!(await blobStore.stat(source.id, digest)) || !(await hotReads().repositoryReadable(source.id))) return false;
    return blobStore.link(repo.id, digest);
  }
  // Without `from`: any repository of this registry that links the blob and that
  // the caller may pull from.
  const access = await accessInRegistry(await ctx.principal(), repo.registry);
  if (!access) return false;
  const holders = await blobStore.repositoriesLinking(repo.registryId, digest);
  if (!holders.some((name) => access(name).has("pull"))) return false;
  return blobStore.link(repo.id, digest);
}

/** GET /v2/<name>/blobs/uploads/<uuid>: how many bytes the session holds. */
export async function uploadStatus(ctx: Ctx): Promise<void> {
  const repo = await findRepository(ctx.ref);
  const s = await uploadSessions.status(repo, ctx.params.uuid);
  send(ctx.res, 204, sessionHeaders(ctx, s.id, s.size));
}

/** Content-Range and Content-Length of a chunk (PATCH, or the last one on PUT). */
function chunkOpts(ctx: Ctx): ChunkOpts {
  const header = ctx.req.headers["content-range"];
  const length = contentLength(ctx.req);
  if (header === undefined) return { length };
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) {
    throw rangeInvalid(`Content-Range '${header}' is not '<first byte>-<last byte>'. Send e.g. Content-Range: 0-1023 for the first 1024 bytes.`, {
      contentRange: header,
    });
  }
  return { range: { start: Number(m[1]), end: Number(m[2]) }, length };
}

/** PATCH: a chunk, in order (Content-Range start = bytes held), or a stream without Content-Range. */
export async function patchUpload(ctx: Ctx): Promise<void> {
  const repo = await findRepository(ctx.ref);
  const s = await uploadSessions.append(repo, ctx.params.uuid, ctx.req, chunkOpts(ctx));
  send(ctx.res, 202, sessionHeaders(ctx, s.id, s.size));
}

/** PUT ?digest=: the optional last chunk, then verify and publish. */
export async function finishUpload(ctx: Ctx): Promise<void> {
  const repo = await findRepository(ctx.ref);
  const digest = ctx.url.searchParams.get("digest");
  parseDigest(digest);
  const body = hasBody(ctx.req);
  const desc = await uploadSessions.finish(repo, ctx.params.uuid, digest!, body ? ctx.req : undefined, body ? chunkOpts(ctx) : {});
  blobCreated(ctx, desc.digest);
}

export async function cancelUpload(ctx: Ctx): Promise<void> {
  const repo = await findRepository(ctx.ref);
  await uploadSessions.cancel(repo, ctx.params.uuid);
  send(ctx.res, 204, {});
}
