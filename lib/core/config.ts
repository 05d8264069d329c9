import fs from "node:fs";
import path from "node:path";
import proxyaddr from "proxy-addr";
import { z } from "zod";
import { parseEgressPolicy, type EgressPolicy } from "./egress";

/**
 * Configuration is read and validated once, at start-up. A bad value stops the
 * process with a message naming the variable. Defaults make a bare `npm start` work.
 */
const seconds = (min: number) => z.coerce.number().int().min(min).max(86_400);

/**
 * Proxies whose X-Forwarded-For we believe: addresses, CIDRs, or proxy-addr's names
 * (loopback, linklocal, uniquelocal). `true` would believe any client's header, so
 * it is refused with the fix spelled out.
 */
const trustedProxies = z.string().transform((s, ctx) => {
  const list = s.split(",").map((p) => p.trim()).filter(Boolean);
  if (list.length === 1 && ["false", "no", "0", "none"].includes(list[0].toLowerCase())) return [];
  if (list.some((p) => ["true", "yes", "1", "*", "all"].includes(p.toLowerCase()))) {
    ctx.addIssue({
      code: "custom",
      message:
        "trusting every sender of X-Forwarded-For lets any client pick its own address; list your proxies' addresses instead, e.g. WHARF_TRUST_PROXY=10.0.0.5,10.0.1.0/24 (or loopback when the proxy runs on this host)",
    });
    return z.NEVER;
  }
  try {
    proxyaddr.compile(list);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `${(err as Error).message}; use comma-separated addresses, CIDRs, or loopback, linklocal, uniquelocal` });
    return z.NEVER;
  }
  return list;
});

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  WHARF_DATA_DIR: z.string().min(1).default("data"),
  WHARF_DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: URL (SQLite) or a postgres:// URL (PostgreSQL)")
    .optional(),
  WHARF_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  WHARF_REGISTRY_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?$/, "must be a DNS domain like registry.example.com")
    .optional(),
  WHARF_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  WHARF_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  WHARF_TRUST_PROXY: trustedProxies.default([]),
  WHARF_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  WHARF_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  WHARF_LOGIN_BLOCK_SECONDS: z.coerce.number().int().min(1).default(300),
  WHARF_SKU_LIMITS: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.partialRecord(z.enum(["Basic", "Standard", "Premium"]), z.record(z.string(), z.union([z.number(), z.boolean()]))))
    .optional(),
  WHARF_ANONYMOUS_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  WHARF_TOKEN_MAX_FAILURES: z.coerce.number().int().min(1).default(30),
  // Failed sign-ins per username (any address, both doors) within WHARF_LOGIN_BLOCK_SECONDS before it is blocked.
  WHARF_LOGIN_USERNAME_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  // scrypt cost of people's passwords as log2(N) (r=8, p=1); 17 is OWASP's recommendation.
  WHARF_PASSWORD_SCRYPT_LN: z.coerce.number().int().min(12).max(20).default(17),
  // Password hashes run at the same time (worker threads); unset: 1 on up to 3 cores, else a quarter of them (at most 4).
  WHARF_PASSWORD_HASH_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
  // Password checks that may wait for a worker; beyond that sign-ins are refused with 429 until the queue drains.
  WHARF_PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).default(32),
  // How long a node trusts its memory of a credential (disabled? rotated? roles?) before asking the database again.
  WHARF_REVOCATION_CACHE_SECONDS: z.coerce.number().min(0).max(5).default(2),
  // Where registries may be placed; the first one is the wizard's default.
  WHARF_LOCATIONS: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((l) => l.trim()).filter(Boolean))])
    .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be comma-separated lower-case names like westeurope,local")).min(1))
    .default(["local"]),
  // Connection hygiene: every connection costs memory and file handles, so none may
  // be held for ever, and no one address may hold them all.
  WHARF_HEADERS_TIMEOUT_SECONDS: seconds(1).default(30),
  WHARF_KEEPALIVE_TIMEOUT_SECONDS: seconds(1).default(65),
  WHARF_BODY_TIMEOUT_SECONDS: seconds(1).default(60),
  WHARF_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(500),
  WHARF_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  // Storage lifecycle. Garbage collection runs every WHARF_GC_INTERVAL_SECONDS on one node at a time (0: only
  // when asked); a blob link becomes collectable once no manifest has named it for WHARF_GC_GRACE_SECONDS
  // (longer than any push takes between its blobs and its manifest); idle upload sessions expire.
  WHARF_GC_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  WHARF_GC_GRACE_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(3600),
  // Activity rows older than this many days are deleted (in batches, by any node); 0 keeps them forever.
  WHARF_ACTIVITY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  WHARF_UPLOAD_MAX_IDLE_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(86_400),
  // Where blob and manifest bytes live: files under WHARF_DATA_DIR/blobs, or an S3 bucket (several nodes share it).
  WHARF_STORAGE: z.enum(["filesystem", "s3"]).default("filesystem"),
  WHARF_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  WHARF_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens")
    .optional(),
  WHARF_S3_REGION: z.string().min(1).default("us-east-1"),
  WHARF_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  WHARF_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  WHARF_S3_FORCE_PATH_STYLE: z.stringbool().default(false),
  // Blob GETs answer 307 to a presigned URL valid this long, so the bytes skip the node.
  WHARF_S3_REDIRECT: z.stringbool().default(false),
  WHARF_S3_REDIRECT_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  // Shared state for several nodes: one rate-limit budget, fast revocation and invalidation, short locks.
  WHARF_REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  // Put before every Redis key, so deployments (or test servers) sharing one Redis never share a budget or a lock.
  // Key that seals stored secrets (upstream passwords of imports and credential sets): 32 bytes as base64 or hex.
  // Unset: one is generated into WHARF_DATA_DIR/keys/secrets-key, which only serves one node or nodes sharing
  // that data dir; several nodes must all be given the same WHARF_SECRETS_KEY.
  WHARF_SECRETS_KEY: z
    .string()
    .refine((s) => secretKeyBytes(s) !== null, "must be 32 bytes as base64 (44 characters) or hex (64 characters); make one with `openssl rand -base64 32`")
    .optional(),
  // Upstream registries spoken to over plain HTTP (host:port, comma-separated); every other upstream needs HTTPS.
  WHARF_INSECURE_REGISTRIES: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/, "must be comma-separated host:port entries like 127.0.0.1:5000")))
    .default([]),
  // Address ranges Wharf itself will not connect to (webhook receivers, import sources, cache upstreams): CIDRs or
  // link-local, loopback, private; "none" for no limit. WHARF_EGRESS_ALLOW lists exceptions (lib/core/egress.ts).
  WHARF_EGRESS_DENY: z.string().default("link-local"),
  WHARF_EGRESS_ALLOW: z.string().default(""),
  // How long one upstream request (an import's or the cache's) may wait for an answer before it counts as down.
  WHARF_UPSTREAM_TIMEOUT_SECONDS: seconds(1).default(30),
  // How long a webhook delivery is retried (with backoff) after its first attempt before it is dead-lettered.
  WHARF_WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(86_400),
  // HTTPS on the one port: PEM files, or a certificate generated into WHARF_DATA_DIR/tls (see lib/http/tls.ts).
  WHARF_TLS_CERT: z.string().min(1).optional(),
  WHARF_TLS_KEY: z.string().min(1).optional(),
  WHARF_TLS: z.enum(["self-signed", "off"], { message: 'must be "self-signed" (or unset, with WHARF_TLS_CERT and WHARF_TLS_KEY for your own certificate)' }).optional(),
  // Extra names the generated certificate covers (comma-separated DNS names or IP addresses).
  WHARF_TLS_HOSTNAMES: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$|^[0-9a-f:]+$/, "must be comma-separated DNS names or IP addresses like registry.lan,10.0.0.5")))
    .default([]),
  WHARF_REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/, "must be 1-64 letters, digits or : . _ -").default("wharf:"),
  // Bearer token a Prometheus scrape of /metrics must send; unset: /metrics is open to whoever reaches the port.
  WHARF_METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters; make one with `openssl rand -hex 24`").optional(),
});

/** WHARF_SECRETS_KEY's 32 bytes, or null when it is neither base64 nor hex of 32 bytes. */
export function secretKeyBytes(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length === 32) return b;
  }
  return null;
}

export type Config = z.infer<typeof schema> & {
  skuOverrides: Partial<Record<"Basic" | "Standard" | "Premium", Record<string, number | boolean>>>;
  dataDir: string;
  databaseUrl: string;
  /** Which engine WHARF_DATABASE_URL names: SQLite (embedded default) or PostgreSQL (several nodes). */
  databaseKind: "sqlite" | "postgresql";
  blobsDir: string;
  /** Where the server may connect on its own (webhooks, imports, the cache): WHARF_EGRESS_DENY less WHARF_EGRESS_ALLOW. */
  egress: EgressPolicy;
  /** How the port speaks: plain HTTP, HTTPS with the operator's PEM files, or with a generated certificate. */
  tls: TlsSetting;
};

export type TlsSetting = { mode: "off" } | { mode: "files"; certFile: string; keyFile: string } | { mode: "self-signed" };

export class ConfigError extends Error {}

/** A bad value as the error shows it: secrets never, and a URL's password masked. */
function shown(key: string, value: string | undefined): string {
  if (/PASSWORD|SECRET/.test(key)) return "(hidden)";
  return JSON.stringify(value?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@"));
}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") picked[key] = v;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message} (got ${shown(String(i.path[0]), picked[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = result.data;
  if (c.WHARF_STORAGE === "s3") {
    const missing = ["WHARF_S3_BUCKET"].filter((k) => !c[k as "WHARF_S3_BUCKET"]);
    if (!!c.WHARF_S3_ACCESS_KEY_ID !== !!c.WHARF_S3_SECRET_ACCESS_KEY) missing.push(c.WHARF_S3_ACCESS_KEY_ID ? "WHARF_S3_SECRET_ACCESS_KEY" : "WHARF_S3_ACCESS_KEY_ID");
    if (missing.length) throw new ConfigError(`Invalid configuration:\n  WHARF_STORAGE=s3 also needs ${missing.join(" and ")} (see "Scale out" in the README)`);
  }
  if (c.WHARF_S3_REDIRECT && c.WHARF_STORAGE !== "s3") {
    throw new ConfigError("Invalid configuration:\n  WHARF_S3_REDIRECT=true needs WHARF_STORAGE=s3: only object storage can hand clients a presigned URL");
  }
  let egress: EgressPolicy;
  try {
    egress = parseEgressPolicy(c.WHARF_EGRESS_DENY, c.WHARF_EGRESS_ALLOW);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message} (e.g. WHARF_EGRESS_DENY=link-local,loopback,private WHARF_EGRESS_ALLOW=10.0.5.0/24)`);
  }
  const tls = tlsSetting(c);
  const dataDir = path.resolve(c.WHARF_DATA_DIR);
  return {
    tls,
    egress,
    ...c,
    skuOverrides: c.WHARF_SKU_LIMITS ?? {},
    dataDir,
    databaseUrl: c.WHARF_DATABASE_URL ?? `file:${path.join(dataDir, "wharf.db")}`,
    databaseKind: c.WHARF_DATABASE_URL && !c.WHARF_DATABASE_URL.startsWith("file:") ? "postgresql" : "sqlite",
    blobsDir: path.join(dataDir, "blobs"),
  };
}

/** Both PEM files or neither, each readable now (not at the first TLS handshake), and not mixed with a generated certificate. */
function tlsSetting(c: z.infer<typeof schema>): TlsSetting {
  const fail = (line: string) => {
    throw new ConfigError(`Invalid configuration:\n  ${line}`);
  };
  const { WHARF_TLS_CERT: cert, WHARF_TLS_KEY: key } = c;
  if (c.WHARF_TLS === "self-signed") {
    if (cert || key) fail(`WHARF_TLS=self-signed generates its own certificate: unset it to use WHARF_TLS_CERT and WHARF_TLS_KEY, or unset those`);
    return { mode: "self-signed" };
  }
  if (!cert && !key) return { mode: "off" };
  if (!key) fail(`WHARF_TLS_CERT is set but WHARF_TLS_KEY is not: HTTPS needs both, the certificate and its private key (PEM files)`);
  if (!cert) fail(`WHARF_TLS_KEY is set but WHARF_TLS_CERT is not: HTTPS needs both, the certificate and its private key (PEM files)`);
  for (const [name, file] of [["WHARF_TLS_CERT", cert!], ["WHARF_TLS_KEY", key!]] as const) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      if (!fs.statSync(file).isFile()) fail(`${name}: ${JSON.stringify(file)} is not a file; give the path of a PEM file`);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      fail(`${name}: cannot read ${JSON.stringify(path.resolve(file))} (${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code}); give the path of a readable PEM file`);
    }
  }
  return { mode: "files", certFile: path.resolve(cert!), keyFile: path.resolve(key!) };
}
