import { db } from "../core/db";
import { assignmentHolders } from "../auth/assignment-holders";
import { conflict, denied, invalid, notFound } from "../core/errors";
import { sealSecret } from "../core/secrets";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { authorize, permissionResolver, repositoryPermissions, type Decision } from "../auth/authorize";
import { UpstreamClient, formatUpstreamReference, parseUpstreamReference, type UpstreamReference } from "../registry/upstream";
import { writeOnceRuleFor } from "../registry/tag-rules";
import { recordActivity } from "./activity";
import { localSourceOf, parseImportTarget, type ImportTarget } from "./import-source";
import { findRegistry, loadRegistry, registryScope, type LoadedRegistry } from "./load-registry";

/**
 * `az acr import` for Wharf: the caller names a source image and target tags; the server pulls it (no local
 * container engine). The request is checked and recorded as an ImportJob row at once; a worker on any node
 * runs it (import-worker.ts). Rights, locks and write-once rules are checked here so a refusal is immediate,
 * and again by the engine when the manifests and tags are written.
 */

export type ImportInput = {
  registry: string;
  source: string;
  images?: string[];
  username?: string;
  password?: string;
  force?: boolean;
  includeReferrers?: boolean;
};

export type ImportView = {
  id: string;
  registry: string;
  source: string;
  targets: string[];
  status: "queued" | "running" | "succeeded" | "failed";
  progress: { layersDone: number; layersTotal: number; bytesDone: number; bytesTotal: number };
  result: { digest: string; mediaType: string; manifests: number; blobs: number; bytesCopied: number; bytesLinked: number; tags: string[] } | null;
  error: string | null;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof db>["importJob"]["findUnique"]>>>;

export function importView(row: Row, registry: string): ImportView {
  return {
    id: row.id,
    registry,
    source: row.source,
    targets: (JSON.parse(row.targets) as ImportTarget[]).map((t) => (t.tag ? `${t.repository}:${t.tag}` : t.repository)),
    status: row.status as ImportView["status"],
    progress: { layersDone: row.layersDone, layersTotal: row.layersTotal, bytesDone: Number(row.bytesDone), bytesTotal: Number(row.bytesTotal) },
    result: row.result ? JSON.parse(row.result) : null,
    error: row.error,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

async function requireRepositoryRight(actor: Actor, reg: LoadedRegistry, repository: string, right: "push" | "pull"): Promise<void> {
  if (actor.kind === "system") return;
  const perms = await repositoryPermissions(actor, { ...reg, resourceGroup: reg.resourceGroupName }, repository);
  if (perms.has(right)) return;
  throw denied(
    `${actorName(actor)} may not ${right} ${reg.name}/${repository}; an import needs ${right === "push" ? "push (AcrPush, Contributor or Owner) on each target" : "pull on its source"}. Ask an Owner for that role.`,
  );
}

/**
 * Whether the actor may import into some repository of the registry (push registry-wide, or by a repository-scoped
 * role), with the reason when not: the portal shows the Import button disabled with it, and the import action's
 * precheck refuses before reading any input.
 */
export async function importPermission(actor: Actor, reg: LoadedRegistry): Promise<Decision> {
  if (actor.kind === "system") return { allowed: true, reason: "operator" };
  const wide = await authorize(actor, "push", registryScope(reg));
  if (wide.allowed) return wide;
  if (actor.kind === "user" || actor.kind === "servicePrincipal") {
    const perms = await permissionResolver(actor, { ...reg, resourceGroup: reg.resourceGroupName });
    const prefix = `/registries/${reg.name}/repositories/`;
    const rows = await db().roleAssignment.findMany({ where: { AND: [(await assignmentHolders(actor)).where, { scope: { startsWith: prefix } }] }, select: { scope: true } });
    if (rows.some((r) => perms(r.scope.slice(prefix.length)).has("push"))) return { allowed: true, reason: "repository role" };
  }
  return { allowed: false, reason: `Importing needs push (AcrPush, Contributor or Owner) on registry ${reg.name} or one of its repositories; ask an Owner for that role.` };
}

/** Authorisation before validation for front doors holding raw input: DENIED when the actor may push nowhere in the registry. */
export async function precheckImport(actor: Actor, registry: unknown): Promise<void> {
  const reg = await findRegistry(registry);
  if (!reg) return;
  const d = await importPermission(actor, reg);
  if (!d.allowed) throw denied(d.reason);
}

/** What a target would overwrite: refused now for locks and write-once tags, and without --force for any tag. */
async function precheckTarget(reg: LoadedRegistry, t: ImportTarget, force: boolean): Promise<void> {
  const repo = await db().repository.findUnique({ where: { registryId_name: { registryId: reg.id, name: t.repository } }, select: { id: true, writeEnabled: true } });
  if (!repo) return;
  if (!repo.writeEnabled) throw denied(`Repository ${reg.name}/${t.repository} is locked against writes; unlock it first (wharf repository update --write-enabled true).`);
  if (!t.tag) return;
  const tag = await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: t.tag } }, select: { writeEnabled: true } });
  if (!tag) return;
  if (!tag.writeEnabled) throw denied(`Tag ${t.repository}:${t.tag} is locked against writes; unlock it or import to another tag.`);
  const rule = await writeOnceRuleFor(db(), reg.id, t.repository, [t.tag]);
  if (rule) throw denied(`Tag ${t.repository}:${t.tag} is write-once (rule '${rule.repositoryPattern}' / '${rule.tagPattern}'): not even --force moves it. Import to a new tag.`);
  if (!force) throw conflict(`Tag ${t.repository}:${t.tag} already exists; pass --force (in the portal: Overwrite existing tags) to overwrite it, or import to another tag.`, "image");
}

/** Whether a source in this deployment has the tag or digest (read straight from its rows: no HTTP to ourselves). */
async function localManifestExists(local: { registry: string; repository: string }, ref: UpstreamReference): Promise<boolean> {
  const repo = await db().repository.findFirst({ where: { name: local.repository, registry: { name: local.registry } }, select: { id: true } });
  if (!repo) return false;
  if (ref.digest) return (await db().manifest.count({ where: { repositoryId: repo.id, digest: ref.digest } })) > 0;
  return (await db().tag.count({ where: { repositoryId: repo.id, name: ref.tag! } })) > 0;
}

/** Checks, records and queues an import; returns its job (status "queued"). */
export async function createImport(actor: Actor, input: ImportInput): Promise<ImportView> {
  const reg = await loadRegistry(input.registry);
  // Authorisation first: push on every target (names checked only as far as needed to know them).
  const images = (input.images ?? []).map((i) => String(i ?? "").trim()).filter(Boolean);
  let src: UpstreamReference;
  try {
    src = parseUpstreamReference(input.source);
  } catch (err) {
    await requireActor(actor, "push", registryScope(reg));
    throw err;
  }
  const sourceTag = src.tag ?? (src.digest ? null : "latest");
  // No --image: the source's repository and tag, as az acr import does.
  const targets = (images.length ? images : [src.repository]).map((i) => parseImportTarget(i, sourceTag));
  for (const t of targets) await requireRepositoryRight(actor, reg, t.repository, "push");
  const local = localSourceOf(src);
  if (local) {
    const from = await loadRegistry(local.registry).catch(() => {
      throw invalid(`Registry ${local.registry} (the source) does not exist in this Wharf.`, "source");
    });
    await requireRepositoryRight(actor, from, local.repository, "pull");
  }

  // Validation second.
  const username = input.username?.trim() || undefined;
  const password = input.password || undefined;
  if (!!username !== !!password) throw invalid("Give both --username and --password for the source, or neither (anonymous).", username ? "password" : "username");
  if (local && username) throw invalid("A source in this Wharf is read with your own rights; leave out --username and --password.", "username");
  const seen = new Set<string>();
  for (const t of targets) {
    const key = `${t.repository}:${t.tag ?? ""}`;
    if (seen.has(key)) throw invalid(`--image ${key} is given twice.`, "image");
    seen.add(key);
    await precheckTarget(reg, t, input.force === true);
  }
  const ref = { ...src, ...(src.tag || src.digest ? {} : { tag: "latest" }) };

  // The source answers before anything is recorded: a wrong password or a missing tag is an error now.
  const found = local ? await localManifestExists(local, ref) : await new UpstreamClient({ host: src.host, credentials: username ? { username, password: password! } : null }).headManifest(src.repository, ref.digest ?? ref.tag!);
  if (!found) throw invalid(`${formatUpstreamReference(ref)} was not found at ${src.host}; check the repository and tag.`, "source");

  const row = await db().$transaction(async (tx) => {
    const created = await tx.importJob.create({
      data: {
        registryId: reg.id,
        source: formatUpstreamReference(ref),
        targets: JSON.stringify(targets),
        username: username ?? null,
        passwordSealed: password ? sealSecret(password) : null,
        force: input.force === true,
        includeReferrers: input.includeReferrers === true,
        requestedBy: actorName(actor),
      },
    });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "import.requested",
      target: `${reg.name}: ${targets.map((t) => (t.tag ? `${t.repository}:${t.tag}` : t.repository)).join(", ")}`,
      registryId: reg.id,
      after: { id: created.id, source: created.source, force: created.force, includeReferrers: created.includeReferrers },
    });
    return created;
  });
  return importView(row, reg.name);
}

export async function getImport(actor: Actor, input: { registry?: string; id: string }): Promise<ImportView> {
  const id = String(input.id ?? "").trim();
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await db().importJob.findUnique({ where: { id } }) : null;
  if (!row) throw notFound(`No import has id '${id}'; list them with wharf import list --name <registry>.`, "id");
  const reg = await db().registry.findUnique({ where: { id: row.registryId }, select: { name: true } });
  if (!reg || (input.registry && input.registry.toLowerCase() !== reg.name)) throw notFound(`No import has id '${id}' in that registry.`, "id");
  // Whoever asked for an import may follow it (AcrPush alone does not read the registry's configuration).
  if (row.requestedBy !== actorName(actor)) await requireActor(actor, "read", registryScope(await loadRegistry(reg.name)));
  return importView(row, reg.name);
}

export async function listImports(actor: Actor, input: { registry: string; take?: number }): Promise<ImportView[]> {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "read", registryScope(reg));
  const rows = await db().importJob.findMany({ where: { registryId: reg.id }, orderBy: { createdAt: "desc" }, take: Math.min(Math.max(input.take ?? 50, 1), 500) });
  return rows.map((r) => importView(r, reg.name));
}
