import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { closeTempDatabase, useEngineRepositories } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { deleteManifest, deleteRepository } from "./manifest-delete";
import { manifestService } from "./manifest-service";
import type { Repo } from "./repository-resolver";
import { scopeMatches } from "./events";
import { uploadSessions } from "./upload-session";

/** The event path against a real database: pushes and deletes write activity rows and webhook outbox rows with the change. */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const by = { actor: "ci-bot", address: "192.0.2.7", request: { id: "r-1", host: "wharf.example", method: "PUT", useragent: "skopeo/1.9" } };

let dataDir: string;
let repo: Repo;
let n = 0;

async function pushImage(r: Repo, tag: string) {
  const blob = async (data: Buffer) => {
    const s = await uploadSessions.start(r);
    return uploadSessions.finish(r, s.id, sha(data), Readable.from([data]));
  };
  const l = await blob(Buffer.from(`layer ${++n} ${crypto.randomUUID()}`));
  const c = await blob(Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", n })));
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", ...c }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...l }] }));
  await manifestService.put(r, tag, bytes, OCI_MANIFEST, by);
  return { digest: sha(bytes), size: bytes.length };
}

async function hook(name: string, actions: string, scope = "", status = "enabled") {
  const reg = await db().registry.findUniqueOrThrow({ where: { name: "contoso" } });
  return db().webhook.create({ data: { registryId: reg.id, name, uriSealed: "x", uriDisplay: "http://receiver/", actions, scope, secretSealed: "x", status } });
}

const deliveriesOf = async (webhookId: string) =>
  (await db().webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } })).map((d) => ({ action: d.action, payload: JSON.parse(d.payload) }));

describe("events", () => {
  before(async () => {
    ({ dataDir, repo } = await useEngineRepositories());
  });
  after(() => closeTempDatabase(dataDir));

  it("reads a webhook scope as ACR does", () => {
    assert.equal(scopeMatches("", "app", []), true);
    assert.equal(scopeMatches("app:*", "app", []), true);
    assert.equal(scopeMatches("app:*", "other", ["v1"]), false);
    assert.equal(scopeMatches("app:v1", "app", ["v1"]), true);
    assert.equal(scopeMatches("app:v1", "app", ["v2"]), false);
    assert.equal(scopeMatches("app", "app", ["latest"]), true);
    assert.equal(scopeMatches("app", "app", ["v1"]), false);
    assert.equal(scopeMatches("team/*:*", "team/api", ["v1"]), true);
    assert.equal(scopeMatches("team/*:*", "teamx/api", ["v1"]), false);
  });

  it("a push writes its activity row and an ACR-shaped payload for each matching enabled webhook, in the same transaction", async () => {
    const all = await hook("all", "push,delete");
    const onlyV2 = await hook("v2only", "push", "app:v2");
    const off = await hook("off", "push", "", "disabled");
    const deletesOnly = await hook("deletes", "delete");
    const img = await pushImage(repo, "v1");

    const row = await db().activityLog.findFirstOrThrow({ where: { action: "manifest.push", digest: img.digest } });
    assert.deepEqual(
      { actor: row.actor, address: row.address, repository: row.repository, tag: row.tag, result: row.result, target: row.target, registryId: row.registryId },
      { actor: "ci-bot", address: "192.0.2.7", repository: "app", tag: "v1", result: "ok", target: "contoso/app:v1", registryId: repo.registryId },
    );
    const [d] = await deliveriesOf(all.id);
    assert.equal(d.action, "push");
    assert.deepEqual(d.payload.target, { mediaType: OCI_MANIFEST, size: img.size, digest: img.digest, length: img.size, repository: "app", tag: "v1" });
    assert.deepEqual(d.payload.request, by.request);
    assert.match(d.payload.id, /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Date.parse(d.payload.timestamp) - Date.now()) < 60_000);
    assert.deepEqual(await deliveriesOf(onlyV2.id), [], "scope app:v2 does not match app:v1");
    assert.deepEqual(await deliveriesOf(off.id), [], "a disabled webhook gets nothing");
    assert.deepEqual(await deliveriesOf(deletesOnly.id), [], "a delete-only webhook gets no push");
    await pushImage(repo, "v2");
    assert.equal((await deliveriesOf(onlyV2.id)).length, 1);
  });

  it("a refused push leaves neither an activity row nor an outbox row", async () => {
    const before = [await db().activityLog.count(), await db().webhookDelivery.count()];
    await assert.rejects(manifestService.put(repo, "bad", Buffer.from("{}"), OCI_MANIFEST, by), WharfError);
    assert.deepEqual([await db().activityLog.count(), await db().webhookDelivery.count()], before);
  });

  it("a manifest delete sends delete with what it removed; a tag delete is activity only; a repository delete sends delete", async () => {
    const hooks = await hook("deletes-2", "delete", "app:*");
    const img = await pushImage(repo, "gone");
    await deleteManifest(repo, "v1", { actor: "alice" });
    assert.equal((await deliveriesOf(hooks.id)).length, 0, "ACR sends no delete for an untag");
    assert.equal(await db().activityLog.count({ where: { action: "tag.delete", tag: "v1", actor: "alice" } }), 1);
    await deleteManifest(repo, img.digest, { actor: "alice", origin: { address: "198.51.100.1" } });
    const [d] = await deliveriesOf(hooks.id);
    assert.deepEqual(d.payload.target, { mediaType: OCI_MANIFEST, digest: img.digest, repository: "app" });
    const row = await db().activityLog.findFirstOrThrow({ where: { action: "manifest.delete", digest: img.digest } });
    assert.equal(row.address, "198.51.100.1");
    await deleteRepository(repo, { actor: "alice" });
    const all = await deliveriesOf(hooks.id);
    assert.deepEqual(all[1]?.payload.target, { repository: "app" });
  });
});
