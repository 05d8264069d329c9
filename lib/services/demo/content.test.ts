import assert from "node:assert/strict";
import crypto from "node:crypto";
import zlib from "node:zlib";
import { test } from "node:test";
import { helmChart, image, multiArch, sbom, signature } from "./content";

const sha256 = (b: Buffer) => `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;

test("an image's config names the digests of its uncompressed layers, and every descriptor matches its bytes", () => {
  const built = image("shop/api", "1.0.0");
  const manifest = JSON.parse(built.bytes.toString());
  assert.equal(built.digest, sha256(built.bytes));
  const byDigest = new Map(built.blobs.map((b) => [b.digest, b]));
  const config = JSON.parse(byDigest.get(manifest.config.digest)!.bytes.toString());
  const layers = manifest.layers.map((l: { digest: string; size: number }) => {
    const blob = byDigest.get(l.digest)!;
    assert.equal(blob.size, l.size);
    assert.equal(sha256(blob.bytes), l.digest);
    return sha256(zlib.gunzipSync(blob.bytes));
  });
  assert.deepEqual(config.rootfs.diff_ids, layers);
});

test("the same input builds the same digests (a second seed pushes nothing new), another version differs", () => {
  assert.equal(image("shop/api", "1.0.0").digest, image("shop/api", "1.0.0").digest);
  assert.notEqual(image("shop/api", "1.0.0").digest, image("shop/api", "1.1.0").digest);
  const index = multiArch("shop/frontend", "1.0.0");
  assert.equal(signature(index).digest, signature(index).digest);
});

test("the index lists its two children with their platforms; the SBOM and signature refer to it", () => {
  const index = multiArch("shop/frontend", "1.0.0");
  const body = JSON.parse(index.bytes.toString());
  assert.deepEqual(body.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture), ["amd64", "arm64"]);
  assert.deepEqual(body.manifests.map((m: { digest: string }) => m.digest), index.children!.map((c) => c.digest));
  for (const ref of [sbom(index, "shop/frontend", "1.0.0"), signature(index)]) {
    const m = JSON.parse(ref.bytes.toString());
    assert.equal(m.subject.digest, index.digest);
    assert.ok(m.artifactType);
  }
});

test("the Helm chart carries Helm's media types and a chart archive with Chart.yaml", () => {
  const chart = helmChart("shop", "0.1.0");
  const m = JSON.parse(chart.bytes.toString());
  assert.equal(m.config.mediaType, "application/vnd.cncf.helm.config.v1+json");
  assert.equal(m.layers[0].mediaType, "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
  const tar = zlib.gunzipSync(chart.blobs[1].bytes);
  assert.match(tar.subarray(0, 100).toString(), /^shop\/Chart\.yaml/);
});
