import { test } from "node:test";
import assert from "node:assert/strict";
import { checkLoginServer, checkRuleName, checkRuleShape, ruleFor, targetsOverlap, upstreamOf } from "./rule-match";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: string }).code, field: (err as { field?: string }).field, message: (err as Error).message };
  }
  return null;
};

test("exact and wildcard rules are normalised; docker.io one-part names get library/", () => {
  assert.deepEqual(
    { ...checkRuleShape({ sourceRepo: "docker.io/ubuntu", targetRepo: "ubuntu" }), source: undefined },
    { sourceRepo: "docker.io/library/ubuntu", targetRepo: "ubuntu", source: undefined },
  );
  const r = checkRuleShape({ sourceRepo: "127.0.0.1:5651/team/*", targetRepo: "mirror/*" });
  assert.equal(r.sourceRepo, "127.0.0.1:5651/team/*");
  assert.equal(r.targetRepo, "mirror/*");
});

test("a wildcard on one side only, or not trailing, is refused with the field named", () => {
  assert.equal(code(() => checkRuleShape({ sourceRepo: "docker.io/library/*", targetRepo: "ubuntu" }))?.field, "targetRepo");
  assert.equal(code(() => checkRuleShape({ sourceRepo: "docker.io/library/ubuntu", targetRepo: "hub/*" }))?.field, "targetRepo");
  const mid = code(() => checkRuleShape({ sourceRepo: "docker.io/a/*/b", targetRepo: "x/*/b" }));
  assert.equal(mid?.field, "sourceRepo");
  assert.match(mid!.message, /trailing '\/\*'/);
  assert.equal(code(() => checkRuleShape({ sourceRepo: "ubuntu", targetRepo: "ubuntu" }))?.field, "sourceRepo");
  assert.equal(code(() => checkRuleShape({ sourceRepo: "docker.io/Ubuntu", targetRepo: "ubuntu" }))?.code, "INVALID");
  assert.equal(code(() => checkRuleShape({ sourceRepo: "docker.io/library/ubuntu", targetRepo: "UB" }))?.field, "targetRepo");
});

test("names follow ACR's rule; login servers lose scheme and slash", () => {
  assert.equal(checkRuleName("my-rule-1", "cache rule"), "my-rule-1");
  assert.equal(code(() => checkRuleName("abc", "cache rule"))?.field, "name");
  assert.equal(code(() => checkRuleName("-abcdef", "credential set"))?.field, "name");
  assert.equal(code(() => checkRuleName("a".repeat(51), "cache rule"))?.code, "INVALID");
  assert.equal(checkLoginServer("https://Registry.Example.com:5000/"), "registry.example.com:5000");
  assert.equal(checkLoginServer("registry-1.docker.io"), "docker.io");
  assert.equal(code(() => checkLoginServer("a b"))?.field, "loginServer");
});

test("overlap: equal names, a prefix covering a name or another prefix", () => {
  assert.equal(targetsOverlap("ubuntu", "ubuntu"), true);
  assert.equal(targetsOverlap("ubuntu", "alpine"), false);
  assert.equal(targetsOverlap("hub/*", "hub/ubuntu"), true);
  assert.equal(targetsOverlap("hub/ubuntu", "hub/*"), true);
  assert.equal(targetsOverlap("hub/*", "hub/team/*"), true);
  assert.equal(targetsOverlap("hub/*", "hub"), false);
  assert.equal(targetsOverlap("hub/*", "hubx/*"), false);
  assert.equal(targetsOverlap("hub/*", "hub/*"), true);
});

test("matching picks the covering rule and maps the path under a wildcard", () => {
  const rules = [
    { name: "a", sourceRepo: "docker.io/library/ubuntu", targetRepo: "ubuntu" },
    { name: "b", sourceRepo: "127.0.0.1:5651/team/*", targetRepo: "mirror/*" },
  ];
  assert.equal(ruleFor(rules, "ubuntu")?.name, "a");
  assert.equal(ruleFor(rules, "ubuntu/x"), null);
  assert.equal(ruleFor(rules, "mirror"), null);
  const b = ruleFor(rules, "mirror/app/web")!;
  assert.equal(b.name, "b");
  assert.deepEqual(upstreamOf(b, "mirror/app/web"), { host: "127.0.0.1:5651", repository: "team/app/web" });
  assert.deepEqual(upstreamOf(rules[0], "ubuntu"), { host: "docker.io", repository: "library/ubuntu" });
});
