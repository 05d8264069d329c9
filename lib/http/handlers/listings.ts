import { catalogAccessInRegistry } from "../../auth/data-plane-access";
import { networkDenial } from "../../auth/network";
import { registryPolicy } from "../../auth/registry-policy";
import { listCatalog } from "../../registry/catalog";
import { manifestService } from "../../registry/manifest-service";
import { OCI_INDEX } from "../../registry/media-types";
import { findRegistryId, findRepository } from "../../registry/repository-resolver";
import { tagService } from "../../registry/tag-service";
import { nameUnknown } from "../../core/errors";
import { sendJson, type Ctx } from "../context";
import { pageSize } from "../request";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendOciError } from "../oci-errors";
import { markCacheOrigin, referrersThroughCache } from "./cache-pull";

function pageArgs(req: IncomingMessage, res: ServerResponse, url: URL): { n?: number; last?: string } | null {
  const n = pageSize(url.searchParams.get("n"));
  if (n === "invalid") {
    sendOciError(req, res, "UNSUPPORTED", "Query parameter n must be a non-negative integer (the page size).", { n: url.searchParams.get("n") }, 400);
    return null;
  }
  return { n: n ?? undefined, last: url.searchParams.get("last") ?? undefined };
}

function linkNext(path: string, n: number | undefined, next: string | null): Record<string, string> {
  if (!next) return {};
  const q = new URLSearchParams();
  if (n !== undefined) q.set("n", String(n));
  q.set("last", next);
  return { Link: `<${path}?${q.toString()}>; rel="next"` };
}

export async function listTags(ctx: Ctx): Promise<void> {
  const args = pageArgs(ctx.req, ctx.res, ctx.url);
  if (!args) return;
  await markCacheOrigin(ctx);
  const repo = await findRepository(ctx.ref);
  const page = await tagService.list(repo, args);
  sendJson(ctx.res, 200, { name: ctx.ref.fullName, tags: page.items }, linkNext(`/v2/${ctx.ref.fullName}/tags/list`, args.n, page.next));
}

/**
 * GET /v2/_catalog: path-style, the repositories of every registry the caller may
 * read the metadata of by its own grants (anonymous pull lists nothing);
 * host-style, that registry's. Names outside the caller's reach are skipped,
 * never an error.
 */
export async function listRepositories(ctx: Omit<Ctx, "ref" | "params">): Promise<void> {
  const args = pageArgs(ctx.req, ctx.res, ctx.url);
  if (!args) return;
  const principal = await ctx.principal();
  let registryId: string | undefined;
  const access = new Map<string, ((repo: string) => Set<string>) | null>();
  if (ctx.hostRegistry) {
    registryId = (await findRegistryId(ctx.hostRegistry)) ?? undefined;
    if (!registryId) throw nameUnknown(`Registry '${ctx.hostRegistry}' does not exist.`);
    access.set(ctx.hostRegistry, await catalogAccessInRegistry(principal, ctx.hostRegistry));
  }
  for (;;) {
    // Access is loaded per registry (async); the filter itself is synchronous, so
    // list, load any registry not seen yet, and list again.
    const unseen = new Set<string>();
    const page = await listCatalog({
      registryId,
      ...args,
      filter: (listed, repository) => {
        const registry = ctx.hostRegistry ?? listed;
        if (!access.has(registry)) {
          unseen.add(registry);
          return true;
        }
        return access.get(registry)?.(repository).has("metadata_read") ?? false;
      },
    });
    if (!unseen.size) return sendJson(ctx.res, 200, { repositories: page.items }, linkNext("/v2/_catalog", args.n, page.next));
    for (const r of unseen) access.set(r, (await reachable(r, ctx.clientIp)) ? await catalogAccessInRegistry(principal, r) : null);
  }
}

/**
 * Path-style catalogs span registries, and each registry's network rules apply to
 * its names too: a registry the caller's address may not reach lists nothing.
 * (Host-style requests were already checked for their one registry.)
 */
async function reachable(registry: string, clientIp: string): Promise<boolean> {
  const policy = await registryPolicy(registry);
  return !!policy && !networkDenial(policy, clientIp);
}

/** GET /v2/<name>/referrers/<digest>[?artifactType=]: an OCI index of manifests whose subject is <digest>. */
export async function listReferrers(ctx: Ctx): Promise<void> {
  if (await referrersThroughCache(ctx)) return;
  const repo = await findRepository(ctx.ref);
  const artifactType = ctx.url.searchParams.get("artifactType") ?? undefined;
  const manifests = await manifestService.referrers(repo, ctx.params.digest, artifactType);
  const headers: Record<string, string> = { "Content-Type": OCI_INDEX };
  if (artifactType) headers["OCI-Filters-Applied"] = "artifactType";
  const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
  ctx.res.writeHead(200, { ...headers, "Content-Length": Buffer.byteLength(body) });
  ctx.res.end(body);
}
