import crypto from "node:crypto";
import { digestInvalid } from "./errors";

/** Algorithms we verify: sha256 (the default everywhere) and sha512 (OCI allows it). */
export const ALGORITHMS = { sha256: 64, sha512: 128 } as const;
export type Algorithm = keyof typeof ALGORITHMS;

export type Digest = { algorithm: Algorithm; hex: string; value: string };

const DIGEST_RE = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

/** Parses `<alg>:<hex>`; throws DigestInvalid with a hint when malformed or unsupported. */
export function parseDigest(input: string | null | undefined): Digest {
  if (!input) throw digestInvalid("A digest is required, like sha256:<64 hex characters>.");
  const m = DIGEST_RE.exec(input);
  if (!m) throw digestInvalid(`'${input}' is not a digest; use the form sha256:<64 lower-case hex characters>.`, { digest: input });
  const algorithm = m[1] as Algorithm;
  const len = ALGORITHMS[algorithm];
  if (!len) throw digestInvalid(`Digest algorithm '${m[1]}' is not supported; use sha256 or sha512.`, { digest: input });
  if (m[2].length !== len || !/^[a-f0-9]+$/.test(m[2])) {
    throw digestInvalid(`'${input}' is not a valid ${algorithm} digest: it needs ${len} lower-case hex characters.`, { digest: input });
  }
  return { algorithm, hex: m[2], value: input };
}

export function isDigest(input: string): boolean {
  // Tags can't contain ':'; answering them without building an error (and its
  // stack trace) matters on the manifest-GET-by-tag hot path.
  if (!input.includes(":")) return false;
  try {
    parseDigest(input);
    return true;
  } catch {
    return false;
  }
}

export function sha256Digest(data: Buffer | string): string {
  return "sha256:" + crypto.createHash("sha256").update(data).digest("hex");
}

export function digestOf(algorithm: Algorithm, data: Buffer): string {
  return `${algorithm}:` + crypto.createHash(algorithm).update(data).digest("hex");
}
