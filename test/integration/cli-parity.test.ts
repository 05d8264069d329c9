import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { backendEnv, dropBackends } from "../helpers/backends";
import { useTempDatabase } from "../helpers/test-db";
import { runCli } from "../helpers/wharf";
import { db } from "../../lib/core/db";
import type { Principal } from "../../lib/auth/principal";
import { createUser } from "../../lib/services/users";
import { createRegistry, deleteRegistry } from "../../lib/services/registries";
import { WizardInvalid } from "../../lib/services/registry-fields";

/**
 * The compiled `wharf` CLI and the service the portal's server actions call
 * (createRegistryAction → createRegistry, deleteRegistryAction → deleteRegistry),
 * on one data dir: the same checks refuse the same input, and a change leaves the
 * same activity records whichever door it came through.
 */

const LOCATIONS = "local,westeurope";
let dataDir: string;
let env: NodeJS.ProcessEnv;
let owner: Principal;

before(async () => {
  dataDir = await useTempDatabase({ WHARF_LOCATIONS: LOCATIONS });
  // The CLI opens the same database as this process (its PostgreSQL test database when there is one).
  env = { ...process.env, WHARF_DATA_DIR: dataDir, WHARF_LOCATIONS: LOCATIONS, ...(await backendEnv(dataDir)) };
  const u = await createUser("owner", "owner-password");
  await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "Owner", scope: "/" } });
  owner = { kind: "user", id: u.id, name: "owner" };
});

after(async () => {
  await db().$disconnect();
  await dropBackends(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli({ env }, args);
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  assert.equal(r.code, 0, `wharf ${args.join(" ")}\n${r.stderr}`);
  return r.stdout;
}

/** The activity entries about one registry (and its resource group), in order, with the actor and the name taken out. */
async function activityOf(name: string) {
  const rows = await db().activityLog.findMany({ where: { target: name }, orderBy: { at: "asc" } });
  return rows.map((r) => ({
    actor: r.actor,
    entry: { action: r.action, hasRegistryId: !!r.registryId, before: JSON.parse(r.before ?? "null"), after: JSON.parse(r.after ?? "null") },
  }));
}

describe("the CLI and the portal's service are one control plane", () => {
  test("creating a registry: same activity records, actor aside", async () => {
    await ok("group", "create", "--name", "platform");
    await ok("registry", "create", "--name", "viacli01", "--sku", "Premium", "-g", "platform", "-l", "westeurope", "--tags", "team=payments", "env=prod");
    // Exactly what the portal's create wizard sends to createRegistryAction.
    await createRegistry(owner, {
      resourceGroup: { mode: "existing", name: "platform" },
      name: "viaportal1",
      location: "westeurope",
      sku: "Premium",
      publicAccess: "all",
      networkRules: [],
      encryption: "service-managed",
      tags: [
        { name: "team", value: "payments" },
        { name: "env", value: "prod" },
      ],
    });
    const [viaCli, viaPortal] = [await activityOf("viacli01"), await activityOf("viaportal1")];
    assert.deepEqual(viaCli.map((a) => a.entry.action), ["registry.create"]);
    assert.deepEqual(viaCli.map((a) => a.entry), viaPortal.map((a) => a.entry));
    assert.deepEqual(viaCli[0].entry.after, {
      resourceGroup: "platform",
      sku: "Premium",
      location: "westeurope",
      publicNetworkAccess: "Enabled",
      networkDefaultAction: "Allow",
      networkRules: [],
      encryption: "service-managed",
      tags: [
        { name: "team", value: "payments" },
        { name: "env", value: "prod" },
      ],
    });
    assert.deepEqual([viaCli[0].actor, viaPortal[0].actor], ["local-operator", "owner"]);
  });

  test("deleting a registry: same activity records, actor aside", async () => {
    const r = await cli("registry", "delete", "--name", "viacli01", "--yes");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Deleted registry 'viacli01' and its 0 repositories/);
    await deleteRegistry(owner, "viaportal1", "viaportal1");
    const [viaCli, viaPortal] = [await activityOf("viacli01"), await activityOf("viaportal1")];
    assert.deepEqual(viaCli.map((a) => a.entry.action), ["registry.create", "registry.delete"]);
    assert.deepEqual(viaCli.map((a) => a.entry), viaPortal.map((a) => a.entry));
    assert.deepEqual(viaCli[1].entry.before, { sku: "Premium", location: "westeurope", resourceGroup: "platform", repositories: 0, tokens: 0, roleAssignments: 0 });
  });

  test("the same checks refuse the same input, and nothing is written", async () => {
    const before = await db().registry.count();
    const input = { name: "elsewhere1", location: "mars", sku: "Basic", publicAccess: "disabled" as const };
    await assert.rejects(createRegistry(owner, input), (err: unknown) => {
      assert.ok(err instanceof WizardInvalid);
      assert.deepEqual(err.problems.map((p) => p.field), ["location", "publicAccess"]);
      return true;
    });
    const r = await cli("registry", "create", "--name", "elsewhere1", "--location", "mars", "--sku", "Basic", "--public-network-enabled", "false");
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^ERROR: The registry settings are not valid:\n  --location: Choose a location: local, westeurope\.\n  --public-network-enabled \/ --default-action: Disabling public access needs the Premium SKU/);
    const taken = await cli("registry", "create", "--name", "VIAPORTAL1");
    assert.equal(taken.code, 0, "a deleted registry's name is free again");
    const again = await cli("registry", "create", "--name", "viaportal1");
    assert.match(again.stderr, /^ERROR: --name: The registry name 'viaportal1' is already in use\. Choose another name, or see the existing one with `wharf registry show --name viaportal1`\.\n$/);
    assert.equal(await db().registry.count(), before + 1);
  });
});

describe("output for scripts", () => {
  test("--query is JMESPath and -o tsv prints one value per line: the Premium registries' names", async () => {
    await ok("registry", "create", "--name", "premium01", "--sku", "Premium");
    await ok("registry", "create", "--name", "basic0001", "--sku", "Basic");
    await ok("registry", "create", "--name", "premium02", "--sku", "premium");
    const r = await cli("registry", "list", "--query", "[?sku.name=='Premium'].name", "-o", "tsv");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "premium01\npremium02\n");
    assert.equal(r.stderr, "");
    assert.equal(await ok("registry", "show", "-n", "premium01", "--query", "sku.name", "-o", "tsv"), "Premium\n");
  });

  test("-o table lines up the command's columns", async () => {
    const lines = (await ok("registry", "list", "-o", "table")).trimEnd().split("\n");
    assert.match(lines[0], /^NAME\s+SKU\s+LOGIN SERVER\s+LOCATION\s+CREATION DATE\s+ADMIN ENABLED\s+ANONYMOUS PULL$/);
    assert.match(lines[1], /^-+( {2}-+){6}$/);
    const skuAt = lines[0].indexOf("SKU");
    const rows = Object.fromEntries(lines.slice(2).map((l) => [l.split(/\s+/)[0], l.slice(skuAt).split(/\s+/)[0]]));
    assert.deepEqual(rows, { basic0001: "Basic", premium01: "Premium", premium02: "Premium", viaportal1: "Standard" });
  });

  test("a usage error exits 2 with one ERROR line saying what to type, and touches nothing", async () => {
    const r = await cli("registry", "create", "--name", "another01", "--sku", "Gold");
    assert.deepEqual([r.code, r.stdout], [2, ""]);
    assert.equal(r.stderr, "ERROR: argument --sku: invalid choice: 'Gold' (choose from 'Basic', 'Standard', 'Premium').\n");
    assert.equal(await db().registry.count({ where: { name: "another01" } }), 0);
  });
});
