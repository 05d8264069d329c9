import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * `wharf registry` as a newcomer meets it: the login server of the server that is
 * actually running, `az acr show`'s fields, a resource group for every registry,
 * and a word when --admin-enabled true has nothing to print.
 */

let wharf: Wharf;
/** The CLI as an operator runs it: the server's data dir and database, but not its PORT or HOST. */
let operatorEnv: NodeJS.ProcessEnv;

before(async () => {
  wharf = await startWharf();
  operatorEnv = { ...wharf.env };
  delete operatorEnv.PORT;
  delete operatorEnv.HOST;
});

after(async () => {
  await wharf?.stop();
  if (wharf) fs.rmSync(wharf.dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli({ env: operatorEnv }, args);

function ok(r: { code: number; stdout: string; stderr: string }) {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

describe("wharf registry without the server's PORT", () => {
  test("the login server is where the server listens, not the default port", async () => {
    assert.notEqual(wharf.port, 3000, "the test needs a server away from the default port");
    const created = JSON.parse(ok(await cli("registry", "create", "-n", "edgereg1")));
    assert.equal(created.loginServer, wharf.host);
    assert.equal(ok(await cli("registry", "show", "-n", "edgereg1", "--query", "loginServer")), `"${wharf.host}"\n`);
  });

  test("a registry created without -g gets a resource group, as in the portal; -g is honoured", async () => {
    const first = JSON.parse(ok(await cli("registry", "show", "-n", "edgereg1")));
    assert.equal(first.resourceGroup, "default", "with no group yet, a new 'default' group");
    ok(await cli("group", "create", "-n", "alpha-team", "-l", "local"));
    const second = JSON.parse(ok(await cli("registry", "create", "-n", "edgereg2")));
    assert.equal(second.resourceGroup, "alpha-team", "the first group by name, as the wizard preselects");
    ok(await cli("group", "create", "-n", "zulu-team", "-l", "local"));
    const third = JSON.parse(ok(await cli("registry", "create", "-n", "edgereg3", "--resource-group", "zulu-team")));
    assert.equal(third.resourceGroup, "zulu-team");
    assert.deepEqual(JSON.parse(ok(await cli("registry", "list", "-g", "zulu-team", "--query", "[].name"))), ["edgereg3"]);
  });

  test("show has az acr show's fields, and --query networkRuleSet works", async () => {
    ok(await cli("registry", "update", "-n", "edgereg3", "--sku", "Premium", "--default-action", "Deny", "--tags", "team=payments"));
    ok(await cli("registry", "network-rule", "add", "-n", "edgereg3", "--ip-address", "10.1.0.0/16"));
    const shown = JSON.parse(ok(await cli("registry", "show", "-n", "edgereg3")));
    for (const field of ["adminUserEnabled", "anonymousPullEnabled", "creationDate", "id", "location", "loginServer", "name", "networkRuleSet", "policies", "provisioningState", "publicNetworkAccess", "resourceGroup", "sku", "tags", "type"]) {
      assert.ok(field in shown, `registry show has ${field}`);
    }
    assert.equal(shown.provisioningState, "Succeeded");
    assert.equal(shown.type, "Microsoft.ContainerRegistry/registries");
    assert.equal(shown.publicNetworkAccess, "Enabled");
    assert.deepEqual(shown.sku, { name: "Premium", tier: "Premium" });
    assert.deepEqual(shown.tags, { team: "payments" });
    assert.deepEqual(shown.policies, { retentionPolicy: { days: 7, status: "disabled" }, softDeletePolicy: { retentionDays: 7, status: "disabled" } });
    assert.deepEqual(JSON.parse(ok(await cli("registry", "show", "-n", "edgereg3", "--query", "networkRuleSet"))), {
      defaultAction: "Deny",
      ipRules: [{ action: "Allow", ipAddressOrRange: "10.1.0.0/16" }],
    });
  });

  test("--admin-enabled true on an admin user already on says so and where the passwords are", async () => {
    const first = await cli("registry", "update", "-n", "edgereg1", "--admin-enabled", "true");
    const passwords = JSON.parse(ok(first)).adminUser.passwords;
    assert.equal(passwords.length, 2, "the first time prints both passwords");
    const again = await cli("registry", "update", "-n", "edgereg1", "--admin-enabled", "true");
    assert.equal(JSON.parse(ok(again)).adminUserEnabled, true);
    assert.match(again.stderr, /The admin user of 'edgereg1' was already enabled\./);
    assert.match(again.stderr, /`wharf credential show --name edgereg1`/);
    assert.match(again.stderr, /`wharf credential renew --name edgereg1 --password-name password`/);
  });
});
