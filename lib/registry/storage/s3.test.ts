import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { createTestBucket, dropTestBucket, NO_TEST_S3, s3OptionsOf, testS3 } from "../../../test/helpers/test-s3";
import { runStorageDriverSuite } from "./driver-test-suite";
import { S3Driver } from "./s3";

// Real S3 only (Ceph RGW under the runner's --backend=postgres-s3 phase): a fake would pass what S3 refuses.
if (!testS3()) {
  describe("StorageDriver suite: s3", () => {
    it("runs against a real S3 server", { skip: NO_TEST_S3 }, () => undefined);
  });
} else {
  runStorageDriverSuite(
    "s3",
    async () => {
      const env = await createTestBucket();
      const driver = new S3Driver(s3OptionsOf(env));
      return {
        driver,
        cleanup: async () => {
          await dropTestBucket(env);
          driver.client.destroy();
        },
      };
    },
    { redirects: true },
  );
}

describe("S3 driver in a process of its own", () => {
  it("writes nothing to stderr when created (CLI commands print only their own errors there)", async () => {
    const script = `const { S3Driver } = require(${JSON.stringify(path.join(__dirname, "s3.ts"))});
      new S3Driver({ endpoint: "http://127.0.0.1:9", region: "us-east-1", bucket: "nothing", forcePathStyle: true }).client.destroy();`;
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const { stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "-e", script], { env });
    assert.equal(stderr, "");
  });
});
