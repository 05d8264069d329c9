import { context, slot } from "../core/context";
import { db, retryOnUniqueViolation, type Tx } from "../core/db";
import { serializeKey } from "./row-locks";
import { nameUnknown } from "../core/errors";
import { hotReads } from "./hot-reads";
import type { RepositoryRef } from "../core/names";

export type Repo = { id: string; registryId: string; registry: string; name: string; fullName: string };
/** A repository a push names that does not exist yet: created only with what the push stores, in its transaction. */
export type NewRepo = Omit<Repo, "id"> & { id: null };


function registryGone(ref: { registry: string; fullName: string }) {
  return nameUnknown(`Registry '${ref.registry}' does not exist. Check the name, or create it first (wharf registry create --name ${ref.registry}).`, {
    name: ref.fullName,
  });
}

/**
 * Registry and repository ids change only when one is created or deleted, so a
 * short-lived memory saves a query on nearly every data-plane request. Misses
 * are remembered for less time, so a new registry is usable almost at once.
 */
const HIT_MS = 5_000;
const MISS_MS = 1_000;
type Caches = { registries: Map<string, { id: string | null; until: number }>; repositories: Map<string, { id: string; until: number }> };
const resolvedNames = slot<Caches>("resolvedNames", () => ({ registries: new Map(), repositories: new Map() }));

export async function findRegistryId(name: string): Promise<string | null> {
  const { registries } = context().get(resolvedNames);
  const now = Date.now();
  const hit = registries.get(name);
  if (hit && hit.until > now) return hit.id;
  const id = await hotReads().registryId(name);
  if (registries.size > 10_000) registries.clear();
  registries.set(name, { id, until: now + (id ? HIT_MS : MISS_MS) });
  return id;
}

async function registryOrThrow(ref: RepositoryRef): Promise<string> {
  const id = await findRegistryId(ref.registry);
  if (!id) throw registryGone(ref);
  return id;
}

/** The repository, or NameUnknown when the registry or the repository does not exist. */
export async function findRepository(ref: RepositoryRef): Promise<Repo> {
  const registryId = await registryOrThrow(ref);
  const key = `${registryId}\0${ref.repository}`;
  const { repositories } = context().get(resolvedNames);
  const now = Date.now();
  const hit = repositories.get(key);
  if (hit && hit.until > now) return { id: hit.id, registryId, registry: ref.registry, name: ref.repository, fullName: ref.fullName };
  const id = await hotReads().repositoryId(registryId, ref.repository);
  if (!id) throw nameUnknown(`Repository '${ref.fullName}' does not exist. Push an image to create it.`, { name: ref.fullName });
  if (repositories.size > 50_000) repositories.clear();
  repositories.set(key, { id, until: now + HIT_MS });
  return { id, registryId, registry: ref.registry, name: ref.repository, fullName: ref.fullName };
}

/** Push creates repositories on first use. */
export async function ensureRepository(ref: RepositoryRef): Promise<Repo> {
  const registryId = await registryOrThrow(ref);
  // Most pushes go to existing repositories: a read, not a write.
  const existing = await hotReads().repositoryId(registryId, ref.repository);
  if (existing) return { id: existing, registryId, registry: ref.registry, name: ref.repository, fullName: ref.fullName };
  let row;
  try {
    row = await retryOnUniqueViolation(() =>
      db().repository.upsert({
        where: { registryId_name: { registryId, name: ref.repository } },
        create: { registryId, name: ref.repository },
        update: {},
        select: { id: true },
      }),
    );
  } catch (err) {
    // The registry was deleted (by another process) while its id was remembered.
    if ((err as { code?: string }).code !== "P2003") throw err;
    forgetResolvedNames();
    throw registryGone(ref);
  }
  const repo = { id: row.id, registryId, registry: ref.registry, name: ref.repository, fullName: ref.fullName };
  rememberRepository(repo);
  return repo;
}

/**
 * For a push that must not create the repository unless it succeeds (a manifest PUT): the repository, or a NewRepo
 * that createRepositoryIn turns into a row inside the push's own transaction.
 */
export async function findRepositoryForPush(ref: RepositoryRef): Promise<Repo | NewRepo> {
  const registryId = await registryOrThrow(ref);
  const id = await hotReads().repositoryId(registryId, ref.repository);
  return { id, registryId, registry: ref.registry, name: ref.repository, fullName: ref.fullName } as Repo | NewRepo;
}

/** Creates (or finds, when another push just created it) the repository inside `tx`; rolled back with it. */
export async function createRepositoryIn(tx: Tx, repo: NewRepo): Promise<Repo> {
  try {
    await serializeKey(tx, `repository:${repo.registryId}/${repo.name}`);
    const row = await tx.repository.upsert({
      where: { registryId_name: { registryId: repo.registryId, name: repo.name } },
      create: { registryId: repo.registryId, name: repo.name },
      update: {},
      select: { id: true },
    });
    return { ...repo, id: row.id };
  } catch (err) {
    if ((err as { code?: string }).code !== "P2003") throw err;
    forgetResolvedNames();
    throw registryGone(repo);
  }
}

/** Call once the transaction that created `repo` has committed. */
export function rememberRepository(repo: Repo): void {
  context().get(resolvedNames).repositories.set(`${repo.registryId}\0${repo.name}`, { id: repo.id, until: Date.now() + HIT_MS });
}

/** Call after deleting registries or repositories in this process. */
export function forgetResolvedNames(): void {
  const { registries, repositories } = context().get(resolvedNames);
  registries.clear();
  repositories.clear();
}
