import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertRepositoryName, isValidTag, splitName } from "./names";
import { parseDigest } from "./digest";
import { KeyedLock } from "../registry/keyed-lock";
import { ByteLru } from "../registry/manifest-cache";

describe("names", () => {
  it("accepts the OCI grammar", () => {
    for (const n of ["contoso/hello", "a/b/c", "contoso/hello-world", "x/a.b_c__d--e", "abcde/0"]) assert.doesNotThrow(() => assertRepositoryName(n), n);
  });
  it("refuses upper case, '..', empty components and separators at the ends", () => {
    for (const n of ["Contoso/x", "contoso/..", "contoso//x", "/x", "x/", "contoso/-x", "contoso/x-", "contoso/a..b", "", "a/b:c"]) {
      assert.throws(() => assertRepositoryName(n), { code: "NAME_INVALID" }, n);
    }
  });
  it("splits path-style names into registry and repository", () => {
    assert.deepEqual(splitName("contoso/team/app", null), { fullName: "contoso/team/app", registry: "contoso", repository: "team/app" });
    assert.deepEqual(splitName("app", "contoso"), { fullName: "app", registry: "contoso", repository: "app" });
    assert.throws(() => splitName("contoso", null), { code: "NAME_INVALID" });
    assert.throws(() => splitName("ab/app", null), { code: "NAME_INVALID" }, "registry names have 5+ characters");
  });
  it("tags", () => {
    assert.ok(isValidTag("v1.0_rc-1"));
    assert.ok(!isValidTag(".hidden"));
    assert.ok(!isValidTag("-x"));
    assert.ok(!isValidTag("x".repeat(129)));
  });
});

describe("digests", () => {
  it("parses sha256 and sha512, refuses the rest with DIGEST_INVALID", () => {
    assert.equal(parseDigest("sha256:" + "a".repeat(64)).algorithm, "sha256");
    assert.equal(parseDigest("sha512:" + "b".repeat(128)).algorithm, "sha512");
    for (const d of ["sha256:abc", "md5:" + "a".repeat(32), "sha256:" + "A".repeat(64), "nope", ""]) {
      assert.throws(() => parseDigest(d), { code: "DIGEST_INVALID" }, d);
    }
  });
});

describe("helpers", () => {
  it("KeyedLock runs work for one key one at a time, other keys in parallel", async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const slow = (tag: string, ms: number) => async () => {
      order.push(`start ${tag}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${tag}`);
    };
    await Promise.all([lock.run("a", slow("a1", 20)), lock.run("a", slow("a2", 1)), lock.run("b", slow("b1", 1))]);
    assert.ok(order.indexOf("end a1") < order.indexOf("start a2"));
    assert.ok(order.indexOf("start b1") < order.indexOf("end a1"));
  });
  it("ByteLru evicts least recently used entries beyond its byte budget", () => {
    const lru = new ByteLru(100);
    lru.set("a", Buffer.alloc(20));
    lru.set("b", Buffer.alloc(20));
    lru.get("a");
    lru.set("c", Buffer.alloc(20));
    lru.set("d", Buffer.alloc(20));
    lru.set("e", Buffer.alloc(20));
    lru.set("f", Buffer.alloc(20));
    assert.equal(lru.get("b"), undefined);
    assert.ok(lru.get("a"));
  });
});
