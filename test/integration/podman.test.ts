import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startWharf, runCli, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";

const run = promisify(execFile);

/**
 * buildah builds an image and pushes it; podman logs in, pulls, re-tags and pushes
 * in Docker's format; a pull-only repository token pulls but cannot push. Containers
 * are never run (that needs privileges this sandbox lacks): only the registry
 * protocol is under test. Storage is vfs under a temp dir, so nothing global is touched.
 */
describe("podman and buildah against Wharf", () => {
  let w: Wharf;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let storage: string[];

  const tool = async (bin: "podman" | "buildah", ...args: string[]) => {
    try {
      return await run(bin, [...storage, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${bin} ${args.join(" ")} failed: ${e.stderr ?? e.message}\n--- server output ---\n${w.output().slice(-3000)}`);
    }
  };
  const podman = (...a: string[]) => tool("podman", ...a);
  const buildah = (...a: string[]) => tool("buildah", ...a);
  const imageId = async (ref: string) => (await podman("image", "inspect", "--format", "{{.Id}}", ref)).stdout.trim();

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-podman-"));
    storage = ["--root", path.join(tmp, "root"), "--runroot", path.join(tmp, "run"), "--storage-driver", "vfs"];
    fs.writeFileSync(path.join(tmp, "auth.json"), "{}");
    fs.writeFileSync(path.join(tmp, "registries.conf"), "unqualified-search-registries = []\n");
    env = {
      ...process.env,
      HOME: tmp,
      REGISTRY_AUTH_FILE: path.join(tmp, "auth.json"),
      CONTAINERS_REGISTRIES_CONF: path.join(tmp, "registries.conf"),
      XDG_RUNTIME_DIR: path.join(tmp, "run"),
      BUILDAH_ISOLATION: "chroot",
    };
    w = await startWharf();
    const created = await runCli(w, ["registry", "create", "--name", "contoso", "--sku", "Standard"]);
    assert.equal(created.code, 0, created.stderr);
  });
  after(async () => {
    await w?.stop();
    // vfs layers are plain directories; podman's own cleanup first, then the tree.
    await run("podman", [...storage, "system", "reset", "--force"], { env }).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("podman login with a portal user; a wrong password is refused", async () => {
    await assert.rejects(podman("login", "--tls-verify=false", "-u", "admin", "-p", "wrong-password", w.host), /unauthorized|invalid|incorrect/i);
    const { stdout } = await podman("login", "--tls-verify=false", "-u", "admin", "-p", ADMIN_PASSWORD, w.host);
    assert.match(stdout, /Login Succeeded/);
  });

  it("buildah builds an image from scratch and pushes it", async () => {
    const ctr = (await buildah("from", "scratch")).stdout.trim();
    fs.writeFileSync(path.join(tmp, "hello.txt"), "hello from buildah\n");
    await buildah("copy", ctr, path.join(tmp, "hello.txt"), "/hello.txt");
    await buildah("config", "--cmd", "/hello.txt", "--label", "org.opencontainers.image.title=hello", "--env", "GREETING=hi", ctr);
    await buildah("commit", ctr, "localhost/hello:v1");
    await buildah("push", "--tls-verify=false", "localhost/hello:v1", `docker://${w.host}/contoso/hello:v1`);
    const tags = await fetch(`${w.url}/v2/contoso/hello/tags/list`);
    assert.equal(tags.status, 401, "the push did not open the repository to anonymous callers");
  });

  it("podman pulls it back: same image id, label and env", async () => {
    const built = await imageId("localhost/hello:v1");
    await podman("rmi", "localhost/hello:v1");
    await podman("pull", "--tls-verify=false", `${w.host}/contoso/hello:v1`);
    assert.equal(await imageId(`${w.host}/contoso/hello:v1`), built);
    const cfg = JSON.parse((await podman("image", "inspect", `${w.host}/contoso/hello:v1`)).stdout)[0];
    assert.equal(cfg.Labels["org.opencontainers.image.title"], "hello");
    assert.ok(cfg.Config.Env.includes("GREETING=hi"));
  });

  it("podman pushes in Docker's v2s2 format to another repository", async () => {
    await podman("push", "--tls-verify=false", "--format", "v2s2", `${w.host}/contoso/hello:v1`, `docker://${w.host}/contoso/team/hello:docker`);
    const { stdout } = await podman("manifest", "inspect", "--tls-verify=false", `${w.host}/contoso/team/hello:docker`).catch(
      async () => run("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${w.host}/contoso/team/hello:docker`], { env }),
    );
    assert.equal(JSON.parse(stdout).mediaType, "application/vnd.docker.distribution.manifest.v2+json");
    const shown = await runCli(w, ["repository", "show-tags", "--name", "contoso", "--repository", "team/hello"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(JSON.parse(shown.stdout), ["docker"]);
  });

  it("a pull-only repository token pulls with podman and its push is refused", async () => {
    const made = await runCli(w, ["token", "create", "--name", "ci-pull", "--registry", "contoso", "--repository", "hello", "content/read", "metadata/read"]);
    assert.equal(made.code, 0, made.stderr);
    const password = (JSON.parse(made.stdout) as { passwords: { value: string }[] }).passwords[0].value;
    await podman("logout", w.host);
    await podman("login", "--tls-verify=false", "-u", "ci-pull", "-p", password, w.host);
    await podman("rmi", "--all", "--force");
    await podman("pull", "--tls-verify=false", `${w.host}/contoso/hello:v1`);
    await assert.rejects(
      podman("push", "--tls-verify=false", `${w.host}/contoso/hello:v1`, `docker://${w.host}/contoso/hello:v2`),
      /denied|unauthorized|authentication required/i,
    );
    await assert.rejects(podman("pull", "--tls-verify=false", `${w.host}/contoso/team/hello:docker`), /denied|unauthorized|authentication required/i);
  });
});
