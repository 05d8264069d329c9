import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { OciLayout } from "../helpers/oci-layout";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { setLocks, type LockFlags } from "../../lib/services/locks";
import { api, createRegistryRow, pushPull, token, type Api } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, startWharf, type Wharf } from "../helpers/wharf";

/** Locks through the real server: set with lib/services/locks.ts on the server's database, refused by /v2. */
describe("repository locks on /v2", () => {
  let w: Wharf;
  let a: Api;
  const lock = (t: { repository: string; tag?: string; digest?: string }, flags: Partial<LockFlags>) =>
    setLocks(LOCAL_OPERATOR, { registry: "contoso", ...t }, flags);
  const denied = async (r: Response, lockName: string) => {
    assert.equal(r.status, 403);
    const body = (await r.json()) as { errors: { code: string; message: string; detail: { lock: string } }[] };
    assert.equal(body.errors[0].code, "DENIED");
    assert.equal(body.errors[0].detail.lock, lockName);
    assert.match(body.errors[0].message, new RegExp(`${lockName}=false.*To lift the lock, set ${lockName} to true`));
  };

  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
    startContext(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir }));
    a = api(w, await token(w, [pushPull("contoso/app"), pushPull("contoso/hidden"), "registry:catalog:*"]));
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  it("a write-locked tag refuses a push of other content and a delete; unlocking restores both", async () => {
    const first = await a.pushImage("contoso/app", "v1");
    await lock({ repository: "app", tag: "v1" }, { writeEnabled: false });
    const second = await a.pushImage("contoso/app", "scratch");
    await denied(await a.pushManifest("contoso/app", "v1", second.manifest), "writeEnabled");
    assert.equal((await a.fetch("/v2/contoso/app/manifests/v1", { method: "HEAD" })).headers.get("docker-content-digest"), first.digest);
    assert.equal((await a.pushManifest("contoso/app", "v1", first.manifest)).status, 201, "re-pushing the same bytes changes nothing");
    await denied(await a.fetch("/v2/contoso/app/manifests/v1", { method: "DELETE" }), "writeEnabled");
    await denied(await a.fetch(`/v2/contoso/app/manifests/${first.digest}`, { method: "DELETE" }), "writeEnabled");
    await lock({ repository: "app", tag: "v1" }, { writeEnabled: true });
    assert.equal((await a.pushManifest("contoso/app", "v1", second.manifest)).status, 201);
    assert.equal((await a.fetch("/v2/contoso/app/manifests/v1", { method: "DELETE" })).status, 202);
  });

  it("delete-locked manifests and repositories cannot be deleted", async () => {
    const img = await a.pushImage("contoso/app", "keep");
    await lock({ repository: "app", digest: img.digest }, { deleteEnabled: false });
    await denied(await a.fetch(`/v2/contoso/app/manifests/${img.digest}`, { method: "DELETE" }), "deleteEnabled");
    await lock({ repository: "app", digest: img.digest }, { deleteEnabled: true });
    await lock({ repository: "app" }, { deleteEnabled: false });
    await denied(await a.fetch("/v2/contoso/app/manifests/keep", { method: "DELETE" }), "deleteEnabled");
    await denied(await a.fetch(`/v2/contoso/app/blobs/${img.layer}`, { method: "DELETE" }), "deleteEnabled");
    await lock({ repository: "app" }, { deleteEnabled: true });
    assert.equal((await a.fetch(`/v2/contoso/app/manifests/${img.digest}`, { method: "DELETE" })).status, 202);
  });

  it("a read-locked manifest cannot be pulled by tag or digest (GET and HEAD)", async () => {
    const img = await a.pushImage("contoso/app", "secret");
    await lock({ repository: "app", digest: img.digest }, { readEnabled: false });
    await denied(await a.fetch("/v2/contoso/app/manifests/secret"), "readEnabled");
    await denied(await a.fetch(`/v2/contoso/app/manifests/${img.digest}`), "readEnabled");
    const head = await a.fetch("/v2/contoso/app/manifests/secret", { method: "HEAD" });
    assert.equal(head.status, 403);
    await lock({ repository: "app", digest: img.digest }, { readEnabled: true });
    assert.equal((await a.fetch("/v2/contoso/app/manifests/secret")).status, 200);
    await lock({ repository: "app" }, { readEnabled: false });
    await denied(await a.fetch("/v2/contoso/app/manifests/secret"), "readEnabled");
    await lock({ repository: "app" }, { readEnabled: true });
    assert.equal((await a.fetch(`/v2/contoso/app/manifests/${img.digest}`)).status, 200);
  });

  it("a read-locked repository serves no blobs either, and lends none to a cross-repository mount", async () => {
    const img = await a.pushImage("contoso/app", "layers");
    await lock({ repository: "app" }, { readEnabled: false });
    await denied(await a.fetch(`/v2/contoso/app/blobs/${img.layer}`), "readEnabled");
    assert.equal((await a.fetch(`/v2/contoso/app/blobs/${img.layer}`, { method: "HEAD" })).status, 403);
    // Mounting from it falls back to an upload session (202), with or without `from`.
    for (const from of ["&from=contoso/app", ""]) {
      const m = await a.fetch(`/v2/contoso/hidden/blobs/uploads/?mount=${img.layer}${from}`, { method: "POST" });
      assert.equal(m.status, 202, `mount${from || " without from"}`);
    }
    assert.equal((await a.fetch(`/v2/contoso/hidden/blobs/${img.layer}`, { method: "HEAD" })).status, 404);
    await lock({ repository: "app" }, { readEnabled: true });
    assert.equal((await a.fetch(`/v2/contoso/app/blobs/${img.layer}`)).status, 200);
    assert.equal((await a.fetch(`/v2/contoso/hidden/blobs/uploads/?mount=${img.layer}&from=contoso/app`, { method: "POST" })).status, 201);
  });

  it("list-locked tags and repositories are hidden from tags/list and _catalog but still pullable", async () => {
    await a.pushImage("contoso/app", "quiet");
    await a.pushImage("contoso/hidden", "v1");
    await lock({ repository: "app", tag: "quiet" }, { listEnabled: false });
    const tags = (await (await a.fetch("/v2/contoso/app/tags/list")).json()) as { tags: string[] };
    assert.ok(!tags.tags.includes("quiet"));
    assert.ok(tags.tags.includes("secret"));
    assert.equal((await a.fetch("/v2/contoso/app/manifests/quiet")).status, 200);
    const catalog = async () => ((await (await a.fetch("/v2/_catalog")).json()) as { repositories: string[] }).repositories;
    assert.deepEqual(await catalog(), ["contoso/app", "contoso/hidden"]);
    await lock({ repository: "hidden" }, { listEnabled: false });
    assert.deepEqual(await catalog(), ["contoso/app"]);
    assert.equal((await a.fetch("/v2/contoso/hidden/manifests/v1")).status, 200);
    await lock({ repository: "hidden" }, { listEnabled: true });
    await lock({ repository: "app", tag: "quiet" }, { listEnabled: true });
    assert.deepEqual(await catalog(), ["contoso/app", "contoso/hidden"]);
  });

  it("skopeo: copying over a write-locked tag fails with the lock's message; deleting a delete-locked image too", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-locks-"));
    try {
      fs.writeFileSync(path.join(tmp, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
      const layout = new OciLayout(path.join(tmp, "src"));
      const one = layout.image({ fileContent: "one\n" });
      const two = layout.image({ fileContent: "two\n" });
      layout.tag({ one, two });
      const skopeo = (...args: string[]) =>
        promisify(execFile)("skopeo", ["--policy", path.join(tmp, "policy.json"), ...args], { env: { ...process.env, HOME: tmp, REGISTRY_AUTH_FILE: path.join(tmp, "auth.json") } });
      const creds = `admin:${ADMIN_PASSWORD}`;
      const dest = `docker://${w.host}/contoso/skopeo:release`;
      await skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:one`, dest);
      await lock({ repository: "skopeo", tag: "release" }, { writeEnabled: false });
      await assert.rejects(
        skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:two`, dest),
        (e: { stderr?: string }) => /denied/i.test(e.stderr ?? "") && /writeEnabled=false/.test(e.stderr ?? ""),
      );
      await lock({ repository: "skopeo", tag: "release" }, { writeEnabled: true, deleteEnabled: false });
      await assert.rejects(skopeo("delete", "--creds", creds, "--tls-verify=false", dest), (e: { stderr?: string }) => /deleteEnabled=false/.test(e.stderr ?? ""));
      await lock({ repository: "skopeo", tag: "release" }, { deleteEnabled: true });
      await skopeo("delete", "--creds", creds, "--tls-verify=false", dest);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("a write-locked repository refuses uploads and new manifests", async () => {
    await lock({ repository: "app" }, { writeEnabled: false });
    await denied(await a.fetch("/v2/contoso/app/blobs/uploads/", { method: "POST" }), "writeEnabled");
    await lock({ repository: "app" }, { writeEnabled: true });
    await a.pushImage("contoso/app", "after-unlock");
  });
});
