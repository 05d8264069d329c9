import { before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { useTempDatabase } from "../../test/helpers/test-db";
import { grantedActions, issueAccessToken, verifyAccessToken } from "./tokens";

let dataDir: string;
before(async () => {
  dataDir = await useTempDatabase();
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const access = [{ type: "repository", name: "contoso/hello", actions: ["pull", "push"] }];

test("issued tokens verify for their audience and carry the access claim", async () => {
  const { token, expiresIn } = await issueAccessToken({ subject: "anonymous", audience: "127.0.0.1:3000", access });
  assert.equal(expiresIn, 300);
  const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
  assert.equal(header.alg, "ES256");
  assert.ok(header.kid);
  const claims = await verifyAccessToken(token, "127.0.0.1:3000");
  assert.ok(claims);
  assert.equal(claims.sub, "anonymous");
  assert.deepEqual([...grantedActions(claims, "repository", "contoso/hello")].sort(), ["pull", "push"]);
  assert.equal(grantedActions(claims, "repository", "fabrikam/hello").size, 0);
  // The key is kept in the data dir, readable only by us.
  const keyFile = path.join(dataDir, "keys", "token-signing-key.json");
  assert.equal(fs.statSync(keyFile).mode & 0o077, 0);
});

test("a token for one audience is refused for another, even once cached", async () => {
  const { token } = await issueAccessToken({ subject: "anonymous", audience: "a.example", access });
  assert.ok(await verifyAccessToken(token, "a.example"));
  assert.equal(await verifyAccessToken(token, "b.example"), null);
});

test("forged tokens are refused", async () => {
  const { token } = await issueAccessToken({ subject: "anonymous", audience: "svc", access });
  const [h, p, s] = token.split(".");
  const payload = JSON.parse(Buffer.from(p, "base64url").toString());
  // alg none
  assert.equal(await verifyAccessToken(`${b64({ alg: "none", typ: "JWT" })}.${p}.`, "svc"), null);
  // tampered claims with the original signature
  const widened = { ...payload, access: [{ type: "repository", name: "fabrikam/x", actions: ["push"] }] };
  assert.equal(await verifyAccessToken(`${h}.${b64(widened)}.${s}`, "svc"), null);
  // HS256 signed with the public key as the HMAC secret
  const jwk = JSON.parse(fs.readFileSync(path.join(dataDir, "keys", "token-signing-key.json"), "utf8"));
  const { d: _d, ...pub } = jwk;
  const pubPem = crypto.createPublicKey({ key: pub, format: "jwk" }).export({ type: "spki", format: "pem" });
  const hsHead = b64({ alg: "HS256", typ: "JWT" });
  const hsSig = crypto.createHmac("sha256", pubPem).update(`${hsHead}.${p}`).digest("base64url");
  assert.equal(await verifyAccessToken(`${hsHead}.${p}.${hsSig}`, "svc"), null);
  // garbage
  assert.equal(await verifyAccessToken("not.a.token", "svc"), null);
});

test("expired tokens are refused", async () => {
  const { token } = await issueAccessToken({ subject: "anonymous", audience: "svc", access, ttlSeconds: -10 });
  assert.equal(await verifyAccessToken(token, "svc"), null);
});

test("a token for a principal is refused unless it names the credential's current state", async () => {
  // No fingerprint (a token from before revocation checks), or one that matches nothing.
  const bare = await issueAccessToken({ subject: "user:no-such-user", audience: "svc", access });
  assert.equal(await verifyAccessToken(bare.token, "svc"), null);
  const stale = await issueAccessToken({ subject: "user:no-such-user", audience: "svc", access, fingerprint: "stale" });
  assert.equal(await verifyAccessToken(stale.token, "svc"), null);
});
