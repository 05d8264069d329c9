import { config } from "../../config";
import type { StorageDriver } from "./driver";
import { FilesystemDriver } from "./filesystem";

const KEY = Symbol.for("wharf.storage");
type G = typeof globalThis & { [KEY]?: { root: string; driver: StorageDriver } };

/** The deployment's storage driver (filesystem under config().blobsDir today). */
export function storage(): StorageDriver {
  const g = globalThis as G;
  const root = config().blobsDir;
  if (!g[KEY] || g[KEY].root !== root) g[KEY] = { root, driver: new FilesystemDriver(root) };
  return g[KEY].driver;
}

/** Tests swap in a driver of their own. */
export function setStorage(driver: StorageDriver): void {
  (globalThis as G)[KEY] = { root: config().blobsDir, driver };
}
