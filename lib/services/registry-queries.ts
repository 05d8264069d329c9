import { config } from "../core/context";
import { db } from "../core/db";
import { forgetRegistryPolicy } from "../auth/registry-policy";
import { forgetResolvedNames } from "../registry/repository-resolver";
import { Prisma } from "../generated/prisma/client";

export const SKUS = ["Basic", "Standard", "Premium"] as const;
export type Sku = (typeof SKUS)[number];

export const REGISTRY_NAME_RE = /^[a-z0-9]{5,50}$/;

export class RegistryError extends Error {
  constructor(
    public code: "NAME_INVALID" | "NAME_TAKEN" | "NOT_FOUND" | "INVALID",
    message: string,
    public field?: string,
  ) {
    super(message);
  }
}

/** Registry names are case-insensitive and stored lower case. Returns the normalised name or throws. */
export function normaliseRegistryName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!REGISTRY_NAME_RE.test(name)) {
    throw new RegistryError(
      "NAME_INVALID",
      "Registry name must be 5–50 characters, letters and digits only (no dashes or dots).",
      "name",
    );
  }
  return name;
}

export type RegistryInput = { name: string; sku?: string; location?: string };

export async function createRegistry(input: RegistryInput) {
  const name = normaliseRegistryName(input.name);
  const sku = input.sku ?? "Standard";
  if (!(SKUS as readonly string[]).includes(sku)) {
    throw new RegistryError("INVALID", `SKU must be one of ${SKUS.join(", ")}.`, "sku");
  }
  const location = (input.location ?? "local").trim() || "local";
  try {
    return await db().registry.create({ data: { name, sku, location } });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new RegistryError("NAME_TAKEN", `The registry name '${name}' is already in use.`, "name");
    }
    throw err;
  }
}

export async function getRegistry(name: string) {
  return db().registry.findUnique({ where: { name: name.trim().toLowerCase() } });
}

export async function listRegistries() {
  return db().registry.findMany({ orderBy: { name: "asc" } });
}

export async function isRegistryNameAvailable(name: string): Promise<boolean> {
  return !(await getRegistry(name));
}

/**
 * What clients type to reach a registry. Path-style (default): the deployment's
 * `HOST:PORT`, with repositories named `<registry>/<repo>`. Host-style (when
 * WHARF_REGISTRY_DOMAIN is set): `<registry>.<domain>` and bare repository names.
 */
export function loginServerOf(name: string): { loginServer: string; repositoryPrefix: string } {
  const c = config();
  if (c.WHARF_REGISTRY_DOMAIN) return { loginServer: `${name}.${c.WHARF_REGISTRY_DOMAIN}`, repositoryPrefix: "" };
  if (c.WHARF_PUBLIC_URL) return { loginServer: new URL(c.WHARF_PUBLIC_URL).host, repositoryPrefix: `${name}/` };
  // A wildcard bind address is not something a client can dial.
  const host = c.HOST === "0.0.0.0" || c.HOST === "::" ? "127.0.0.1" : c.HOST.includes(":") ? `[${c.HOST}]` : c.HOST;
  return { loginServer: `${host}:${c.PORT}`, repositoryPrefix: `${name}/` };
}

/**
 * Deletes a registry and, through the schema's cascades, its repositories, tags,
 * manifests, blob links and upload sessions, in one statement. Blob bytes are
 * shared across registries, so the caller reclaims them afterwards with a
 * garbage-collection pass rather than here.
 */
export async function deleteRegistry(input: string) {
  const name = input.trim().toLowerCase();
  const registry = await db().registry.findUnique({ where: { name }, include: { _count: { select: { repositories: true } } } });
  if (!registry) throw new RegistryError("NOT_FOUND", `Registry '${name}' not found.`, "name");
  try {
    await db().registry.delete({ where: { id: registry.id } });
  } catch (err) {
    // Someone else deleted it between our read and our delete.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") {
      throw new RegistryError("NOT_FOUND", `Registry '${name}' not found.`, "name");
    }
    throw err;
  }
  // This process's data plane must not serve the deleted registry from its caches.
  forgetResolvedNames();
  forgetRegistryPolicy(registry.name);
  return { name: registry.name, repositoryCount: registry._count.repositories };
}
