import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { createUser } from "../services/users";
import { LOCAL_OPERATOR } from "../auth/actor";
import { listActivity } from "../services/activity";
import type { Principal } from "../auth/principal";
import { listCatalog } from "./catalog";
import { getLocks, setLocks } from "../services/locks";
import { manifestService } from "./manifest-service";
import { splitName } from "../core/names";
import { ensureRepository, type Repo } from "./repository-resolver";
import { tagService } from "./tag-service";
import { uploadSessions } from "./upload-session";

/** Locks against a real SQLite database and the real engine (no HTTP). */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const denied = (lock: string) => (err: unknown) =>
  err instanceof WharfError && err.code === "DENIED" && (err.detail as { lock: string }).lock === lock && /To lift the lock/.test(err.message);
const wharfCode = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;

async function image(repo: Repo, tag: string, seed: string): Promise<string> {
  const layer = Buffer.from(`layer ${seed}`);
  const cfg = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", seed }));
  for (const b of [layer, cfg]) {
    const s = await uploadSessions.start(repo);
    await uploadSessions.finish(repo, s.id, sha(b), Readable.from([b]));
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(cfg), size: cfg.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha(layer), size: layer.length }],
    }),
  );
  await manifestService.put(repo, tag, manifest, "application/vnd.oci.image.manifest.v1+json");
  return sha(manifest);
}

let repo: Repo;
let pusher: Principal;
let puller: Principal;
let deleter: Principal;

before(async () => {
  await useTempDatabase();
  await db().registry.create({ data: { name: "contoso", sku: "Premium" } });
  repo = await ensureRepository(splitName("contoso/app", null));
  const mk = async (name: string, role: string) => {
    const u = await createUser(name, `${name}-password`);
    await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role, scope: "/registries/contoso" } });
    return { kind: "user", id: u.id, name } as Principal;
  };
  pusher = await mk("pusher", "AcrPush");
  puller = await mk("puller", "AcrPull");
  deleter = await mk("deleter", "AcrDelete");
});

describe("lock service", () => {
  test("defaults are all true; validation names the field", async () => {
    await image(repo, "v1", "one");
    const v = await getLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "v1" });
    assert.deepEqual(v.changeableAttributes, { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true });
    assert.equal(v.level, "tag");
    await assert.rejects(setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "v1" }, {}), wharfCode("INVALID"));
    await assert.rejects(
      setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "v1" }, { writeEnabled: "no" as unknown as boolean }),
      (e: unknown) => e instanceof WharfError && e.field === "writeEnabled",
    );
    await assert.rejects(setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "v1" }, { frozen: true } as never), wharfCode("INVALID"));
    await assert.rejects(setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "v1", digest: sha("x") }, { readEnabled: false }), wharfCode("INVALID"));
    await assert.rejects(setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "App!", }, { readEnabled: false }), wharfCode("INVALID"));
    await assert.rejects(setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "nope" }, { readEnabled: false }), wharfCode("NOT_FOUND"));
    await assert.rejects(setLocks(LOCAL_OPERATOR, { registry: "nosuchreg", repository: "app" }, { readEnabled: false }), wharfCode("NOT_FOUND"));
  });

  test("authorisation: push for write/read/list, deleteImage for delete; pull to read locks", async () => {
    const t = { registry: "contoso", repository: "app", tag: "v1" };
    await assert.rejects(setLocks(puller, t, { writeEnabled: false }), wharfCode("DENIED"));
    await assert.rejects(setLocks(pusher, t, { deleteEnabled: false }), wharfCode("DENIED"));
    await assert.rejects(setLocks(deleter, t, { writeEnabled: false }), wharfCode("DENIED"));
    await assert.rejects(setLocks(deleter, t, { deleteEnabled: false, listEnabled: false }), wharfCode("DENIED"), "needs both permissions");
    await setLocks(deleter, t, { deleteEnabled: false });
    await setLocks(pusher, t, { listEnabled: false });
    assert.deepEqual((await getLocks(puller, t)).changeableAttributes, { writeEnabled: true, deleteEnabled: false, readEnabled: true, listEnabled: false });
    await assert.rejects(getLocks(deleter, t), wharfCode("DENIED"), "AcrDelete cannot pull, so it cannot read locks");
    const log = (await listActivity(LOCAL_OPERATOR, { take: 5 })).items;
    const entry = log.find((e) => e.action === "tag.updateLocks" && e.actor === "pusher");
    assert.ok(entry, "activity recorded");
    assert.equal(entry.target, "contoso/app:v1");
    assert.equal(JSON.parse(entry.before!).listEnabled, true);
    assert.equal(JSON.parse(entry.after!).listEnabled, false);
    await setLocks(LOCAL_OPERATOR, t, { deleteEnabled: true, listEnabled: true });
  });
});

describe("locks in the engine", () => {
  test("a write-locked tag cannot be moved or deleted; re-pushing the same content is a no-op", async () => {
    const d1 = await image(repo, "stable", "s1");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "stable" }, { writeEnabled: false });
    await assert.rejects(image(repo, "stable", "s2"), denied("writeEnabled"));
    assert.equal((await manifestService.resolve(repo, "stable")).digest, d1, "tag still points at the first image");
    await image(repo, "stable", "s1"); // identical bytes: nothing changes, allowed
    await assert.rejects(manifestService.delete(repo, "stable"), denied("writeEnabled"));
    await assert.rejects(manifestService.delete(repo, d1), denied("writeEnabled"), "deleting the manifest would delete the locked tag");
    await image(repo, "other-tag", "s2"); // other tags are free
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "stable" }, { writeEnabled: true });
    await image(repo, "stable", "s3");
  });

  test("delete locks on tag, manifest and repository", async () => {
    const d = await image(repo, "keep", "k1");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", digest: d }, { deleteEnabled: false });
    await assert.rejects(manifestService.delete(repo, d), denied("deleteEnabled"));
    await manifestService.delete(repo, "keep"); // the tag itself is not locked
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", digest: d }, { deleteEnabled: true });
    await image(repo, "keep", "k1");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app" }, { deleteEnabled: false });
    await assert.rejects(manifestService.delete(repo, "keep"), denied("deleteEnabled"));
    await assert.rejects(manifestService.delete(repo, d), denied("deleteEnabled"));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app" }, { deleteEnabled: true });
    await manifestService.delete(repo, d);
  });

  test("read locks refuse resolution by tag and by digest", async () => {
    const d = await image(repo, "secret", "r1");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", digest: d }, { readEnabled: false });
    await assert.rejects(manifestService.resolve(repo, "secret"), denied("readEnabled"));
    await assert.rejects(manifestService.resolve(repo, d), denied("readEnabled"));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", digest: d }, { readEnabled: true });
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "secret" }, { readEnabled: false });
    await assert.rejects(manifestService.resolve(repo, "secret"), denied("readEnabled"));
    assert.equal((await manifestService.resolve(repo, d)).digest, d, "a tag's read lock does not lock the manifest");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "secret" }, { readEnabled: true });
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app" }, { readEnabled: false });
    await assert.rejects(manifestService.resolve(repo, d), denied("readEnabled"));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app" }, { readEnabled: true });
    assert.equal((await manifestService.resolve(repo, "secret")).digest, d);
  });

  test("list locks hide tags and repositories, which stay pullable", async () => {
    const hidden = await ensureRepository(splitName("contoso/hidden", null));
    await image(hidden, "v1", "h1");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "secret" }, { listEnabled: false });
    assert.ok(!(await tagService.list(repo, {})).items.includes("secret"));
    assert.ok((await tagService.list(repo, {})).items.includes("stable"));
    await manifestService.resolve(repo, "secret");
    assert.deepEqual((await listCatalog({})).items, ["contoso/app", "contoso/hidden"]);
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "hidden" }, { listEnabled: false });
    assert.deepEqual((await listCatalog({})).items, ["contoso/app"]);
    await manifestService.resolve(hidden, "v1");
  });

  test("a write-locked repository takes no new manifests", async () => {
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app" }, { writeEnabled: false });
    await assert.rejects(image(repo, "new", "n1"), denied("writeEnabled"));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app" }, { writeEnabled: true });
    await image(repo, "new", "n1");
  });
});
