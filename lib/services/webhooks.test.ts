import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { LOCAL_OPERATOR } from "../auth/actor";
import type { Principal } from "../auth/principal";
import { createUser } from "./users";
import { createWebhook, deleteWebhook, getWebhookConfig, listWebhooks, showWebhook, updateWebhook } from "./webhooks";
import { pingWebhook } from "./webhook-deliveries";

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
let reader: Principal;

before(async () => {
  await useTempDatabase();
  const r = await db().registry.create({ data: { name: "contoso", sku: "Basic" } });
  const u = await createUser("reader", "reader-password");
  await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "Reader", scope: `/registries/contoso`, registryId: r.id } });
  reader = { kind: "user", id: u.id, name: "reader" };
  await createWebhook(LOCAL_OPERATOR, { registry: "contoso", name: "cihook", uri: "http://127.0.0.1:1/h?token=secret", actions: ["push"] });
});

describe("who may do what with webhooks", () => {
  test("a Reader lists and shows them, without the URI's query", async () => {
    assert.deepEqual((await listWebhooks(reader, { registry: "contoso" })).map((h) => h.uri), ["http://127.0.0.1:1/h"]);
    assert.equal((await showWebhook(reader, { registry: "contoso", name: "cihook" })).name, "cihook");
  });
  test("a Reader may not read the configuration nor change anything; refused before the input is judged", async () => {
    await assert.rejects(getWebhookConfig(reader, { registry: "contoso", name: "cihook" }), code("DENIED"));
    await assert.rejects(createWebhook(reader, { registry: "contoso", name: "x", uri: "nope", actions: ["quarantine"] }), code("DENIED"));
    await assert.rejects(updateWebhook(reader, { registry: "contoso", name: "cihook", status: "disabled" }), code("DENIED"));
    await assert.rejects(pingWebhook(reader, { registry: "contoso", name: "cihook", wait: false }), code("DENIED"));
    await assert.rejects(deleteWebhook(reader, { registry: "contoso", name: "cihook" }), code("DENIED"));
  });
  test("every change is in the activity log", async () => {
    await updateWebhook(LOCAL_OPERATOR, { registry: "contoso", name: "cihook", status: "disabled" });
    const actions = (await db().activityLog.findMany({ where: { action: { startsWith: "webhook." } }, orderBy: { at: "asc" } })).map((a) => a.action);
    assert.deepEqual(actions, ["webhook.create", "webhook.update"]);
  });
  test("Basic's limit of 2 refuses the third, naming the SKU and the fix", async () => {
    await createWebhook(LOCAL_OPERATOR, { registry: "contoso", name: "second", uri: "http://127.0.0.1:1/h", actions: ["delete"] });
    await assert.rejects(createWebhook(LOCAL_OPERATOR, { registry: "contoso", name: "thirdhook", uri: "http://127.0.0.1:1/h", actions: ["push"] }), (err: unknown) => {
      assert.ok(code("CONFLICT")(err));
      assert.match((err as Error).message, /Basic limit of 2.*Delete one.*upgrade the SKU/);
      return true;
    });
  });
});

describe("a webhook whose sealed secret cannot be opened", () => {
  test("fails its attempt with the reason in the log, instead of being retried unseen", async () => {
    const { deliverHere } = await import("./webhook-worker");
    const registryId = (await db().registry.findUniqueOrThrow({ where: { name: "contoso" } })).id;
    const hook = await db().webhook.update({ where: { registryId_name: { registryId, name: "cihook" } }, data: { secretSealed: "v1:not-sealed-with-this-key" } });
    const d = await db().webhookDelivery.create({ data: { webhookId: hook.id, eventId: "e1", action: "push", payload: "{}" } });
    assert.equal(await deliverHere(d.id), true);
    const after = await db().webhookDelivery.findUniqueOrThrow({ where: { id: d.id }, include: { log: true } });
    assert.equal(after.attempts, 1);
    assert.equal(after.leaseOwner, null);
    assert.match(after.log[0]?.error ?? "", /secrets key/);
  });
});
