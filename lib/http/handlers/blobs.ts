import { blobStore, blobUnknownIn } from "../../registry/blob-store";
import { config } from "../../core/context";
import { parseDigest } from "../../core/digest";
import { blobDataPath } from "../../registry/paths";
import { findRepository } from "../../registry/repository-resolver";
import { storage } from "../../registry/storage";
import { assertRepositoryDeletable, assertRepositoryReadable } from "../../registry/locks";
import { send, type Ctx } from "../context";
import { sendOciError } from "../oci-errors";
import { blobThroughCache } from "./cache-pull";

const SMALL_BLOB = 64 * 1024;

/** GET/HEAD /v2/<name>/blobs/<digest>, with single byte ranges. */
export async function getBlob(ctx: Ctx): Promise<void> {
  if (await blobThroughCache(ctx)) return;
  const digest = parseDigest(ctx.params.digest).value;
  const repo = await findRepository(ctx.ref);
  const desc = await blobStore.stat(repo.id, digest);
  if (!desc) throw blobUnknownIn(digest);
  await assertRepositoryReadable(repo);
  const headers: Record<string, string | number> = {
    "Docker-Content-Digest": digest,
    "Content-Type": "application/octet-stream",
    "Accept-Ranges": "bytes",
    ETag: `"${digest}"`,
    // Content-addressed: the bytes behind this URL never change.
    "Cache-Control": "max-age=31536000",
  };
  const rangeHeader = ctx.req.headers.range;
  const range = rangeHeader ? parseRange(rangeHeader, desc.size) : null;
  if (range === "unsatisfiable") {
    ctx.res.setHeader("Content-Range", `bytes */${desc.size}`);
    return sendOciError(ctx.req, ctx.res, "BLOB_UNKNOWN", `Range '${rangeHeader}' is outside the blob's ${desc.size} bytes.`, { size: desc.size }, 416);
  }
  if (ctx.req.method === "HEAD") return send(ctx.res, 200, { ...headers, "Content-Length": desc.size });

  // WHARF_S3_REDIRECT: the bytes go from the bucket to the client, past this node, once every check above passed.
  // A Range header travels with the redirected request (S3 honours it); the URL lives WHARF_S3_REDIRECT_SECONDS.
  const { WHARF_S3_REDIRECT, WHARF_S3_REDIRECT_SECONDS } = config();
  const driver = storage();
  const redirect = WHARF_S3_REDIRECT && driver.redirectUrl ? await driver.redirectUrl(blobDataPath(digest), { expiresInSeconds: WHARF_S3_REDIRECT_SECONDS }) : null;
  if (redirect) return send(ctx.res, 307, { "Docker-Content-Digest": digest, Location: redirect, "Cache-Control": "no-store" });

  if (desc.size === 0) return send(ctx.res, 200, { ...headers, "Content-Length": 0 });
  if (!range && desc.size <= SMALL_BLOB) {
    // Configs and tiny layers: one read beats setting up a stream (measured ~2x).
    const bytes = await blobStore.read(repo.id, digest);
    return send(ctx.res, 200, { ...headers, "Content-Length": bytes.length }, bytes);
  }
  const span = range ?? { start: 0, end: desc.size - 1 };
  if (range) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${desc.size}`;
  headers["Content-Length"] = span.end - span.start + 1;
  await blobStore.send(digest, span, ctx.res, () => ctx.res.writeHead(range ? 206 : 200, headers));
  ctx.res.end();
}

/** DELETE /v2/<name>/blobs/<digest>: unlinks the blob from this repository only. */
export async function deleteBlob(ctx: Ctx): Promise<void> {
  const digest = parseDigest(ctx.params.digest).value;
  const repo = await findRepository(ctx.ref);
  await assertRepositoryDeletable(repo);
  if (!(await blobStore.unlink(repo.id, digest))) throw blobUnknownIn(digest);
  send(ctx.res, 202, { "Docker-Content-Digest": digest });
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range). null = ignore the header and send everything. */
export function parseRange(header: string, size: number): { start: number; end: number } | null | "unsatisfiable" {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null; // multi-range or garbage: RFC 9110 lets us ignore it
  let start: number, end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < start) return null;
  }
  if (start >= size || size === 0) return "unsatisfiable";
  return { start, end };
}
