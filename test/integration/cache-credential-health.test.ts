import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { freePort, startWharf, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { cli } from "../helpers/policy-fixtures";
import { startDockerRegistry, type DockerRegistry } from "../helpers/upstreams";

/**
 * A credential set's health is known as soon as it is saved: create and update log in to the upstream (a real
 * Distribution with htpasswd) and store the outcome, and an upstream that refuses or is down does not stop the save.
 */

const USER = { username: "healthuser", password: "health-Pass-1" };
const WRONG = "wrong-Pass-7";

let reg: DockerRegistry;
let w: Wharf;
let downHost: string;

type SetShown = { name: string; lastLoginResult: string | null; lastLoginError: string | null; lastLoginAt: string | null; healthy: boolean | null };

const create = async (name: string, loginServer: string, password: string): Promise<SetShown> =>
  JSON.parse((await cli(w, ["credential-set", "create", "-r", "healthreg", "-n", name, "-l", loginServer, "-u", USER.username, "-p", password])).stdout) as SetShown;
const list = async (): Promise<string> => (await cli(w, ["credential-set", "list", "-r", "healthreg"])).stdout;

before(async () => {
  reg = await startDockerRegistry({ htpasswd: USER, port: 5653 });
  // A port nothing listens on: an upstream that is down.
  downHost = `127.0.0.1:${await freePort()}`;
  w = await startWharf({ port: 5654, env: { WHARF_INSECURE_REGISTRIES: `${reg.host},${downHost}`, WHARF_GC_INTERVAL_SECONDS: "0", WHARF_UPSTREAM_TIMEOUT_SECONDS: "5" } });
  await createRegistryRow(w, "healthreg");
});

after(async () => {
  await w?.stop();
  if (w) fs.rmSync(w.dataDir, { recursive: true, force: true });
  await reg?.stop();
  if (reg) fs.rmSync(reg.dataDir, { recursive: true, force: true });
});

describe("credential-set health on create and update", () => {
  test("a set with the right password is healthy at once", async () => {
    const set = await create("good-creds", reg.host, USER.password);
    assert.equal(set.lastLoginResult, "ok");
    assert.equal(set.healthy, true);
    assert.ok(set.lastLoginAt);
    assert.equal(reg.requestsFor(/^\/v2\/$/, { method: "GET", status: 200 }), 1);
  });

  test("a wrong password is saved, shown unhealthy with the upstream's refusal, and never printed", async () => {
    const set = await create("bad-creds", reg.host, WRONG);
    assert.equal(set.lastLoginResult, "unauthorized");
    assert.equal(set.healthy, false);
    assert.match(set.lastLoginError ?? "", /127\.0\.0\.1:5653/);
    assert.ok(!(await list()).includes(WRONG));
  });

  test("an upstream that is down does not stop the create; the reason is recorded", async () => {
    const set = await create("down-creds", downHost, USER.password);
    assert.equal(set.healthy, false);
    assert.equal(set.lastLoginResult, "unreachable");
    assert.match(set.lastLoginError ?? "", new RegExp(downHost.replace(/\./g, "\\.")));
  });

  test("changing the password checks the login again", async () => {
    const fixed = JSON.parse((await cli(w, ["credential-set", "update", "-r", "healthreg", "-n", "bad-creds", "-p", USER.password])).stdout) as SetShown;
    assert.equal(fixed.lastLoginResult, "ok");
    assert.equal(fixed.lastLoginError, null);
    const broken = JSON.parse((await cli(w, ["credential-set", "update", "-r", "healthreg", "-n", "good-creds", "-p", WRONG])).stdout) as SetShown;
    assert.equal(broken.healthy, false);
    assert.equal(broken.lastLoginResult, "unauthorized");
  });
});
