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
    if (c && fs.existsSync(c.dir)) await c.down();
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

  it("status names every part; down leaves no process, no port and no data behind", async () => {
    const status = await c.status();
    for (const part of ["haproxy", "node1", "node2", "node3", "postgresql", "redis", "ceph rgw"]) assert.match(status, new RegExp(`^  ${part} .*running`, "m"), status);
    const pidsOf = () =>
      fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(c.dir);
        } catch {
          return false;
        }
      });
    assert.ok(pidsOf().length >= 5, "PostgreSQL, the three Ceph daemons and HAProxy name the cluster's directory");
    type State = { nodes: { pid: number }[]; engines: { postgres: { pid: number }; redis: { pid: number }; haproxy: { pid: number }; ceph: { pids: number[] } } };
    const state = JSON.parse(fs.readFileSync(path.join(c.dir, "state.json"), "utf8")) as State;
    const started = [...state.nodes.map((n) => n.pid), state.engines.postgres.pid, state.engines.redis.pid, state.engines.haproxy.pid, ...state.engines.ceph.pids];
    assert.equal(started.length, 9);
    const alive = (pid: number) => {
      try {
        return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    assert.ok(started.every(alive), "every recorded process runs before down");
    const ports = [c.port, ...c.nodes.map((n) => n.port)];
    await c.down();
    assert.equal(fs.existsSync(c.dir), false, `${c.dir} is still there`);
    assert.deepEqual(pidsOf(), [], "processes of the cluster still run");
    assert.deepEqual(started.filter(alive), [], "recorded processes still run");
    for (const port of ports) await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), `port ${port} still answers`);
  });
});
