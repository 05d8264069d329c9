import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
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

describe("TLS settings", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-config-tls-"));
  const cert = path.join(dir, "c.pem");
  const key = path.join(dir, "k.pem");
  fs.writeFileSync(cert, "x");
  fs.writeFileSync(key, "x");

  it("plain HTTP unless asked; both files, or a generated certificate", () => {
    assert.deepEqual(parseConfig({}).tls, { mode: "off" });
    assert.deepEqual(parseConfig({ WHARF_TLS: "off" }).tls, { mode: "off" });
    assert.deepEqual(parseConfig({ WHARF_TLS_CERT: cert, WHARF_TLS_KEY: key }).tls, { mode: "files", certFile: cert, keyFile: key });
    assert.deepEqual(parseConfig({ WHARF_TLS: "self-signed" }).tls, { mode: "self-signed" });
    assert.deepEqual(parseConfig({ WHARF_TLS_HOSTNAMES: "Registry.LAN, 10.0.0.5,,registry.lan" }).WHARF_TLS_HOSTNAMES, ["registry.lan", "10.0.0.5"]);
  });

  it("refuses half a pair, unreadable paths, a mix, and unknown modes, naming the variable", () => {
    assert.throws(() => parseConfig({ WHARF_TLS_KEY: key }), /WHARF_TLS_KEY is set but WHARF_TLS_CERT is not/);
    assert.throws(() => parseConfig({ WHARF_TLS_CERT: cert, WHARF_TLS_KEY: path.join(dir, "gone.pem") }), /WHARF_TLS_KEY: cannot read ".*gone\.pem" \(no such file\)/);
    assert.throws(() => parseConfig({ WHARF_TLS_CERT: dir, WHARF_TLS_KEY: key }), /WHARF_TLS_CERT: ".*" is not a file/);
    assert.throws(() => parseConfig({ WHARF_TLS: "self-signed", WHARF_TLS_CERT: cert, WHARF_TLS_KEY: key }), /WHARF_TLS=self-signed generates its own certificate/);
    assert.throws(() => parseConfig({ WHARF_TLS: "on" }), /WHARF_TLS: must be "self-signed"/);
    assert.throws(() => parseConfig({ WHARF_TLS_HOSTNAMES: "bad name" }), /WHARF_TLS_HOSTNAMES/);
  });
});
