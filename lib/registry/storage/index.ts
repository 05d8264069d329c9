import { context, slot } from "../../core/context";
import type { StorageDriver } from "./driver";
import { FilesystemDriver } from "./filesystem";

const storageSlot = slot<StorageDriver>("storage", (ctx) => new FilesystemDriver(ctx.config.blobsDir));

/** The deployment's storage driver (filesystem under config().blobsDir today). */
export function storage(): StorageDriver {
  return context().get(storageSlot);
}

/** Tests swap in a driver of their own. */
export function setStorage(driver: StorageDriver): void {
  context().set(storageSlot, driver);
}
