import { PassThrough, Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db } from "../core/db";
import { conflict, denied, invalid } from "../core/errors";
import { openSecret } from "../core/secrets";
import { blobStore } from "../registry/blob-store";
import { manifestService } from "../registry/manifest-service";
import { parseManifest } from "../registry/manifest-parse";
import { ensureRepository, type Repo } from "../registry/repository-resolver";
import { uploadSessions } from "../registry/upload-session";
import { UpstreamClient, parseUpstreamReference } from "../registry/upstream";
import { localSourceOf, type ImportTarget } from "./import-source";

/**
 * One import's work: read the source's manifest tree (index → children, referrers when asked), store every blob
 * each target repository lacks (fetched from the upstream and verified while stored, or linked when the source
 * is a registry of this deployment), then the manifests by digest, children before parents and subjects before
 * referrers, then the tags. Running it again after an interruption skips whatever is already stored.
 */

export type ImportJobRow = {
  id: string;
  registryId: string;
  source: string;
  targets: string;
  requestedBy: string;
  username: string | null;
  passwordSealed: string | null;
  force: boolean;
  includeReferrers: boolean;
};

export type Progress = { layersTotal: number; layersDone: number; bytesTotal: number; bytesDone: number };
export type ImportResult = { digest: string; mediaType: string; manifests: number; blobs: number; bytesCopied: number; bytesLinked: number; tags: string[] };

type Node = { digest: string; mediaType: string; bytes: Buffer };
type Plan = { manifests: Node[]; blobs: Map<string, number>; root: Node };

/** Where the bytes come from: an upstream over HTTP, or a repository of this deployment. */
type Source = {
  manifest(ref: string): Promise<Node>;
  referrers(digest: string): Promise<string[]>;
  /** Puts the blob into `repo`: true when bytes were copied, false when linked. */
  storeBlob(repo: Repo, digest: string, onBytes: (n: number) => void, signal: AbortSignal): Promise<boolean>;
};

const MAX_REFERRER_DEPTH = 3;

function upstreamSource(job: ImportJobRow, host: string, repository: string): Source {
  const credentials = job.username && job.passwordSealed ? { username: job.username, password: openSecret(job.passwordSealed) } : null;
  const client = new UpstreamClient({ host, credentials });
  return {
    manifest: (ref) => client.getManifest(repository, ref),
    referrers: async (digest) => ((await client.getReferrers(repository, digest))?.manifests ?? []).map((m) => m.digest),
    storeBlob: async (repo, digest, onBytes, signal) => {
      const blob = await client.getBlob(repository, digest, signal);
      const counted = new PassThrough();
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          onBytes(chunk.length);
          done(null, chunk);
        },
      });
      // The upload verifies the digest as it writes; a wrong byte leaves nothing stored.
      const flowing = pipeline(blob.body as Readable, counter, counted, { signal });
      await Promise.all([uploadSessions.upload(repo, digest, counted), flowing]);
      return true;
    },
  };
}

function localSource(registryName: string, repoName: string): Promise<Source> {
  return (async () => {
    const from = await ensureExisting(registryName, repoName);
    return {
      manifest: async (ref) => {
        const m = await manifestService.resolve(from, ref);
        return { digest: m.digest, mediaType: m.mediaType, bytes: await manifestService.bytes(m) };
      },
      referrers: async (digest) => (await manifestService.referrers(from, digest)).map((d) => d.digest),
      storeBlob: async (repo, digest, onBytes) => {
        const stat = await blobStore.stat(from.id, digest);
        if (!stat || !(await blobStore.link(repo.id, digest))) throw invalid(`Blob ${digest} is no longer in ${from.fullName}; import again once the source is whole.`);
        onBytes(stat.size);
        return false;
      },
    };
  })();
}

async function ensureExisting(registry: string, repository: string): Promise<Repo> {
  const reg = await db().registry.findUnique({ where: { name: registry }, select: { id: true } });
  const row = reg && (await db().repository.findUnique({ where: { registryId_name: { registryId: reg.id, name: repository } }, select: { id: true } }));
  if (!reg || !row) throw invalid(`The source repository ${registry}/${repository} does not exist (any more) in this Wharf.`, "source");
  return { id: row.id, registryId: reg.id, registry, name: repository, fullName: `${registry}/${repository}` };
}

async function plan(source: Source, ref: string, includeReferrers: boolean): Promise<Plan> {
  const manifests = new Map<string, Node>();
  const blobs = new Map<string, number>();
  const order: Node[] = [];
  const visit = async (r: string, depth: number): Promise<Node> => {
    const known = manifests.get(r);
    if (known) return known;
    const node = await source.manifest(r);
    if (manifests.has(node.digest)) return manifests.get(node.digest)!;
    manifests.set(node.digest, node);
    const parsed = parseManifest(node.bytes, node.mediaType);
    for (const b of parsed.blobs) blobs.set(b.d.digest, b.d.size);
    for (const c of parsed.children) await visit(c.d.digest, depth);
    order.push(node); // after its children: stored in this order
    if (includeReferrers && depth < MAX_REFERRER_DEPTH) for (const d of await source.referrers(node.digest)) await visit(d, depth + 1);
    return node;
  };
  const root = await visit(ref, 0);
  // Referrers were pushed after their subject's children; a subject always precedes its referrers in `order`
  // because a referrer is visited only once its subject is recorded.
  return { manifests: order, blobs, root };
}

export async function runImport(job: ImportJobRow, signal: AbortSignal, report: (p: Progress) => void): Promise<ImportResult> {
  const src = parseUpstreamReference(job.source);
  const reg = await db().registry.findUnique({ where: { id: job.registryId }, select: { name: true } });
  if (!reg) throw invalid("The target registry was deleted while the import waited.");
  const local = localSourceOf(src);
  const source = local ? await localSource(local.registry, local.repository) : upstreamSource(job, src.host, src.repository);
  const targets = JSON.parse(job.targets) as ImportTarget[];

  // Nothing is written before the source has answered: a wrong password or missing tag stores nothing.
  const p = await plan(source, src.digest ?? src.tag ?? "latest", job.includeReferrers);
  const repoNames = [...new Set(targets.map((t) => t.repository))];
  const progress: Progress = { layersTotal: p.blobs.size * repoNames.length, layersDone: 0, bytesTotal: 0, bytesDone: 0 };
  for (const size of p.blobs.values()) progress.bytesTotal += size * repoNames.length;
  report({ ...progress });

  let bytesCopied = 0;
  let bytesLinked = 0;
  for (const name of repoNames) {
    const repo = await ensureRepository({ fullName: `${reg.name}/${name}`, registry: reg.name, repository: name });
    for (const [digest, size] of p.blobs) {
      signal.throwIfAborted();
      if (!(await blobStore.stat(repo.id, digest))) {
        // Bytes fetched once per import: a second target repository links what the first one stored.
        const stored = name !== repoNames[0] && (await blobStore.link(repo.id, digest));
        if (stored) bytesLinked += size;
        else {
          let seen = 0;
          const copied = await source.storeBlob(repo, digest, (n) => {
            seen += n;
            progress.bytesDone += n;
            report({ ...progress });
          }, signal);
          if (copied) bytesCopied += seen;
          else bytesLinked += seen;
          progress.bytesDone -= seen; // counted once below, whole
        }
      }
      progress.layersDone += 1;
      progress.bytesDone += size;
      report({ ...progress });
    }
    for (const m of p.manifests) {
      signal.throwIfAborted();
      // A push event for what the import names (its root, untagged imports only): not for each platform or referrer.
      const named = m.digest === p.root.digest && !targets.some((t) => t.tag);
      await manifestService.put(repo, m.digest, m.bytes, m.mediaType, named ? { actor: job.requestedBy } : undefined);
    }
  }

  const tags: string[] = [];
  for (const t of targets) {
    if (!t.tag) continue;
    const repo = await ensureRepository({ fullName: `${reg.name}/${t.repository}`, registry: reg.name, repository: t.repository });
    const existing = await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: t.tag } }, select: { manifest: { select: { digest: true } } } });
    if (existing && existing.manifest.digest !== p.root.digest && !job.force) {
      throw conflict(`Tag ${t.repository}:${t.tag} already exists (it points at ${existing.manifest.digest}); pass --force to overwrite it.`, "image");
    }
    try {
      await manifestService.put(repo, t.tag, p.root.bytes, p.root.mediaType, { actor: job.requestedBy });
    } catch (err) {
      if ((err as { code?: string }).code === "DENIED") throw denied(`${t.repository}:${t.tag}: ${(err as Error).message}`, (err as { detail?: unknown }).detail);
      throw err;
    }
    tags.push(`${t.repository}:${t.tag}`);
  }
  return { digest: p.root.digest, mediaType: p.root.mediaType, manifests: p.manifests.length, blobs: p.blobs.size, bytesCopied, bytesLinked, tags };
}
