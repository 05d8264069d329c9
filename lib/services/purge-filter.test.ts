import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WharfError } from "../core/errors";
import { matchNames, MAX_FILTER_LENGTH, MAX_FILTERS, parseFilters, splitFilter } from "./purge-filter";

const invalidWith = (text: RegExp) => (err: unknown) => err instanceof WharfError && err.code === "INVALID" && err.field === "filters" && text.test(err.message);

describe("purge filters", () => {
  test("split at the one ':' outside groups and classes", () => {
    assert.deepEqual(splitFilter("hello-world:.*"), { repository: "hello-world", tag: ".*" });
    assert.deepEqual(splitFilter("team/.*:(?:v1|v2)"), { repository: "team/.*", tag: "(?:v1|v2)" });
    assert.deepEqual(splitFilter("app:[:a-z]+"), { repository: "app", tag: "[:a-z]+" });
    assert.deepEqual(splitFilter("app:v\\:1"), { repository: "app", tag: "v\\:1" });
    assert.equal(splitFilter("no-colon"), null);
    assert.equal(splitFilter("a:b:c"), null);
  });

  test("parse refuses what acr purge refuses, with a message that says what to write", () => {
    assert.throws(() => parseFilters([]), invalidWith(/at least one filter/));
    assert.throws(() => parseFilters(["hello"]), invalidWith(/REPOSITORY_REGEX:TAG_REGEX/));
    assert.throws(() => parseFilters([":v1"]), invalidWith(/no repository expression/));
    assert.throws(() => parseFilters(["hello:"]), invalidWith(/no tag expression/));
    assert.throws(() => parseFilters(["hello:v(1"]), invalidWith(/tag expression 'v\(1'.*not a valid regular expression/));
    assert.throws(() => parseFilters(["hel[lo:v1"]), invalidWith(/not a valid regular expression|REPOSITORY_REGEX/));
    assert.throws(() => parseFilters([`a:${"b".repeat(MAX_FILTER_LENGTH)}`]), invalidWith(/limit is 256/));
    assert.throws(() => parseFilters(Array.from({ length: MAX_FILTERS + 1 }, (_, i) => `r${i}:.*`)), invalidWith(/at most 20 filters/));
    assert.deepEqual(parseFilters([" hello:v1 "]), [{ text: "hello:v1", repository: "hello", tag: "v1" }]);
  });

  test("expressions match whole names only, as acr-cli anchors them", () => {
    assert.deepEqual(matchNames(["v1"], ["v1", "v10", "xv1"]), [true, false, false]);
    assert.deepEqual(matchNames(["v1|v2"], ["v1", "v2", "v12"]), [true, true, false]);
    assert.deepEqual(matchNames(["hello", "team/.*"], ["hello", "hello-world", "team/a", "team"]), [true, false, true, false]);
    assert.deepEqual(matchNames([], ["a"]), [false]);
  });

  test("an expression that backtracks catastrophically fails with a message instead of hanging", () => {
    assert.throws(() => matchNames(["(a+)+"], ["a".repeat(40) + "!"]), invalidWith(/backtracks/));
  });
});
