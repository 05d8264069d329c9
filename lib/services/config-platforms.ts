import { db } from "../core/db";
import { blobDataPath } from "../registry/paths";
import { storage } from "../registry/storage";

// Image configs are a few KiB; anything larger is not worth reading for a list.
const MAX_CONFIG_BYTES = 64 * 1024;

/**
 * `os/arch[/variant]` from image configs, read in parallel for one page only: small
 * files, skipped when large, missing or not an image config (artifacts' configs have no os).
 */
export async function configPlatforms(digests: (string | null)[]): Promise<Map<string, string | null>> {
  const wanted = [...new Set(digests.filter((d): d is string => !!d))];
  const out = new Map<string, string | null>();
  if (!wanted.length) return out;
  const blobs = await db().blob.findMany({ where: { digest: { in: wanted }, size: { lte: MAX_CONFIG_BYTES } }, select: { digest: true } });
  await Promise.all(
    blobs.map(async ({ digest }) => {
      try {
        const doc = JSON.parse((await storage().getContent(blobDataPath(digest))).toString("utf8")) as Record<string, unknown>;
        const { os, architecture, variant } = doc ?? {};
        if (typeof os === "string" && os && typeof architecture === "string" && architecture) {
          out.set(digest, `${os}/${architecture}${typeof variant === "string" && variant ? `/${variant}` : ""}`);
        }
      } catch {
        /* unreadable or not JSON: no platform, the list still shows */
      }
    }),
  );
  return out;
}
