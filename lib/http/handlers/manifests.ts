import { displayName } from "../../auth/principal";
import { findRepository, findRepositoryForPush } from "../../registry/repository-resolver";
import { manifestService, MAX_MANIFEST_BYTES } from "../../registry/manifest-service";
import { isDigest } from "../../core/digest";
import { repoUrl, send, type Ctx } from "../context";
import { readBounded } from "../request";
import { countPull, countPush } from "../../registry/usage-stats";
import { manifestThroughCache, pullOrigin } from "./cache-pull";
import { requestRecord } from "../access-log";
import type { EventOrigin } from "../../registry/events";

/** Who pushed or deleted, from where, and ACR's `request` fields for the webhook payload. */
async function originOf(ctx: Ctx): Promise<EventOrigin> {
  const who = await ctx.principal();
  const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  return {
    actor: who ? displayName(who) : "anonymous",
    address: ctx.clientIp,
    request: { id: requestRecord(ctx.res)?.id ?? "", host: header(ctx.req.headers.host), method: ctx.req.method ?? "", useragent: header(ctx.req.headers["user-agent"]) },
  };
}

function acceptList(header: string | string[] | undefined): string[] | null {
  if (!header) return null;
  const all = (Array.isArray(header) ? header.join(",") : header)
    .split(",")
    .map((s) => s.split(";")[0].trim().toLowerCase())
    .filter(Boolean);
  return all.length ? all : null;
}

/** GET/HEAD /v2/<name>/manifests/<tag|digest>: the stored bytes, exactly as pushed. */
export async function getManifest(ctx: Ctx): Promise<void> {
  if (await manifestThroughCache(ctx)) return;
  const repo = await findRepository(ctx.ref);
  const reference = ctx.params.reference;
  let m = await manifestService.resolve(repo, reference);
  if (!isDigest(reference)) m = await manifestService.negotiate(repo, m, acceptList(ctx.req.headers.accept));
  const headers = {
    "Content-Type": m.mediaType,
    "Content-Length": m.size,
    "Docker-Content-Digest": m.digest,
    ETag: `"${m.digest}"`,
  };
  if (ctx.req.method === "HEAD") return send(ctx.res, 200, headers);
  // A pull is a manifest GET (as ACR counts); in memory, written every few seconds, with the manifest's lastPulledAt.
  countPull(repo.registryId, repo.id, m.digest, await pullOrigin(ctx));
  send(ctx.res, 200, headers, await manifestService.bytes(m));
}

export async function putManifest(ctx: Ctx): Promise<void> {
  const bytes = await readBounded(ctx.req, MAX_MANIFEST_BYTES);
  // Not created here: a refused manifest must not leave a new, empty repository behind.
  const repo = await findRepositoryForPush(ctx.ref);
  const out = await manifestService.put(repo, ctx.params.reference, bytes, ctx.req.headers["content-type"], await originOf(ctx));
  const headers: Record<string, string> = { Location: repoUrl(ctx, `manifests/${out.digest}`), "Docker-Content-Digest": out.digest };
  if (out.subject) headers["OCI-Subject"] = out.subject;
  countPush(repo.registryId);
  send(ctx.res, 201, headers);
}

export async function deleteManifest(ctx: Ctx): Promise<void> {
  const repo = await findRepository(ctx.ref);
  const { actor, ...origin } = await originOf(ctx);
  await manifestService.delete(repo, ctx.params.reference, { actor, origin });
  send(ctx.res, 202, {});
}
