import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { setLocks } from "../../lib/services/locks";
import { api, createRegistryRow, pushPull, token, type Api } from "../helpers/registry-fixtures";
import { logLines, waitForLog } from "../helpers/log-lines";
import { skopeoSandbox } from "../helpers/skopeo";
import { NO_TEST_S3, testS3 } from "../helpers/test-s3";
import { ADMIN_PASSWORD, startWharf, type Wharf } from "../helpers/wharf";

/** WHARF_S3_REDIRECT=true: blob bytes go from the bucket to the client, after every check of ours. */
describe("blob GET redirects to a presigned S3 URL", { skip: testS3() ? false : NO_TEST_S3 }, () => {
  let w: Wharf;
  let a: Api;
  let image: Awaited<ReturnType<Api["pushImage"]>>;
  // A real gzip stream, as the manifest says: skopeo would recompress anything else and change the digest.
  const layer = zlib.gzipSync(crypto.randomBytes(300_000));

  before(async () => {
    w = await startWharf({ env: { WHARF_S3_REDIRECT: "true", WHARF_S3_REDIRECT_SECONDS: "60" } });
    await createRegistryRow(w, "contoso");
    startContext(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir }));
    a = api(w, await token(w, [pushPull("contoso/app"), pushPull("contoso/locked")]));
    image = await a.pushImage("contoso/app", "v1", { layer });
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  it("GET answers 307 to the bucket, which serves the bytes (whole and a range); HEAD and manifests do not redirect", async () => {
    let r = await a.fetch(`/v2/contoso/app/blobs/${image.layer}`, { redirect: "manual" });
    assert.equal(r.status, 307);
    assert.equal(r.headers.get("docker-content-digest"), image.layer);
    const location = r.headers.get("location")!;
    assert.ok(location.startsWith(`${w.env.WHARF_S3_ENDPOINT}/${w.env.WHARF_S3_BUCKET}/`), location);
    assert.match(location, /X-Amz-Expires=60\b/, "lives WHARF_S3_REDIRECT_SECONDS");
    r = await fetch(location);
    assert.equal(r.status, 200);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(layer), "the bucket serves the blob");

    // A client that follows redirects (fetch drops our Authorization on the way to another origin, as registries' clients do).
    r = await a.fetch(`/v2/contoso/app/blobs/${image.layer}`);
    assert.equal(r.status, 200);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(layer));
    r = await a.fetch(`/v2/contoso/app/blobs/${image.layer}`, { headers: { Range: "bytes=100-199" } });
    assert.equal(r.status, 206);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(layer.subarray(100, 200)));

    r = await a.fetch(`/v2/contoso/app/blobs/${image.layer}`, { method: "HEAD", redirect: "manual" });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("location"), null);
    r = await a.fetch(`/v2/contoso/app/manifests/v1`, { redirect: "manual", headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
    assert.equal(r.status, 200);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(image.manifest));
  });

  it("no URL for a caller without pull rights, for a blob the repository does not link, or a read-locked repository", async () => {
    let r = await fetch(`${w.url}/v2/contoso/app/blobs/${image.layer}`, { redirect: "manual" });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get("location"), null);
    const other = api(w, await token(w, [pushPull("contoso/locked")]));
    await other.pushBlob("contoso/locked", Buffer.from("makes the repository"));
    r = await other.fetch(`/v2/contoso/app/blobs/${image.layer}`, { redirect: "manual" });
    assert.ok(r.status === 401 || r.status === 403, `refused: ${r.status}`);
    assert.equal(r.headers.get("location"), null);
    r = await other.fetch(`/v2/contoso/locked/blobs/${image.layer}`, { redirect: "manual" });
    assert.equal(r.status, 404, "not linked there");
    assert.equal(r.headers.get("location"), null);

    const locked = await other.pushBlob("contoso/locked", crypto.randomBytes(1000));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked" }, { readEnabled: false });
    r = await other.fetch(`/v2/contoso/locked/blobs/${locked}`, { redirect: "manual" });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get("location"), null);
  });

  it("skopeo pulls the image through the redirect, byte for byte", async () => {
    const { tmp, skopeo } = skopeoSandbox("wharf-s3-redirect-", w.output);
    const out = path.join(tmp, "pulled");
    const mark = logLines(w).length;
    await skopeo("copy", "--src-creds", `admin:${ADMIN_PASSWORD}`, "--src-tls-verify=false", `docker://${w.host}/contoso/app:v1`, `oci:${out}:v1`);
    const pulled = fs.readFileSync(path.join(out, "blobs", "sha256", image.layer.slice("sha256:".length)));
    assert.ok(pulled.equals(layer));
    // Layer and config came from the bucket: this node answered both GETs with the redirect, never with the bytes.
    const blobGets = await waitForLog(
      w,
      (lines) => {
        const gets = lines.slice(mark).filter((l) => l.msg === "request" && l.route === "blob" && l.method === "GET" && /(^|\/)app$/.test(String(l.repository)));
        return gets.filter((l) => l.status === 307).length >= 2 ? gets : undefined;
      },
      "the pull's blob GETs answered 307",
    );
    assert.deepEqual(blobGets.map((l) => l.status), [307, 307]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
