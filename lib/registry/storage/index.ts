import { context, slot } from "../../core/context";
import type { Config } from "../../core/config";
import type { StorageDriver } from "./driver";
import { FilesystemDriver } from "./filesystem";
import { S3Driver } from "./s3";

/** The driver WHARF_STORAGE names: files under WHARF_DATA_DIR/blobs (default) or an S3 bucket several nodes share. */
export function driverFor(c: Config): StorageDriver {
  if (c.WHARF_STORAGE === "s3") {
    return new S3Driver({
      endpoint: c.WHARF_S3_ENDPOINT,
      region: c.WHARF_S3_REGION,
      bucket: c.WHARF_S3_BUCKET!,
      accessKeyId: c.WHARF_S3_ACCESS_KEY_ID,
      secretAccessKey: c.WHARF_S3_SECRET_ACCESS_KEY,
      forcePathStyle: c.WHARF_S3_FORCE_PATH_STYLE,
    });
  }
  return new FilesystemDriver(c.blobsDir);
}

const storageSlot = slot<StorageDriver>("storage", (ctx) => driverFor(ctx.config));

/** The deployment's storage driver. */
export function storage(): StorageDriver {
  return context().get(storageSlot);
}

/** Tests swap in a driver of their own. */
export function setStorage(driver: StorageDriver): void {
  context().set(storageSlot, driver);
}
