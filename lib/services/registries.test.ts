import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { createUser } from "./users";
import type { Principal } from "../auth/principal";
import { LOCAL_OPERATOR } from "../auth/actor";
import { createRoleAssignment } from "./role-assignments";
import { updateRegistry, updateRegistryNetworking, updateRegistryTags } from "./registry-settings";
import { publicAccessOf, WizardInvalid } from "./registry-fields";
import { checkRegistryName, createRegistry, deleteRegistry, findReadableRegistry, listRegistries, registryCapabilities } from "./registries";
import { networkRuleProblem, registryNameProblem, tagProblems, wizardProblems, type WizardInput } from "../core/registry-rules";

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const problemsOf = (fields: string[]) => (err: unknown) => {
  assert.ok(err instanceof WizardInvalid, String(err));
  const got = err.problems.map((p) => p.field);
  for (const f of fields) assert.ok(got.includes(f), `expected a problem on ${f}, got ${JSON.stringify(err.problems)}`);
  return true;
};

const base = (over: Partial<WizardInput> = {}): WizardInput => ({
  resourceGroup: { mode: "new", name: "rg-one" },
  name: "Contoso1",
  location: "local",
  sku: "Standard",
  publicAccess: "all",
  networkRules: [],
  encryption: "service-managed",
  tags: [{ name: "env", value: "prod" }],
  ...over,
});

let owner: Principal;
let reader: Principal;
let nobody: Principal;

before(async () => {
  await useTempDatabase({ WHARF_LOCATIONS: "local,westeurope" });
  const o = await createUser("owner", "owner-password");
  await db().roleAssignment.create({ data: { principalType: "user", principalId: o.id, role: "Owner", scope: "/" } });
  owner = { kind: "user", id: o.id, name: "owner" };
  const r = await createUser("reader", "reader-password");
  reader = { kind: "user", id: r.id, name: "reader" };
  const n = await createUser("nobody", "nobody-password");
  nobody = { kind: "user", id: n.id, name: "nobody" };
});

describe("wizard rules (shared by the portal and the server)", () => {
  test("registry names: 5–50 letters and digits, each rule with its own message", () => {
    assert.equal(registryNameProblem(""), "Enter a registry name.");
    assert.match(registryNameProblem("abcd")!, /at least 5/);
    assert.match(registryNameProblem("a".repeat(51))!, /at most 50/);
    assert.match(registryNameProblem("my-reg1")!, /letters and digits only/);
    assert.equal(registryNameProblem("MyReg1"), null);
  });

  test("tags: length limits, 50 at most, names unique ignoring case", () => {
    assert.deepEqual(tagProblems([{ name: "a", value: "b" }]), []);
    assert.match(tagProblems([{ name: "x".repeat(513), value: "" }])[0].message, /512/);
    assert.match(tagProblems([{ name: "a", value: "v".repeat(257) }])[0].message, /256/);
    assert.match(tagProblems([{ name: "Env", value: "" }, { name: "ENV", value: "" }])[0].message, /used twice/);
    assert.equal(tagProblems(Array.from({ length: 51 }, (_, i) => ({ name: `t${i}`, value: "" })))[0].field, "tags");
    assert.match(tagProblems([{ name: " ", value: "x" }])[0].message, /Enter a tag name/);
  });

  test("network rules: IPv4 and IPv6 addresses and CIDR ranges", () => {
    for (const ok of ["10.0.0.0/8", "203.0.113.5", "2001:db8::/48", "::1"]) assert.equal(networkRuleProblem(ok), null, ok);
    for (const bad of ["10.0.0.300/8", "10.0.0.0/33", "2001:db8::/129", "host.example", "1.2.3.4/8/9", "", "01.2.3.4"]) assert.ok(networkRuleProblem(bad), bad);
  });

  test("Premium-only networking and customer-managed keys are problems on the tabs that own them", () => {
    const ctx = { locations: ["local"], skuNetworkRules: { Basic: false, Standard: false, Premium: true }, customerManagedKeyUnavailable: "No key source" };
    const p = wizardProblems(base({ sku: "Basic", publicAccess: "selected", networkRules: ["10.0.0.0/8"], encryption: "customer-managed" }), ctx);
    assert.deepEqual(p.map((x) => x.tab).sort(), ["encryption", "networking"]);
    assert.deepEqual(wizardProblems(base({ sku: "Premium", publicAccess: "selected", networkRules: ["10.0.0.0/8"] }), ctx), []);
  });

  test("blank network-rule rows are ignored, not refused; only a list with no filled row is", () => {
    const ctx = { locations: ["local"], skuNetworkRules: { Basic: false, Standard: false, Premium: true }, customerManagedKeyUnavailable: null };
    assert.deepEqual(wizardProblems(base({ sku: "Premium", publicAccess: "selected", networkRules: ["10.0.0.0/8", " "] }), ctx), []);
    assert.deepEqual(wizardProblems(base({ sku: "Premium", publicAccess: "selected", networkRules: [""] }), ctx).map((p) => p.field), ["networkRules"]);
  });
});

describe("createRegistry", () => {
  test("creates the resource group and the registry in one transaction, with activity", async () => {
    const reg = await createRegistry(owner, base({ location: "westeurope", tags: [{ name: " team ", value: " payments " }] }));
    assert.equal(reg.name, "contoso1");
    assert.equal(reg.location, "westeurope");
    assert.equal(reg.encryption, "service-managed");
    assert.deepEqual(JSON.parse(reg.tags), [{ name: "team", value: "payments" }]);
    const rg = await db().resourceGroup.findUnique({ where: { name: "rg-one" } });
    assert.equal(reg.resourceGroupId, rg?.id);
    const log = await db().activityLog.findMany({ where: { target: { in: ["contoso1", "rg-one"] } } });
    assert.deepEqual(log.map((l) => l.action).sort(), ["registry.create", "resourceGroup.create"]);
  });

  test("a taken name, an unknown location or group and every bad tab are refused with field problems, and nothing is written", async () => {
    const before = await db().registry.count();
    await assert.rejects(createRegistry(owner, base({ name: "CONTOSO1", resourceGroup: { mode: "existing", name: "rg-one" } })), problemsOf(["name"]));
    await assert.rejects(createRegistry(owner, base({ name: "other1", resourceGroup: { mode: "new", name: "rg-one" } })), problemsOf(["resourceGroup"]));
    await assert.rejects(createRegistry(owner, base({ name: "other1", resourceGroup: { mode: "existing", name: "nope" } })), problemsOf(["resourceGroup"]));
    await assert.rejects(
      createRegistry(owner, base({ name: "x", location: "mars", sku: "Gold", publicAccess: "selected", networkRules: ["bad"], encryption: "customer-managed", tags: [{ name: "a", value: "" }, { name: "A", value: "" }] })),
      problemsOf(["name", "location", "sku", "networkRules.0", "encryption", "tags.1.name"]),
    );
    await assert.rejects(createRegistry(owner, base({ name: "basic1", sku: "Basic", publicAccess: "disabled" })), problemsOf(["publicAccess"]));
    assert.equal(await db().registry.count(), before);
    assert.equal(await db().resourceGroup.count({ where: { name: "nope" } }), 0);
  });

  test("Premium with selected networks stores Deny plus the normalised rules", async () => {
    const reg = await createRegistry(owner, base({ name: "premium1", sku: "Premium", resourceGroup: { mode: "existing", name: "rg-one" }, publicAccess: "selected", networkRules: ["10.1.2.3", "2001:db8::/48"] }));
    assert.equal(reg.networkDefaultAction, "Deny");
    assert.deepEqual(JSON.parse(reg.networkRules), ["10.1.2.3/32", "2001:db8::/48"]);
    assert.equal(publicAccessOf(reg), "selected");
  });

  test("only those who may create registries can; a Reader cannot", async () => {
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "reader", role: "Reader", scope: "/registries/contoso1" });
    await assert.rejects(createRegistry(reader, base({ name: "readers1" })), code("DENIED"));
    await assert.rejects(createRegistry(nobody, base({ name: "nobodys1", resourceGroup: { mode: "existing", name: "rg-one" } })), code("DENIED"));
  });

  test("without a resource group (the CLI's default) only the name is needed; the rest takes the wizard's defaults", async () => {
    await assert.rejects(createRegistry(reader, { name: "loose01" }), code("DENIED"), "no resource group: create rights on the organisation");
    const reg = await createRegistry(owner, { name: "Loose01" });
    assert.deepEqual(
      [reg.name, reg.sku, reg.location, reg.resourceGroupName, reg.publicNetworkAccess, reg.encryption, reg.tagList],
      ["loose01", "Standard", "local", null, "Enabled", "service-managed", []],
    );
    const entry = await db().activityLog.findFirstOrThrow({ where: { action: "registry.create", target: "loose01" } });
    assert.equal(JSON.parse(entry.after!).resourceGroup, null);
    await deleteRegistry(owner, "loose01", "loose01");
  });

  test("name check: rules, then availability", async () => {
    assert.deepEqual(await checkRegistryName(owner, "Contoso1"), { name: "contoso1", valid: true, available: false, message: "The registry name 'contoso1' is already in use." });
    assert.equal((await checkRegistryName(owner, "freename1")).available, true);
    assert.equal((await checkRegistryName(owner, "no")).valid, false);
    await assert.rejects(checkRegistryName({ kind: "anonymous" }, "freename1"), code("DENIED"));
  });
});

describe("registry management as a Reader and as an Owner", () => {
  test("a Reader sees only what they may read; anything else looks like it does not exist", async () => {
    assert.deepEqual((await listRegistries(reader)).map((r) => r.name), ["contoso1"]);
    assert.deepEqual((await listRegistries(nobody)).map((r) => r.name), []);
    assert.equal(await findReadableRegistry(reader, "premium1"), null);
    assert.equal((await findReadableRegistry(reader, "CONTOSO1"))?.resourceGroupName, "rg-one");
    await assert.rejects(updateRegistryTags(reader, "premium1", []), code("NOT_FOUND"));
  });

  test("a Reader may change nothing: settings, tags, networking, delete are all refused and nothing changes", async () => {
    const caps = await registryCapabilities(reader, "contoso1", "rg-one");
    assert.equal(caps.changePolicies.allowed, false);
    assert.match(caps.changePolicies.reason, /Owner, Contributor/);
    await assert.rejects(updateRegistry(reader, "contoso1", { anonymousPullEnabled: true }), code("DENIED"));
    await assert.rejects(updateRegistryTags(reader, "contoso1", [{ name: "x", value: "y" }]), code("DENIED"));
    await assert.rejects(updateRegistryNetworking(reader, "contoso1", { publicAccess: "all", networkRules: [] }), code("DENIED"));
    await assert.rejects(deleteRegistry(reader, "contoso1", "contoso1"), code("DENIED"));
    const r = await db().registry.findUnique({ where: { name: "contoso1" } });
    assert.equal(r?.anonymousPullEnabled, false);
    assert.deepEqual(JSON.parse(r!.tags), [{ name: "team", value: "payments" }]);
  });

  test("bad input is a field error, never a crash, and keeps what was stored", async () => {
    await assert.rejects(updateRegistryTags(owner, "contoso1", [{ name: "a".repeat(600), value: "" }]), (e) => code("INVALID")(e) && (e as WharfError).field === "tags.0.name");
    await assert.rejects(updateRegistryNetworking(owner, "premium1", { publicAccess: "selected", networkRules: ["10.0.0.0/8", "nope"] }), (e) => code("INVALID")(e) && (e as WharfError).field === "networkRules.1");
    await assert.rejects(updateRegistryNetworking(owner, "contoso1", { publicAccess: "selected", networkRules: ["10.0.0.0/8"] }), code("INVALID")); // Standard
    await assert.rejects(updateRegistry(owner, "contoso1", { sku: "Gold" }), code("INVALID"));
    await assert.rejects(deleteRegistry(owner, "contoso1", "contoso"), (e) => code("INVALID")(e) && (e as WharfError).field === "confirmName");
    assert.ok(await db().registry.findUnique({ where: { name: "contoso1" } }));
  });

  test("an Owner updates tags (with activity before/after) and deletes with the name typed", async () => {
    await updateRegistryTags(owner, "contoso1", [{ name: "owner", value: "platform" }]);
    const entry = await db().activityLog.findFirst({ where: { action: "registry.updateTags" }, orderBy: { at: "desc" } });
    assert.deepEqual(JSON.parse(entry!.before!), { tags: [{ name: "team", value: "payments" }] });
    assert.deepEqual(JSON.parse(entry!.after!), { tags: [{ name: "owner", value: "platform" }] });
    const result = await deleteRegistry(owner, "contoso1", "Contoso1");
    assert.equal(result.name, "contoso1");
    assert.equal(await db().registry.findUnique({ where: { name: "contoso1" } }), null);
    // Its role assignments went with it.
    assert.equal(await db().roleAssignment.count({ where: { scope: "/registries/contoso1" } }), 0);
    assert.ok(await db().activityLog.findFirst({ where: { action: "registry.delete", target: "contoso1" } }));
  });
});
