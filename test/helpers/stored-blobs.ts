import { parseConfig } from "../../lib/core/config";
import { blobDataPath } from "../../lib/registry/paths";
import type { StorageDriver } from "../../lib/registry/storage/driver";
import { driverFor } from "../../lib/registry/storage";
import type { Wharf } from "./wharf";

/**
 * The storage a server stores bytes in (files under its data dir, or its S3 bucket under the runner's S3 phase),
 * for tests that check what is at rest without going through the server.
 */
export function storageOf(w: Pick<Wharf, "env" | "dataDir">): StorageDriver {
  return driverFor(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir }));
}

/** Whether the bytes of `digest` are stored. */
export async function blobStored(w: Pick<Wharf, "env" | "dataDir">, digest: string): Promise<boolean> {
  return (await storageOf(w).stat(blobDataPath(digest))) !== null;
}
