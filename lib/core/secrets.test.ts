import { after, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig, ConfigError } from "./config";
import { startContext } from "./context";
import { openSecret, sealSecret } from "./secrets";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "upstream-secrets-"));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test("a sealed secret opens to the same text, hides it, and differs each time", () => {
  startContext(parseConfig({ WHARF_DATA_DIR: tempDir() }));
  const a = sealSecret("pa55:wörd");
  const b = sealSecret("pa55:wörd");
  assert.match(a, /^v1:/);
  assert.notEqual(a, b);
  assert.ok(!a.includes("pa55"));
  assert.equal(openSecret(a), "pa55:wörd");
  assert.equal(openSecret(b), "pa55:wörd");
});

test("without WHARF_SECRETS_KEY the key is generated once into the data dir, 0600, and reused by the next context", () => {
  const dir = tempDir();
  startContext(parseConfig({ WHARF_DATA_DIR: dir }));
  const sealed = sealSecret("hunter2");
  const file = path.join(dir, "keys", "secrets-key");
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  startContext(parseConfig({ WHARF_DATA_DIR: dir }));
  assert.equal(openSecret(sealed), "hunter2");
});

test("nodes sharing WHARF_SECRETS_KEY (base64 or hex) open each other's secrets; another key is refused with what to do", () => {
  const key = crypto.randomBytes(32);
  startContext(parseConfig({ WHARF_DATA_DIR: tempDir(), WHARF_SECRETS_KEY: key.toString("base64") }));
  const sealed = sealSecret("shared");
  startContext(parseConfig({ WHARF_DATA_DIR: tempDir(), WHARF_SECRETS_KEY: key.toString("hex") }));
  assert.equal(openSecret(sealed), "shared");
  startContext(parseConfig({ WHARF_DATA_DIR: tempDir(), WHARF_SECRETS_KEY: crypto.randomBytes(32).toString("base64") }));
  assert.throws(() => openSecret(sealed), /WHARF_SECRETS_KEY/);
});

test("a tampered secret or an unknown version is refused", () => {
  startContext(parseConfig({ WHARF_DATA_DIR: tempDir() }));
  const sealed = sealSecret("abc");
  const parts = sealed.split(":");
  const body = Buffer.from(parts[3], "base64url");
  body[0] ^= 1;
  assert.throws(() => openSecret([parts[0], parts[1], parts[2], body.toString("base64url")].join(":")), /cannot be decrypted/);
  assert.throws(() => openSecret("v9:" + parts.slice(1).join(":")), /unknown format/);
});

test("a WHARF_SECRETS_KEY of the wrong length stops start-up without printing it", () => {
  const bad = crypto.randomBytes(16).toString("base64");
  assert.throws(
    () => parseConfig({ WHARF_SECRETS_KEY: bad }),
    (err: Error) => err instanceof ConfigError && /WHARF_SECRETS_KEY: must be 32 bytes/.test(err.message) && !err.message.includes(bad),
  );
});
