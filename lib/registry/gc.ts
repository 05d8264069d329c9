import { db } from "../core/db";
import { digestLock } from "./keyed-lock";
import { UPLOADS_DIR, blobDir, uploadDataPath, uploadDir } from "./paths";
import { storage } from "./storage";
import { manifestBytes } from "./manifest-cache";

export type GcResult = { blobsDeleted: number; bytesFreed: number; uploadsDeleted: number };

/**
 * Deletes blobs no repository links and no manifest row names (their rows and
 * their bytes), and upload sessions whose repository is gone or which were
 * idle longer than `uploadMaxAgeMs` (default a week). Safe to run while serving: each
 * digest is re-checked under the same lock that commits it.
 */
export async function collectGarbage(opts: { uploadMaxAgeMs?: number } = {}): Promise<GcResult> {
  const result: GcResult = { blobsDeleted: 0, bytesFreed: 0, uploadsDeleted: 0 };
  const candidates = await db().blob.findMany({
    where: { links: { none: {} } },
    select: { digest: true },
  });
  for (const { digest } of candidates) {
    await digestLock().run(digest, async () => {
      const deleted = await db().$transaction(async (tx) => {
        const [links, manifests] = await Promise.all([
          tx.blobLink.count({ where: { digest } }),
          tx.manifest.count({ where: { digest } }),
        ]);
        if (links || manifests) return null;
        const row = await tx.blob.findUnique({ where: { digest }, select: { size: true } });
        if (!row) return null;
        await tx.blob.delete({ where: { digest } });
        return row;
      });
      if (!deleted) return;
      // Row first, bytes second: an interrupted collection leaves an orphan file, never a row without bytes.
      await storage().delete(blobDir(digest));
      manifestBytes().delete(digest);
      result.blobsDeleted++;
      result.bytesFreed += Number(deleted.size);
    });
  }
  // Upload bytes with no session row (repository deleted, or a crash between the
  // two steps of starting a session) and sessions idle too long. Idle time comes
  // from the bytes' modification time: appending never writes the database.
  const maxAge = opts.uploadMaxAgeMs ?? 7 * 24 * 3600_000;
  const orphanAge = Math.min(maxAge, 3600_000);
  const rows = new Set((await db().upload.findMany({ select: { id: true } })).map((u) => u.id));
  for (const id of await storage().list(UPLOADS_DIR)) {
    const info = (await storage().stat(uploadDataPath(id))) ?? (await storage().stat(uploadDir(id)));
    if (!info) continue;
    const age = Date.now() - info.modifiedAt.getTime();
    if (rows.has(id) ? age > maxAge : age > orphanAge) {
      await db().upload.deleteMany({ where: { id } });
      await storage().delete(uploadDir(id));
      result.uploadsDeleted++;
    }
  }
  return result;
}
