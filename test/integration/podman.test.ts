import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { podmanKit } from "../helpers/podman";
import { startWharf, runCli, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";

const run = promisify(execFile);

/**
 * buildah builds an image and pushes it; podman logs in, pulls, re-tags and pushes
 * in Docker's format; a pull-only repository token pulls but cannot push. Only the
 * registry protocol is under test (see test/helpers/podman.ts).
 */
describe("podman and buildah against Wharf", () => {
  let w: Wharf;
  let kit: ReturnType<typeof podmanKit>;
  const podman = (...a: string[]) => kit.podman(...a);
  const buildah = (...a: string[]) => kit.buildah(...a);
  const imageId = async (ref: string) => (await podman("image", "inspect", "--format", "{{.Id}}", ref)).stdout.trim();

  before(async () => {
    kit = podmanKit({ context: () => `--- server output ---\n${w.output().slice(-3000)}` });
    w = await startWharf();
    const created = await runCli(w, ["registry", "create", "--name", "contoso", "--sku", "Standard"]);
    assert.equal(created.code, 0, created.stderr);
  });
  after(async () => {
    await w?.stop();
    await kit.cleanup();
  });

  it("podman login with a portal user; a wrong password is refused", async () => {
    await assert.rejects(podman("login", "--tls-verify=false", "-u", "admin", "-p", "wrong-password", w.host), /unauthorized|invalid|incorrect/i);
    const { stdout } = await podman("login", "--tls-verify=false", "-u", "admin", "-p", ADMIN_PASSWORD, w.host);
    assert.match(stdout, /Login Succeeded/);
  });

  it("buildah builds an image from scratch and pushes it", async () => {
    await kit.build("hello:v1", "hello from buildah\n", ["--label", "org.opencontainers.image.title=hello", "--env", "GREETING=hi"]);
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
    const { stdout } = await run("skopeo", ["inspect", "--raw", "--creds", `admin:${ADMIN_PASSWORD}`, "--tls-verify=false", `docker://${w.host}/contoso/team/hello:docker`]);
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
