import type { ServerResponse } from "node:http";
import { parseDigest } from "../../core/digest";
import { logger } from "../../core/logging";
import { cacheTarget, pullBlob, pullManifest, pullReferrers } from "../../registry/cache/pull-through";
import { OCI_INDEX } from "../../registry/media-types";
import { actorNameOf, countPull } from "../../registry/usage-stats";
import { displayName } from "../../auth/principal";
import { send, type Ctx } from "../context";

/**
 * The data plane's side of the pull-through cache: for a name under a cache rule, these run before the ordinary
 * handler and either answer (upstream bytes) or leave the stored content to it (returning false). Every response
 * under a rule says where it came from (X-Wharf-Origin), and a stored copy the upstream could not confirm says so.
 */

function origin(res: ServerResponse, value: "cache" | "upstream"): void {
  res.setHeader("X-Wharf-Origin", value);
}

function markStale(res: ServerResponse, why: string | null): void {
  if (!why) return;
  res.setHeader("Warning", `110 - "Response is Stale"`);
  res.setHeader("X-Wharf-Cache", "stale");
  logger().debug({ why }, "served stale from the cache");
}

/** Who pulled which repository from where, for the hour's pull row (the name cached per token subject). */
export async function pullOrigin(ctx: Ctx): Promise<{ repository: string; principal: string; address: string }> {
  const sub = ctx.claims?.sub ?? "anonymous";
  const principal = await actorNameOf(sub, async () => {
    const who = await ctx.principal();
    return who ? displayName(who) : sub;
  });
  return { repository: ctx.ref.repository, principal, address: ctx.clientIp };
}

/** GET/HEAD of a manifest: true when answered here. */
export async function manifestThroughCache(ctx: Ctx): Promise<boolean> {
  const t = await cacheTarget(ctx.ref);
  if (!t) return false;
  origin(ctx.res, "cache");
  try {
    const answer = await pullManifest(t, ctx.params.reference);
    if (answer.kind === "local") {
      markStale(ctx.res, answer.stale);
      return false;
    }
    origin(ctx.res, "upstream");
    const m = answer.manifest;
    const headers = { "Content-Type": m.mediaType, "Content-Length": m.bytes.length, "Docker-Content-Digest": m.digest, ETag: `"${m.digest}"` };
    if (ctx.req.method === "HEAD") send(ctx.res, 200, headers);
    else {
      countPull(t.registryId, undefined, undefined, await pullOrigin(ctx));
      send(ctx.res, 200, headers, m.bytes);
    }
    return true;
  } catch (err) {
    origin(ctx.res, "upstream");
    throw err;
  }
}

/** GET/HEAD of a blob: true when answered here (its bytes streamed from the upstream while being stored). */
export async function blobThroughCache(ctx: Ctx): Promise<boolean> {
  const t = await cacheTarget(ctx.ref);
  if (!t) return false;
  origin(ctx.res, "cache");
  const digest = parseDigest(ctx.params.digest).value;
  const res = ctx.res;
  const stream = ctx.req.method === "GET";
  try {
    const r = await pullBlob(
      t,
      digest,
      stream
        ? (size) => {
            // The whole blob, even when a Range was asked: the server may ignore Range (RFC 9110), and the cache wants it all.
            res.writeHead(200, {
              "Docker-Content-Digest": digest,
              "Content-Type": "application/octet-stream",
              "X-Wharf-Origin": "upstream",
              ...(size >= 0 ? { "Content-Length": size } : {}),
            });
            return res;
          }
        : undefined,
    );
    if (r === "local") return false;
    res.end();
    return true;
  } catch (err) {
    if (res.headersSent) {
      // Mid-stream: the client sees a cut connection (its digest check fails), never a wrong blob accepted.
      logger().warn({ rule: t.rule.name, digest, err: (err as Error).message }, "cache fill of a blob failed while streaming it");
      res.destroy();
      return true;
    }
    origin(res, "upstream");
    throw err;
  }
}

/** GET referrers: the upstream's list when it has one, else (or when it is down) the stored referrers. */
export async function referrersThroughCache(ctx: Ctx): Promise<boolean> {
  const t = await cacheTarget(ctx.ref);
  if (!t) return false;
  const artifactType = ctx.url.searchParams.get("artifactType") ?? undefined;
  const answer = await pullReferrers(t, parseDigest(ctx.params.digest).value, artifactType);
  if (answer.origin === "cache") {
    origin(ctx.res, "cache");
    markStale(ctx.res, answer.stale);
    return false;
  }
  origin(ctx.res, "upstream");
  const headers: Record<string, string> = { "Content-Type": OCI_INDEX };
  if (artifactType) headers["OCI-Filters-Applied"] = "artifactType";
  send(ctx.res, 200, headers, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: answer.descriptors }));
  return true;
}

/** Other responses under a rule (tag lists) come from what is stored. */
export async function markCacheOrigin(ctx: Ctx): Promise<void> {
  if (await cacheTarget(ctx.ref)) origin(ctx.res, "cache");
}
