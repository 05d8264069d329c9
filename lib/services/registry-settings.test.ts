import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import type { Principal } from "../auth/principal";
import { LOCAL_OPERATOR } from "../auth/actor";
import { createUser } from "./users";
import { createRegistry } from "./registries";
import { addNetworkRule, removeNetworkRule, updateRegistry, updateRegistryNetworking } from "./registry-settings";
import { WizardInvalid } from "./registry-fields";

/** Settings changes against a real SQLite database: only the fields given are written, decided inside one transaction. */

let owner: Principal;
let other: Principal;
const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const row = (name: string) => db().registry.findUniqueOrThrow({ where: { name } });

before(async () => {
  await useTempDatabase();
  for (const name of ["owner", "other"]) {
    const u = await createUser(name, `${name}-password`);
    await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "Owner", scope: "/" } });
  }
  const ids = await db().user.findMany({ select: { id: true, username: true } });
  owner = { kind: "user", id: ids.find((u) => u.username === "owner")!.id, name: "owner" };
  other = { kind: "user", id: ids.find((u) => u.username === "other")!.id, name: "other" };
});

describe("updateRegistry", () => {
  test("two admins saving different settings at the same moment both keep theirs", async () => {
    for (let round = 0; round < 3; round++) {
      const name = `racereg${round}`;
      await createRegistry(LOCAL_OPERATOR, { name, sku: "Premium" });
      await Promise.all([
        updateRegistry(owner, name, { anonymousPullEnabled: true }),
        updateRegistry(other, name, { adminUserEnabled: true }),
        updateRegistry(owner, name, { networkDefaultAction: "Deny", networkRules: ["10.0.0.0/8"] }),
      ]);
      const r = await row(name);
      assert.deepEqual(
        [r.anonymousPullEnabled, r.adminUserEnabled, r.networkDefaultAction, JSON.parse(r.networkRules)],
        [true, true, "Deny", ["10.0.0.0/8"]],
        `round ${round}: every change survives`,
      );
    }
  });

  test("network rules added at the same moment are all kept", async () => {
    await createRegistry(LOCAL_OPERATOR, { name: "rulesreg", sku: "Premium" });
    const ranges = ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"];
    await Promise.all(ranges.map((r, i) => addNetworkRule(i % 2 ? owner : other, "rulesreg", r)));
    assert.deepEqual(JSON.parse((await row("rulesreg")).networkRules).sort(), ranges);
    await removeNetworkRule(owner, "rulesreg", "10.2.0.0/16");
    await assert.rejects(removeNetworkRule(owner, "rulesreg", "10.2.0.0/16"), (e) => code("INVALID")(e) && /not among the network rules/.test((e as Error).message));
    assert.deepEqual(JSON.parse((await row("rulesreg")).networkRules).sort(), ["10.1.0.0/16", "10.3.0.0/16", "10.4.0.0/16"]);
  });

  test("the activity entry holds the fields given, before and after", async () => {
    await createRegistry(LOCAL_OPERATOR, { name: "auditreg", sku: "Standard" });
    await updateRegistry(owner, "auditreg", { anonymousPullEnabled: true });
    const entry = await db().activityLog.findFirstOrThrow({ where: { action: "registry.update", target: "auditreg" }, orderBy: { at: "desc" } });
    assert.equal(entry.actor, "owner");
    assert.deepEqual(JSON.parse(entry.before!), { anonymousPullEnabled: false });
    assert.deepEqual(JSON.parse(entry.after!), { anonymousPullEnabled: true });
  });

  test("a refused change writes nothing and says what to do", async () => {
    await createRegistry(LOCAL_OPERATOR, { name: "basicreg1", sku: "Basic" });
    const before = await row("basicreg1");
    await assert.rejects(updateRegistry(owner, "basicreg1", { anonymousPullEnabled: true }), (e) => code("INVALID")(e) && /--sku Premium/.test((e as Error).message));
    await assert.rejects(updateRegistry(owner, "basicreg1", {}), code("INVALID"));
    await assert.rejects(updateRegistry(owner, "basicreg1", { networkRules: ["not-an-ip"] }), code("INVALID"));
    assert.deepEqual(await row("basicreg1"), before, "the row, its updatedAt included, is untouched");
  });
});

describe("updateRegistryNetworking", () => {
  test("every bad row is reported at once, each on its own field, and blank rows are ignored", async () => {
    await createRegistry(LOCAL_OPERATOR, { name: "netrowsreg", sku: "Premium" });
    const before = await row("netrowsreg");
    const refused = await updateRegistryNetworking(owner, "netrowsreg", { publicAccess: "selected", networkRules: ["", "nope", "10.0.0.0/8", "10.0.0.300"] }).then(
      () => assert.fail("bad rows were accepted"),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof WizardInvalid);
    assert.deepEqual(refused.problems.map((p) => p.field), ["networkRules.1", "networkRules.3"]);
    assert.deepEqual(await row("netrowsreg"), before, "nothing stored on refusal");

    await updateRegistryNetworking(owner, "netrowsreg", { publicAccess: "selected", networkRules: ["10.0.0.0/8", "  "] });
    assert.deepEqual(JSON.parse((await row("netrowsreg")).networkRules), ["10.0.0.0/8"]);
    await assert.rejects(updateRegistryNetworking(owner, "netrowsreg", { publicAccess: "selected", networkRules: [""] }), (e) => e instanceof WizardInvalid && e.problems[0].field === "networkRules");
  });
});
