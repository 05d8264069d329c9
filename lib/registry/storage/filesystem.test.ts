import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FilesystemDriver } from "./filesystem";
import { runStorageDriverSuite } from "./driver-test-suite";

runStorageDriverSuite("filesystem", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-fsdriver-"));
  return { driver: new FilesystemDriver(root), cleanup: async () => fs.rmSync(root, { recursive: true, force: true }) };
});
