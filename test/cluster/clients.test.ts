import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startCluster, type Cluster } from "../helpers/cluster";
import { OciLayout, type Desc } from "../helpers/oci-layout";
import { podmanKit } from "../helpers/podman";
import { skopeoSandbox } from "../helpers/skopeo";
import { sha256 } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD } from "../helpers/wharf";

/**
 * Issue 13's "done when": real clients push through HAProxy (127.0.0.1:7490 here, 3300 for `npm run cluster`)
 * and every node, asked directly, serves the same image: one database, one bucket, one signing key.
 */
describe("the cluster serves real clients", () => {
  let c: Cluster;
  let tmp: string;
  let layout: OciLayout;
  let image: Desc;
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  let kit: ReturnType<typeof podmanKit>;
  const creds = `admin:${ADMIN_PASSWORD}`;

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-cluster-skopeo-", () => c?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    image = layout.image({ fileContent: `hello from the cluster ${Date.now()}\n` });
    layout.tag({ v1: image });
    kit = podmanKit({ context: () => c?.output() ?? "" });
    c = await startCluster();
    const made = await c.cli(["registry", "create", "--name", "contoso", "--sku", "Standard"]);
    assert.equal(made.code, 0, made.stderr);
  });
  after(async () => {
    await c?.down();
    await kit?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("skopeo pushes through HAProxy and pulls the same digest from each node", async () => {
    await skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${c.host}/contoso/app:v1`);
    for (const node of c.nodes) {
      const { stdout } = await skopeo("inspect", "--creds", creds, "--tls-verify=false", `docker://127.0.0.1:${node.port}/contoso/app:v1`);
      assert.equal(JSON.parse(stdout).Digest, image.digest, `${node.name} serves another digest`);
      const out = path.join(tmp, `pulled-${node.name}`);
      await skopeo("copy", "--src-creds", creds, "--src-tls-verify=false", `docker://127.0.0.1:${node.port}/contoso/app:v1`, `oci:${out}:v1`);
      assert.equal(OciLayout.readTagged(out, "v1")?.digest, image.digest, `pulled from ${node.name}`);
    }
  });

  it("a node sends clients for their token to HAProxy, the login server", async () => {
    const r = await fetch(`${c.nodes[1].url}/v2/contoso/app/manifests/v1`);
    assert.equal(r.status, 401);
    const challenge = r.headers.get("www-authenticate") ?? "";
    assert.match(challenge, new RegExp(`realm="http://${c.host}/oauth2/token"`));
    assert.match(challenge, new RegExp(`service="${c.host}"`));
  });

  it("podman pushes through HAProxy; each node hands back the same manifest and image", async () => {
    await kit.build("hello:v1", `built for the cluster ${Date.now()}\n`);
    const digestFile = path.join(kit.dir, "digest");
    await kit.podman("push", "--tls-verify=false", "--creds", creds, "--digestfile", digestFile, "localhost/hello:v1", `docker://${c.host}/contoso/hello:v1`);
    const pushed = fs.readFileSync(digestFile, "utf8").trim();
    assert.match(pushed, /^sha256:[0-9a-f]{64}$/);
    const built = (await kit.podman("image", "inspect", "--format", "{{.Id}}", "localhost/hello:v1")).stdout.trim();
    for (const node of c.nodes) {
      const ref = `127.0.0.1:${node.port}/contoso/hello:v1`;
      const { stdout } = await skopeo("inspect", "--raw", "--creds", creds, "--tls-verify=false", `docker://${ref}`);
      assert.equal(sha256(stdout), pushed, `${node.name} serves another manifest`);
      // Nothing stored locally: each pull fetches every byte from that node.
      await kit.podman("rmi", "--all", "--force");
      await kit.podman("pull", "--tls-verify=false", "--creds", creds, ref);
      assert.equal((await kit.podman("image", "inspect", "--format", "{{.Id}}", ref)).stdout.trim(), built, `${node.name} serves another image`);
    }
  });
});
