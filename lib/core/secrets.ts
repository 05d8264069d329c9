import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { secretKeyBytes } from "./config";
import { context, slot, type Context } from "./context";
import { invalid } from "./errors";

/**
 * Secrets at rest (upstream passwords): AES-256-GCM under one key, sealed as
 * `v1:<iv>:<tag>:<ciphertext>` in base64url. The version prefix lets a later key
 * or cipher live beside old rows. The key comes from WHARF_SECRETS_KEY, or is
 * generated once into `<dataDir>/keys/secrets-key` (0600): that file serves one
 * node or nodes sharing the data dir, so several nodes must be given the same
 * WHARF_SECRETS_KEY.
 */

const VERSION = "v1";

function loadOrCreateKey(ctx: Context): Buffer {
  const configured = ctx.config.WHARF_SECRETS_KEY;
  if (configured) return secretKeyBytes(configured)!;
  const file = path.join(ctx.config.dataDir, "keys", "secrets-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Write then link, so two processes starting together agree on one key.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch {
      /* another process won the race: use its key */
    }
    fs.rmSync(tmp, { force: true });
  }
  const key = secretKeyBytes(fs.readFileSync(file, "utf8"));
  if (!key) throw new Error(`${file} does not hold a 32-byte key (base64); restore it from a backup or set WHARF_SECRETS_KEY`);
  return key;
}

const secretsKey = slot("secretsKey", loadOrCreateKey);

/** Encrypts `plain` for storage; every call uses a fresh IV, so equal secrets seal differently. */
export function sealSecret(plain: string): string {
  const key = context().get(secretsKey);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(VERSION));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":");
}

/** Decrypts what sealSecret made; a tampered text or another key is refused with what to check. */
export function openSecret(sealed: string): string {
  const parts = sealed.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw invalid(`A stored secret has an unknown format (expected ${VERSION}:…); enter the password again.`);
  }
  const key = context().get(secretsKey);
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(parts[1], "base64url"));
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(Buffer.from(parts[2], "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(parts[3], "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw invalid(
      "A stored secret cannot be decrypted with this node's key: every node must share WHARF_SECRETS_KEY (or the data dir's keys/secrets-key). Restore the key, or enter the password again.",
    );
  }
}
