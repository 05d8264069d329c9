import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../core/config";
import { secretKeyBytes } from "../core/config";
import { db } from "../core/db";
import { redis } from "../core/redis";
import { storage } from "../registry/storage";

/**
 * `wharf check-health`: the local setup (data dir, database, storage, keys, TLS, Redis) and, given a registry, its
 * reachability through the server's URL, as `az acr check-health` does. Each check says what is wrong and how to fix
 * it; none changes anything (the probe file in the data dir is removed again).
 */
export type HealthCheck = { check: string; status: "OK" | "error"; detail: string; fix: string | null };

const TIMEOUT_MS = 5_000;

function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n").filter(Boolean).slice(-1)[0] ?? "unknown error";
const ok = (check: string, detail: string): HealthCheck => ({ check, status: "OK", detail, fix: null });
const failed = (check: string, detail: string, fix: string): HealthCheck => ({ check, status: "error", detail, fix });

/** Never show a PostgreSQL password: postgres://user:secret@host/db → postgres://user:***@host/db. */
export function redactUrl(url: string): string {
  return url.replace(/^((?:postgres(?:ql)?|rediss?):\/\/[^:/@]*):[^@]*@/, "$1:***@");
}

/** Every check: the local setup, then (given a registry) whether it exists here and answers through `url`. */
export async function runHealthChecks(cfg: Config, opts: { registry?: string; url?: string; pendingMigrations: (url: string) => Promise<string[]> }): Promise<HealthCheck[]> {
  const checks = await checkLocalSetup(cfg, opts.pendingMigrations);
  if (opts.registry === undefined) return checks;
  const name = opts.registry.toLowerCase();
  const dbUp = checks.some((c) => c.check === "database migrations" && c.status === "OK");
  const row = dbUp ? await db().registry.findUnique({ where: { name }, select: { id: true } }).catch(() => undefined) : undefined;
  const base = opts.url ?? cfg.WHARF_PUBLIC_URL ?? `http://127.0.0.1:${cfg.PORT}`;
  checks.push(...(await checkRegistryReachable(base, name, row === undefined ? null : row !== null)));
  return checks;
}

async function checkLocalSetup(cfg: Config, pendingMigrations: (url: string) => Promise<string[]>): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [checkDataDir(cfg)];
  const database = redactUrl(cfg.databaseUrl);
  const isPostgres = /^postgres(ql)?:/.test(cfg.databaseUrl);
  let dbUp = false;
  try {
    await withTimeout("the database", db().$queryRaw`SELECT 1`);
    dbUp = true;
    checks.push(ok("database", `${database} answers`));
  } catch (err) {
    const fix = isPostgres
      ? "Start PostgreSQL or correct WHARF_DATABASE_URL (host, port, user, password, database name)."
      : "Correct WHARF_DATABASE_URL (or WHARF_DATA_DIR) so it names a SQLite file in a directory Wharf may write.";
    checks.push(failed("database", `${database} does not answer: ${message(err)}`, fix));
  }
  if (dbUp) {
    try {
      const pending = await withTimeout("the migration check", pendingMigrations(cfg.databaseUrl));
      checks.push(pending.length ? failed("database migrations", `${pending.length} pending: ${pending.join(", ")}`, "Run `npm run migrate`, or start the server (it applies them on start).") : ok("database migrations", "up to date"));
    } catch (err) {
      checks.push(failed("database migrations", `could not be read: ${message(err)}`, "Check that the database user may read the _prisma_migrations table."));
    }
  }
  checks.push(await checkStorage(cfg));
  checks.push(...checkKeys(cfg));
  const tls = checkTls(cfg);
  if (tls) checks.push(tls);
  if (cfg.WHARF_REDIS_URL) checks.push(await checkRedis(cfg.WHARF_REDIS_URL));
  checks.push(checkEgress(cfg));
  return checks;
}

/** Where webhooks, imports and the cache may connect: stated, so an operator sees what the server may reach. */
function checkEgress(cfg: Config): HealthCheck {
  if (cfg.egress.open) return ok("outbound policy", `${cfg.egress.describe}: webhooks, imports and cache upstreams may connect to any address, cloud metadata (169.254.169.254) included; set WHARF_EGRESS_DENY=link-local (the default) or wider to refuse them`);
  return ok("outbound policy", `${cfg.egress.describe}: webhooks, imports and cache upstreams are refused those addresses`);
}

function checkDataDir(cfg: Config): HealthCheck {
  const probe = path.join(cfg.dataDir, `.check-health-${process.pid}`);
  try {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
    return ok("data directory", `${cfg.dataDir} is writable`);
  } catch (err) {
    return failed("data directory", `${cfg.dataDir} is not writable: ${message(err)}`, `Give the user running Wharf write access to ${cfg.dataDir} (chown/chmod), or point WHARF_DATA_DIR elsewhere.`);
  }
}

async function checkStorage(cfg: Config): Promise<HealthCheck> {
  const where = cfg.WHARF_STORAGE === "s3" ? `S3 bucket ${cfg.WHARF_S3_BUCKET ?? "?"} at ${cfg.WHARF_S3_ENDPOINT ?? "AWS"}` : `filesystem under ${path.join(cfg.dataDir, "blobs")}`;
  try {
    await withTimeout("the storage", storage().stat("check-health-probe"));
    return ok("storage", `${where} answers`);
  } catch (err) {
    const fix =
      cfg.WHARF_STORAGE === "s3"
        ? "Check WHARF_S3_ENDPOINT, WHARF_S3_BUCKET, WHARF_S3_ACCESS_KEY_ID/WHARF_S3_SECRET_ACCESS_KEY and that the bucket exists."
        : `Check that ${path.join(cfg.dataDir, "blobs")} is a readable directory (a mount that went away, a wrong owner).`;
    return failed("storage", `${where} does not answer: ${message(err)}`, fix);
  }
}

/** Keys are made on first use, so an absent one is fine; one that is present but unreadable or damaged is not. */
function checkKeys(cfg: Config): HealthCheck[] {
  const dir = path.join(cfg.dataDir, "keys");
  const signing = path.join(dir, "token-signing-key.json");
  const out: HealthCheck[] = [];
  try {
    if (!fs.existsSync(signing)) out.push(ok("token signing key", `none yet: created at the first sign-in, in ${signing}`));
    else {
      const jwk = JSON.parse(fs.readFileSync(signing, "utf8"));
      crypto.createPrivateKey({ key: jwk, format: "jwk" });
      out.push(ok("token signing key", `${signing} holds an ES256 key`));
    }
  } catch (err) {
    out.push(failed("token signing key", `${signing} cannot be used: ${message(err)}`, `Restore it from a backup, or delete it (tokens already issued stop working; clients log in again) and restart Wharf.`));
  }
  if (cfg.WHARF_SECRETS_KEY) out.push(ok("secrets key", "WHARF_SECRETS_KEY is set"));
  else {
    const file = path.join(dir, "secrets-key");
    try {
      if (!fs.existsSync(file)) out.push(ok("secrets key", `none yet: created when a password is first sealed, in ${file}`));
      else if (!secretKeyBytes(fs.readFileSync(file, "utf8"))) out.push(failed("secrets key", `${file} does not hold a 32-byte key`, "Restore it from a backup, or set WHARF_SECRETS_KEY to the key the other nodes use."));
      else out.push(ok("secrets key", `${file} holds a 32-byte key`));
    } catch (err) {
      out.push(failed("secrets key", `${file} cannot be read: ${message(err)}`, `Give the user running Wharf read access to ${dir}.`));
    }
  }
  return out;
}

/** The certificate the port serves, when HTTPS is on: readable PEM files that belong together and are in date. */
function checkTls(cfg: Config): HealthCheck | null {
  if (cfg.tls.mode === "off") return null;
  const generated = cfg.tls.mode === "self-signed";
  const certFile = cfg.tls.mode === "files" ? cfg.tls.certFile : path.join(cfg.dataDir, "tls", "cert.pem");
  const keyFile = cfg.tls.mode === "files" ? cfg.tls.keyFile : path.join(cfg.dataDir, "tls", "key.pem");
  if (generated && !fs.existsSync(certFile)) return ok("TLS certificate", `WHARF_TLS=self-signed: generated into ${path.dirname(certFile)} on the server's first start`);
  const regenerate = `Remove ${path.dirname(certFile)} and restart Wharf: it generates a new certificate.`;
  try {
    const cert = new crypto.X509Certificate(fs.readFileSync(certFile));
    const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
    if (!cert.checkPrivateKey(key)) return failed("TLS certificate", `${keyFile} is not the key of ${certFile}`, generated ? regenerate : "Set WHARF_TLS_KEY to the private key the certificate was issued for.");
    const until = new Date(cert.validTo);
    if (until.getTime() < Date.now()) return failed("TLS certificate", `${certFile} expired on ${until.toISOString()}`, generated ? regenerate : "Renew the certificate and restart Wharf.");
    return ok("TLS certificate", `${certFile} (${cert.subject.replace(/\n/g, ", ")}) valid until ${until.toISOString()}`);
  } catch (err) {
    return failed("TLS certificate", `cannot be loaded: ${message(err)}`, generated ? regenerate : "Point WHARF_TLS_CERT and WHARF_TLS_KEY at readable PEM files.");
  }
}

async function checkRedis(url: string): Promise<HealthCheck> {
  try {
    await withTimeout("Redis", redis()!.ping());
    return ok("redis", `${redactUrl(url)} answers`);
  } catch (err) {
    return failed("redis", `${redactUrl(url)} does not answer: ${message(err)}`, "Start Redis or correct WHARF_REDIS_URL; meanwhile each node limits rates on its own.");
  }
}

/**
 * Through the server's URL, as a client would: GET /v2/ must answer 401 with a Bearer challenge, and the challenge's
 * realm must hand out an (anonymous) token for the registry.
 */
async function checkRegistryReachable(base: string, registry: string, registryKnown: boolean | null): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [];
  if (registryKnown === false) checks.push(failed("registry", `no registry named ${registry} in this database`, "List registries with `wharf registry list`, or create it with `wharf registry create`."));
  else if (registryKnown) checks.push(ok("registry", `${registry} exists`));
  const v2 = `${base.replace(/\/+$/, "")}/v2/`;
  let realm: string, service: string;
  try {
    const r = await fetch(v2, { redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    await r.body?.cancel();
    const header = r.headers.get("www-authenticate") ?? "";
    realm = /realm="([^"]+)"/.exec(header)?.[1] ?? "";
    service = /service="([^"]+)"/.exec(header)?.[1] ?? "";
    if (r.status !== 401 || !realm) {
      checks.push(failed("registry endpoint", `GET ${v2} answered ${r.status}${realm ? "" : " without a Bearer challenge"}`, "Make --url (or WHARF_PUBLIC_URL) name the Wharf server itself, not a proxy that answers /v2/ on its own."));
      return checks;
    }
    checks.push(ok("registry endpoint", `GET ${v2} asks for a token from ${realm}`));
  } catch (err) {
    checks.push(failed("registry endpoint", `${v2} cannot be reached: ${message((err as Error).cause ?? err)}`, "Start the server (npm start), or pass --url with the address it listens on (WHARF_PUBLIC_URL, or http://127.0.0.1:PORT)."));
    return checks;
  }
  const url = `${realm}?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(`repository:${registry}/check-health:pull`)}`;
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await r.json().catch(() => null)) as { token?: string } | null;
    if (r.status !== 200 || !body?.token) {
      checks.push(failed("token endpoint", `${realm} answered ${r.status}${body?.token ? "" : " without a token"}`, "Check that WHARF_PUBLIC_URL is the address clients use, so the realm points back at this server."));
    } else checks.push(ok("token endpoint", `${realm} issues tokens for ${service}`));
  } catch (err) {
    checks.push(failed("token endpoint", `${realm} cannot be reached: ${message((err as Error).cause ?? err)}`, "The challenge's realm must be reachable from clients: set WHARF_PUBLIC_URL to the address they use."));
  }
  return checks;
}
