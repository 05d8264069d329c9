import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import crypto from "node:crypto";
import next from "next";
import { ConfigError } from "./lib/core/config";
import { startContext } from "./lib/core/context";
import { clientAddress } from "./lib/http/client-address";
import { handleDataPlane, isDataPlanePath } from "./lib/http/data-plane";
import { ensureBootstrapAdmin } from "./lib/services/users";

/**
 * One process, one port: /v2 and /oauth2 go straight to the data-plane handler
 * (plain Node streams, no React on the hot path); every other path goes to Next.
 */
async function main(): Promise<void> {
  // The process's one context: configuration, database, storage, caches. The
  // portal's server code imports this same compiled lib/ (see next.config.ts).
  let ctx;
  try {
    ctx = startContext();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const cfg = ctx.config;
  const root = path.resolve(__dirname, "..");
  // Migrations are idempotent; applying them here makes every way of starting safe.
  const { deployIfPending } = await import(path.join(root, "scripts", "migrate.mjs"));
  const applied: string[] = await deployIfPending(cfg.databaseUrl);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  await ensureBootstrapAdmin();
  prepareAuthEnvironment(cfg.dataDir);

  const app = next({ dev: false, dir: root, hostname: cfg.HOST, port: cfg.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    if (isDataPlanePath(req.url)) {
      handleDataPlane(req, res).catch((err) => {
        console.error("data plane:", err);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
        res.end();
      });
      return;
    }
    // The portal sees the caller's address in one trusted header (used for sign-in
    // throttling); never the value a client sent.
    req.headers["x-wharf-client-ip"] = clientAddress(req, cfg.WHARF_TRUST_PROXY);
    handle(req, res);
  });
  // Large layer uploads can take a while on slow links; don't cut them off.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  server.listen(cfg.PORT, cfg.HOST, () => {
    const shown = cfg.HOST === "0.0.0.0" || cfg.HOST === "::" ? "127.0.0.1" : cfg.HOST;
    console.log(`Wharf is ready on http://${shown}:${cfg.PORT} (data in ${cfg.dataDir})`);
  });
  const stop = () => {
    const exit = () => void ctx.close().finally(() => process.exit(0));
    server.close(exit);
    // Browsers keep idle connections open; don't wait for them, and give requests in
    // flight a moment to finish.
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      exit();
    }, 3_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** next-auth needs a secret; keep one in the data dir so sessions survive restarts. */
function prepareAuthEnvironment(dataDir: string): void {
  if (!process.env.AUTH_SECRET) {
    const file = path.join(dataDir, "keys", "auth-secret");
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    }
    process.env.AUTH_SECRET = fs.readFileSync(file, "utf8").trim();
  }
  // We serve on whatever Host the user reaches us by (localhost, an IP, a DNS name).
  process.env.AUTH_TRUST_HOST ??= "true";
}

main().catch((err) => {
  console.error("Wharf failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
