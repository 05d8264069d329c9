import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ConfigError, parseConfig } from "./config";

test("defaults make a bare start work", () => {
  const c = parseConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.HOST, "0.0.0.0");
  assert.equal(c.dataDir, path.resolve("data"));
  assert.equal(c.databaseUrl, `file:${path.resolve("data", "wharf.db")}`);
  assert.deepEqual(c.WHARF_TRUST_PROXY, []);
  assert.equal(c.WHARF_HEADERS_TIMEOUT_SECONDS, 30);
  assert.equal(c.WHARF_MAX_CONNECTIONS_PER_ADDRESS, 50);
});

test("a bad value stops start-up with a message naming the variable", () => {
  assert.throws(() => parseConfig({ PORT: "eighty" }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /PORT/);
    assert.match(err.message, /"eighty"/);
    return true;
  });
  assert.throws(() => parseConfig({ WHARF_ADMIN_PASSWORD: "short" }), /WHARF_ADMIN_PASSWORD: must be at least 8 characters/);
  assert.throws(() => parseConfig({ WHARF_REGISTRY_DOMAIN: "Not A Domain" }), /WHARF_REGISTRY_DOMAIN/);
  assert.throws(() => parseConfig({ WHARF_TRUST_PROXY: "maybe" }), /WHARF_TRUST_PROXY: invalid IP address: maybe/);
});

test("empty values count as unset", () => {
  assert.equal(parseConfig({ PORT: "" }).PORT, 3000);
});

test("values are coerced", () => {
  const c = parseConfig({ PORT: "8080", WHARF_TRUST_PROXY: "loopback, 10.0.0.0/8", WHARF_DATA_DIR: "/tmp/x" });
  assert.equal(c.PORT, 8080);
  assert.deepEqual(c.WHARF_TRUST_PROXY, ["loopback", "10.0.0.0/8"]);
  assert.equal(c.blobsDir, "/tmp/x/blobs");
});

test("WHARF_TRUST_PROXY=true is refused with the fix: list the proxies", () => {
  for (const v of ["true", "1", "yes", "10.0.0.1,true"]) {
    assert.throws(() => parseConfig({ WHARF_TRUST_PROXY: v }), /WHARF_TRUST_PROXY: .*list your proxies' addresses instead/);
  }
  assert.deepEqual(parseConfig({ WHARF_TRUST_PROXY: "false" }).WHARF_TRUST_PROXY, []);
});

describe("configuration errors never show secrets", () => {
  it("masks a URL's password and hides secret variables", () => {
    assert.throws(() => parseConfig({ WHARF_DATABASE_URL: "mysql://app:hunter22@db/x" }), (err: Error) => !err.message.includes("hunter22") && err.message.includes("app:***@"));
    assert.throws(() => parseConfig({ WHARF_ADMIN_PASSWORD: "short" }), (err: Error) => !err.message.includes("short\"") && err.message.includes("(hidden)"));
  });
});
