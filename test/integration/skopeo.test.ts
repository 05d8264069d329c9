import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startWharf, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout, type Desc } from "../helpers/oci-layout";

/** A real client end to end: skopeo pushes, inspects, lists, pulls and deletes. */
describe("skopeo against Wharf", () => {
  let w: Wharf;
  let tmp: string;
  let layout: OciLayout;
  let single: Desc;
  let multi: Desc;
  const creds = `admin:${ADMIN_PASSWORD}`;

  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-skopeo-", () => w?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    single = layout.image({ fileContent: "hello from wharf\n" });
    const amd = layout.image({ arch: "amd64", fileContent: "amd64 says hi\n" });
    const arm = layout.image({ arch: "arm64", fileContent: "arm64 says hi\n" });
    multi = layout.index([amd, arm]);
    layout.tag({ v1: single, multi });
    w = await startWharf();
    await createRegistryRow(w, "contoso");
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("pushes an image with skopeo copy", async () => {
    await skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${w.host}/contoso/hello:v1`);
  });

  it("inspects it: digest and platform match what was pushed", async () => {
    const { stdout } = await skopeo("inspect", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello:v1`);
    const info = JSON.parse(stdout);
    assert.equal(info.Digest, single.digest);
    assert.equal(info.Architecture, "amd64");
    assert.equal(info.Os, "linux");
    const raw = await skopeo("inspect", "--raw", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello:v1`);
    assert.equal(raw.stdout, fs.readFileSync(path.join(layout.dir, "blobs", "sha256", single.digest.slice(7)), "utf8"));
  });

  it("lists tags", async () => {
    await skopeo("copy", "--src-tls-verify=false", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${w.host}/contoso/hello:v2`);
    const { stdout } = await skopeo("list-tags", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello`);
    assert.deepEqual(JSON.parse(stdout).Tags, ["v1", "v2"]);
  });

  it("pulls it back byte for byte", async () => {
    const out = path.join(tmp, "pulled");
    await skopeo("copy", "--src-creds", creds, "--src-tls-verify=false", `docker://${w.host}/contoso/hello:v1`, `oci:${out}:v1`);
    assert.equal(OciLayout.readTagged(out, "v1")?.digest, single.digest);
    for (const f of fs.readdirSync(path.join(out, "blobs", "sha256"))) {
      assert.ok(fs.readFileSync(path.join(out, "blobs", "sha256", f)).equals(fs.readFileSync(path.join(layout.dir, "blobs", "sha256", f))), f);
    }
  });

  it("copies a two-platform index with --all and keeps its digest", async () => {
    await skopeo("copy", "--all", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:multi`, `docker://${w.host}/contoso/multi:v1`);
    const { stdout } = await skopeo("inspect", "--raw", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/multi:v1`);
    const idx = JSON.parse(stdout);
    assert.equal(idx.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.deepEqual(idx.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture), ["amd64", "arm64"]);
    const out = path.join(tmp, "pulled-multi");
    await skopeo("copy", "--all", "--src-creds", creds, "--src-tls-verify=false", `docker://${w.host}/contoso/multi:v1`, `oci:${out}:multi`);
    assert.equal(OciLayout.readTagged(out, "multi")?.digest, multi.digest);
    // Without --all, skopeo picks the platform it runs on from the index.
    const arch = await skopeo("inspect", "--override-arch", "arm64", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/multi:v1`);
    assert.equal(JSON.parse(arch.stdout).Architecture, "arm64");
  });

  it("copies between repositories of the registry (cross-repository mount)", async () => {
    await skopeo(
      "copy", "--src-creds", creds, "--dest-creds", creds, "--src-tls-verify=false", "--dest-tls-verify=false",
      `docker://${w.host}/contoso/hello:v1`, `docker://${w.host}/contoso/team/copy:v1`,
    );
    const { stdout } = await skopeo("inspect", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/team/copy:v1`);
    assert.equal(JSON.parse(stdout).Digest, single.digest);
  });

  it("deletes an image with skopeo delete", async () => {
    await skopeo("delete", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello:v1`);
    await assert.rejects(skopeo("inspect", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello:v1`), /manifest unknown|not found/i);
    // skopeo deletes by digest, so every tag of that manifest went with it.
    const { stdout } = await skopeo("list-tags", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello`);
    assert.deepEqual(JSON.parse(stdout).Tags, []);
  });

  it("refuses wrong credentials", async () => {
    await assert.rejects(
      skopeo("inspect", "--creds", "admin:wrong-password", "--tls-verify=false", `docker://${w.host}/contoso/multi:v1`),
      /unauthorized|incorrect|authentication/i,
    );
  });
});
