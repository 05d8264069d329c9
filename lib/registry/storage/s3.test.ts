import { describe, it } from "node:test";
import { createTestBucket, dropTestBucket, NO_TEST_S3, testS3 } from "../../../test/helpers/test-s3";
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
      const driver = new S3Driver({
        endpoint: env.WHARF_S3_ENDPOINT,
        region: env.WHARF_S3_REGION,
        bucket: env.WHARF_S3_BUCKET,
        accessKeyId: env.WHARF_S3_ACCESS_KEY_ID,
        secretAccessKey: env.WHARF_S3_SECRET_ACCESS_KEY,
        forcePathStyle: true,
      });
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
