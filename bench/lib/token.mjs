#!/usr/bin/env node
// Mints a Docker registry bearer token for CNCF Distribution's `auth: token`
// (ES256, `kid` = the libtrust fingerprint of the signing key, which Distribution
// matches against the keys of the certificates in its rootcertbundle).
//
//   node bench/lib/token.mjs <key.pem> <issuer> <service> <repository> <ttl-seconds>
import crypto from "node:crypto";
import fs from "node:fs";

const [keyFile, issuer, service, repository, ttl = "3600"] = process.argv.slice(2);
if (!keyFile || !issuer || !service || !repository) {
  console.error("usage: token.mjs <key.pem> <issuer> <service> <repository> [ttl]");
  process.exit(2);
}
const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
const spki = crypto.createPublicKey(key).export({ type: "spki", format: "der" });

/** libtrust: base32 of the first 240 bits of SHA-256(SPKI), in groups of four joined by ':'. */
function libtrustKeyId(der) {
  const bytes = crypto.createHash("sha256").update(der).digest().subarray(0, 30);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0, out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g).join(":");
}

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const header = { alg: "ES256", typ: "JWT", kid: libtrustKeyId(spki) };
const claims = {
  iss: issuer,
  sub: "bench",
  aud: service,
  iat: now - 5,
  nbf: now - 5,
  exp: now + Number(ttl),
  jti: crypto.randomUUID(),
  access: [{ type: "repository", name: repository, actions: ["pull", "push"] }],
};
const input = `${b64(header)}.${b64(claims)}`;
const sig = crypto.sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url");
process.stdout.write(`${input}.${sig}\n`);
