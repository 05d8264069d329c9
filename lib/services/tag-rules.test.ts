import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { engineRepo, pushImage } from "../../test/helpers/engine-images";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { LOCAL_OPERATOR } from "../auth/actor";
import type { Principal } from "../auth/principal";
import { globToRegExp, ruleMatches } from "../registry/tag-rules";
import { deleteManifest } from "../registry/manifest-delete";
import { checkPattern, createTagRule, deleteTagRule, listTagRules } from "./tag-rules";
import { createUser } from "./users";

const fails = (c: string, field?: string, text?: RegExp) => (err: unknown) =>
  err instanceof WharfError && err.code === c && (field === undefined || err.field === field) && (!text || text.test(err.message));

describe("glob matching of write-once rules", () => {
  test("'*' stays in one path segment, '**' crosses them, '?' is one character, the rest is literal", () => {
    assert.ok(globToRegExp("v*").test("v1.2.3"));
    assert.ok(!globToRegExp("v*").test("latest"));
    assert.ok(globToRegExp("team/*").test("team/app"));
    assert.ok(!globToRegExp("team/*").test("team/app/web"));
    assert.ok(globToRegExp("team/**").test("team/app/web"));
    assert.ok(globToRegExp("**").test("a/b/c"));
    assert.ok(globToRegExp("rc-?").test("rc-1"));
    assert.ok(!globToRegExp("rc-?").test("rc-10"));
    // '.' is literal, not "any character".
    assert.ok(!globToRegExp("1.0").test("1x0"));
    assert.ok(ruleMatches({ repositoryPattern: "**", tagPattern: "v*" }, "team/app", "v2"));
    assert.ok(!ruleMatches({ repositoryPattern: "team/*", tagPattern: "v*" }, "other/app", "v2"));
  });

  test("patterns are checked: non-empty, at most 128 characters, only allowed characters", () => {
    assert.equal(checkPattern(" v* ", "tag"), "v*");
    assert.equal(checkPattern("team/**", "repository"), "team/**");
    assert.throws(() => checkPattern("", "tag"), fails("INVALID", "tagPattern", /empty/));
    assert.throws(() => checkPattern("v".repeat(129), "tag"), fails("INVALID", "tagPattern", /limit is 128/));
    assert.throws(() => checkPattern("v/1", "tag"), fails("INVALID", "tagPattern", /contains '\/'/));
    assert.throws(() => checkPattern("v[12]", "tag"), fails("INVALID", "tagPattern", /contains '\['/));
    assert.throws(() => checkPattern("Team/*", "repository"), fails("INVALID", "repositoryPattern", /contains 'T'/));
  });
});

describe("write-once rule service", () => {
  let registryId: string;
  let reader: Principal;

  before(async () => {
    await useTempDatabase();
    registryId = (await db().registry.create({ data: { name: "contoso" } })).id;
    reader = { kind: "user", id: (await createUser("reader", "reader-password")).id, name: "reader" };
    await db().roleAssignment.create({ data: { principalType: "user", principalId: reader.kind === "user" ? reader.id : "", role: "Reader", scope: "/registries/contoso" } });
  });

  test("create, list, duplicate, delete; each change recorded; Reader may list but not change", async () => {
    const rule = await createTagRule(LOCAL_OPERATOR, { registry: "contoso", tagPattern: "v*" });
    assert.equal(rule.repositoryPattern, "**");
    await assert.rejects(createTagRule(LOCAL_OPERATOR, { registry: "contoso", tagPattern: "v*", repositoryPattern: "**" }), fails("CONFLICT", "tagPattern", /already exists/));
    await assert.rejects(createTagRule(reader, { registry: "contoso", tagPattern: "x*" }), fails("DENIED"));
    // Authorisation first: a bad pattern from a Reader is still DENIED.
    await assert.rejects(createTagRule(reader, { registry: "contoso", tagPattern: "" }), fails("DENIED"));
    assert.deepEqual((await listTagRules(reader, { registry: "contoso" })).map((r) => [r.repositoryPattern, r.tagPattern]), [["**", "v*"]]);
    await assert.rejects(deleteTagRule(reader, { registry: "contoso", id: rule.id }), fails("DENIED"));
    await assert.rejects(deleteTagRule(LOCAL_OPERATOR, { registry: "contoso", id: "nope" }), fails("NOT_FOUND", "id"));
    await deleteTagRule(LOCAL_OPERATOR, { registry: "contoso", id: rule.id });
    assert.deepEqual(await listTagRules(LOCAL_OPERATOR, { registry: "contoso" }), []);
    const log = await db().activityLog.findMany({ where: { registryId, action: { startsWith: "tagRule." } }, orderBy: { at: "asc" } });
    assert.deepEqual(log.map((l) => l.action), ["tagRule.create", "tagRule.delete"]);
    assert.equal(JSON.parse(log[1].before!).tagPattern, "v*");
  });

  test("the engine enforces a rule made through the service: no move, no delete; other tags still move", async () => {
    const repo = await engineRepo(registryId, "contoso", "team/app");
    await createTagRule(LOCAL_OPERATOR, { registry: "contoso", tagPattern: "v*", repositoryPattern: "team/*" });
    const first = await pushImage(repo, "v1");
    await pushImage(repo, "latest");
    await assert.rejects(pushImage(repo, "v1"), fails("DENIED", undefined, /write-once/));
    await assert.rejects(deleteManifest(repo, "v1"), fails("DENIED", undefined, /write-once/));
    await assert.rejects(deleteManifest(repo, first.digest), fails("DENIED", undefined, /write-once/));
    const moved = await pushImage(repo, "latest");
    const latest = await db().tag.findFirstOrThrow({ where: { repositoryId: repo.id, name: "latest" }, select: { manifest: { select: { digest: true } } } });
    assert.equal(latest.manifest.digest, moved.digest);
    const v1 = await db().tag.findFirstOrThrow({ where: { repositoryId: repo.id, name: "v1" }, select: { manifest: { select: { digest: true } } } });
    assert.equal(v1.manifest.digest, first.digest);
  });
});
