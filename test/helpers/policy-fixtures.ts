import { databaseUrlOf } from "./backends";
import path from "node:path";
import { createDb } from "../../lib/core/db";
import { ADMIN_PASSWORD, runCli, type Wharf } from "./wharf";
import type { OciLayout } from "./oci-layout";
import type { skopeoSandbox } from "./skopeo";

/**
 * For the purge, retention and write-once integration tests: pushing with real skopeo, ageing rows in the server's
 * database (time is what these policies compare, and tests cannot wait days), and running the CLI with checks.
 */

type Skopeo = ReturnType<typeof skopeoSandbox>["skopeo"];
export const CREDS = `admin:${ADMIN_PASSWORD}`;

export async function push(skopeo: Skopeo, w: Wharf, layout: OciLayout, layoutTag: string, image: string): Promise<void> {
  await skopeo("copy", "--dest-creds", CREDS, "--dest-tls-verify=false", `oci:${layout.dir}:${layoutTag}`, `docker://${w.host}/${image}`);
}

/** The digest skopeo sees for an image reference, or null when the registry answers manifest unknown. */
export async function digestOf(skopeo: Skopeo, w: Wharf, image: string): Promise<string | null> {
  try {
    const { stdout } = await skopeo("inspect", "--raw", "--creds", CREDS, "--tls-verify=false", `docker://${w.host}/${image}`);
    const crypto = await import("node:crypto");
    return `sha256:${crypto.createHash("sha256").update(stdout).digest("hex")}`;
  } catch (err) {
    if (/manifest unknown|MANIFEST_UNKNOWN/i.test((err as Error).message)) return null;
    throw err;
  }
}

export async function withServerDb<T>(w: Pick<Wharf, "dataDir">, fn: (client: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const client = createDb(databaseUrlOf(w.dataDir));
  try {
    return await fn(client);
  } finally {
    await client.$disconnect();
  }
}

/** Moves the last update of tags (by name) and manifests (by digest) of one repository `days` into the past. */
export async function ageRows(w: Pick<Wharf, "dataDir">, registry: string, repository: string, days: number, what: { tags?: string[]; digests?: string[] }): Promise<void> {
  const at = new Date(Date.now() - days * 86_400_000);
  await withServerDb(w, async (db) => {
    const repo = await db.repository.findFirstOrThrow({ where: { name: repository, registry: { name: registry } }, select: { id: true } });
    if (what.tags?.length) await db.tag.updateMany({ where: { repositoryId: repo.id, name: { in: what.tags } }, data: { updatedAt: at } });
    if (what.digests?.length) {
      await db.manifest.updateMany({ where: { repositoryId: repo.id, digest: { in: what.digests } }, data: { updatedAt: at, createdAt: at } });
      await db.manifest.updateMany({ where: { repositoryId: repo.id, digest: { in: what.digests }, untaggedAt: { not: null } }, data: { untaggedAt: at, updatedAt: at } });
    }
  });
}

/** Runs the CLI; a non-zero exit fails with its output. */
export async function cli(w: Wharf, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(w, args);
  if (r.code !== 0) throw new Error(`wharf ${args.join(" ")} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}
