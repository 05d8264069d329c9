import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { setLocks } from "../../lib/services/locks";
import { blobDataPath } from "../../lib/registry/paths";
import { storage } from "../../lib/registry/storage";
import { api, createRegistryRow, ociError, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { startWharf, type Wharf } from "../helpers/wharf";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

type OciErrorBody = { errors: { code: string; message: string; detail: Record<string, unknown> }[] };

/** Manifest PUT/GET defects found by an attacker (issues 10 and 11), against the real server. */
describe("engine: manifests", () => {
  let w: Wharf;
  let a: Api;
  let config: { mediaType: string; digest: string; size: number };

  const error = async (r: Response) => ((await r.json()) as OciErrorBody).errors[0];
  const bytesStored = async (digest: string) => (await storage().stat(blobDataPath(digest))) !== null;

  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
    startContext(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir }));
    a = api(w, await token(w, ["app", "idx", "deep", "size", "locked", "s512", "ref"].map((r) => pushPull(`contoso/${r}`))));
    const cfg = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
    config = { mediaType: OCI_CONFIG, digest: await a.pushBlob("contoso/app", cfg), size: cfg.length };
    for (const r of ["idx", "deep", "size", "locked", "s512"]) await a.pushBlob(`contoso/${r}`, cfg);
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  it("accepts an image manifest without layers, or with \"layers\": null (regctl image create)", async () => {
    for (const [tag, doc] of [
      ["missing", { schemaVersion: 2, mediaType: OCI_MANIFEST, config }],
      ["null", { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: null }],
    ] as const) {
      const body = Buffer.from(JSON.stringify(doc));
      const r = await a.pushManifest("contoso/app", tag, body);
      assert.equal(r.status, 201, `${tag}: ${await r.text()}`);
      const g = await a.fetch(`/v2/contoso/app/manifests/${tag}`, { headers: { Accept: OCI_MANIFEST } });
      assert.ok(Buffer.from(await g.arrayBuffer()).equals(body));
    }
  });

  it("a layer with urls or a non-distributable media type must be in the repository too", async () => {
    const bytes = crypto.randomBytes(64);
    const digest = sha256(bytes);
    for (const layer of [
      { mediaType: LAYER, digest, size: bytes.length, urls: ["https://example.com/layer"] },
      { mediaType: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", digest, size: bytes.length },
      { mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", digest, size: bytes.length, urls: ["https://example.com/l"] },
    ]) {
      const r = await a.pushManifest("contoso/app", "foreign", { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] });
      assert.equal(r.status, 400, layer.mediaType);
      const e = await error(r);
      assert.equal(e.code, "MANIFEST_BLOB_UNKNOWN");
      assert.equal(e.detail.digest, digest);
      assert.match(e.message, new RegExp(digest));
    }
    assert.equal((await a.fetch("/v2/contoso/app/manifests/foreign", { method: "HEAD" })).status, 404);
    await a.pushBlob("contoso/app", bytes);
    const r = await a.pushManifest("contoso/app", "foreign", {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config,
      layers: [{ mediaType: LAYER, digest, size: bytes.length, urls: ["https://example.com/layer"] }],
    });
    assert.equal(r.status, 201);
    assert.equal((await a.fetch(`/v2/contoso/app/blobs/${digest}`, { method: "HEAD" })).status, 200);
  });

  it("index children: size and digest must match the stored child manifest", async () => {
    const child = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config }));
    assert.equal((await a.pushManifest("contoso/idx", "child", child)).status, 201);
    const index = (size: number, digest = sha256(child)) => ({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest, size, platform: { os: "linux", architecture: "amd64" } }],
    });
    let r = await a.pushManifest("contoso/idx", "bad", index(child.length + 1), OCI_INDEX);
    assert.equal(r.status, 400);
    let e = await error(r);
    assert.equal(e.code, "MANIFEST_INVALID");
    assert.match(e.message, new RegExp(`${sha256(child)}.*${child.length + 1}.*${child.length}`));
    const missing = sha256("no such child");
    r = await a.pushManifest("contoso/idx", "bad", index(10, missing), OCI_INDEX);
    e = await error(r);
    assert.equal(e.code, "MANIFEST_BLOB_UNKNOWN");
    assert.match(e.message, new RegExp(missing));
    assert.equal((await a.pushManifest("contoso/idx", "good", index(child.length), OCI_INDEX)).status, 201);
  });

  it("refuses deep nesting and annotations that are not a map of string to string, and stores nothing", async () => {
    const deep = Buffer.from(`{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":${JSON.stringify(config)},"annotations":{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`);
    let r = await a.pushManifest("contoso/deep", "deep", deep);
    assert.equal(r.status, 400);
    let e = await error(r);
    assert.equal(e.code, "MANIFEST_INVALID");
    assert.match(e.message, /nest/);
    assert.equal(await bytesStored(sha256(deep)), false);

    const nested = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    const ext = (n: number) => Buffer.from(`{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":${JSON.stringify(config)},"x-ext":${nested(n)}}`);
    assert.equal((await a.pushManifest("contoso/deep", "ok", ext(60))).status, 201, "61 levels in all: fine");
    assert.equal(await ociError(await a.pushManifest("contoso/deep", "too-deep", ext(64))), "MANIFEST_INVALID", "65 levels");

    for (const annotations of [{ a: 1 }, { a: { b: "c" } }, ["x"], "text", { a: null }]) {
      r = await a.pushManifest("contoso/deep", "ann", { schemaVersion: 2, mediaType: OCI_MANIFEST, config, annotations });
      e = await error(r);
      assert.equal(e.code, "MANIFEST_INVALID", JSON.stringify(annotations));
      assert.match(e.message, /annotations/);
    }
    r = await a.pushManifest("contoso/deep", "ann", { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, annotations: { n: 2 } } });
    assert.match((await error(r)).message, /config\.annotations/);
    assert.equal((await a.fetch("/v2/contoso/deep/manifests/ann", { method: "HEAD" })).status, 404);
  });

  it("sizes must be non-negative safe integers; an index of 1,100 huge children is refused and leaves no bytes", async () => {
    const child = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config }));
    assert.equal((await a.pushManifest("contoso/size", "child", child)).status, 201);
    const entry = { mediaType: OCI_MANIFEST, digest: sha256(child), size: 9007199254740991 };
    const huge = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: Array(1100).fill(entry) }));
    const r = await a.pushManifest("contoso/size", "huge", huge, OCI_INDEX);
    assert.equal(r.status, 400);
    assert.equal((await error(r)).code, "MANIFEST_INVALID");
    assert.equal(await bytesStored(sha256(huge)), false, "no orphan bytes");
    assert.equal((await a.fetch("/v2/", {})).status, 200, "the server is alive");

    for (const size of [-1, 1.5, 2 ** 53, "12", null]) {
      const res = await a.pushManifest("contoso/size", "bad", { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, size } });
      const err = await error(res);
      assert.equal(err.code, "MANIFEST_INVALID", String(size));
      assert.match(err.message, /config\.size/);
    }
  });

  it("a manifest PUT refused after its bytes were written (repository write-locked) leaves no orphan bytes", async () => {
    const img = await a.pushImage("contoso/locked", "v1");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked" }, { writeEnabled: false });
    const fresh = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config }, annotations: { n: crypto.randomUUID() } }));
    const r = await a.pushManifest("contoso/locked", "v2", fresh);
    assert.equal(r.status, 403);
    assert.equal(await bytesStored(sha256(fresh)), false);
    assert.equal(await bytesStored(img.digest), true, "what was stored stays");
    assert.equal((await a.pushManifest("contoso/locked", "v1", img.manifest)).status, 201, "re-pushing what is there is allowed");
    assert.equal(await bytesStored(img.digest), true);
  });

  it("a manifest pushed by a sha512 digest is stored and fetched by that digest", async () => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, annotations: { algo: "sha512" } }));
    const d512 = "sha512:" + crypto.createHash("sha512").update(body).digest("hex");
    let r = await a.pushManifest("contoso/s512", d512, body);
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get("docker-content-digest"), d512);
    assert.equal(r.headers.get("location"), `${w.url}/v2/contoso/s512/manifests/${d512}`);
    for (const method of ["GET", "HEAD"]) {
      r = await a.fetch(`/v2/contoso/s512/manifests/${d512}`, { method });
      assert.equal(r.status, 200, method);
      assert.equal(r.headers.get("docker-content-digest"), d512);
      if (method === "GET") assert.ok(Buffer.from(await r.arrayBuffer()).equals(body));
    }
    const wrong = "sha512:" + "0".repeat(128);
    assert.equal(await ociError(await a.pushManifest("contoso/s512", wrong, body)), "DIGEST_INVALID");
    r = await a.fetch(`/v2/contoso/s512/manifests/${d512}`, { method: "DELETE" });
    assert.equal(r.status, 202);
    assert.equal((await a.fetch(`/v2/contoso/s512/manifests/${d512}`, { method: "HEAD" })).status, 404);
  });

  it("GET/HEAD of a reference that is neither a tag nor a digest: 404 MANIFEST_UNKNOWN; PUT to it: MANIFEST_INVALID", async () => {
    const img = await a.pushImage("contoso/ref", "v1");
    const bad = ["-dash", ".dot", "a".repeat(129), "sha256:abc", "md5:" + "0".repeat(32), "v1:x", "t%21"];
    for (const ref of bad) {
      let r = await a.fetch(`/v2/contoso/ref/manifests/${ref}`);
      assert.equal(r.status, 404, ref);
      assert.equal(await ociError(r), "MANIFEST_UNKNOWN", ref);
      r = await a.fetch(`/v2/contoso/ref/manifests/${ref}`, { method: "HEAD" });
      assert.equal(r.status, 404, ref);
    }
    for (const ref of ["-dash", "a".repeat(129), "v1:x"]) {
      const r = await a.pushManifest("contoso/ref", ref, img.manifest);
      assert.equal(r.status, 400, ref);
      assert.equal(await ociError(r), "MANIFEST_INVALID", ref);
    }
    assert.equal(await ociError(await a.pushManifest("contoso/ref", "sha256:abc", img.manifest)), "DIGEST_INVALID");
  });
});
