import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import crypto from "node:crypto";
import next from "next";
import { ConfigError } from "./lib/core/config";
import { startContext } from "./lib/core/context";
import { startGcWorker, stopGcWorker } from "./lib/services/gc-jobs";
import { startActivityRetention } from "./lib/services/activity-retention";
import { startImportWorker, stopImportWorker } from "./lib/services/import-worker";
import { startWebhookWorker, stopWebhookWorker } from "./lib/services/webhook-worker";
import { logger } from "./lib/core/logging";
import { setPortalClientAddress } from "./lib/http/client-address";
import { applyConnectionPolicy, connectionsCheckingInterval, guardRequestBody, onRefusedConnection } from "./lib/http/connection-policy";
import { handleDataPlane, isDataPlanePath } from "./lib/http/data-plane";
import { handleHealth, isHealthPath } from "./lib/http/health";
import { handleMetrics, isMetricsPath } from "./lib/http/metrics-endpoint";
import { countRequest } from "./lib/http/request-metrics";
import { sendError } from "./lib/http/oci-errors";
import { loadTls } from "./lib/http/tls";
import { ensureBootstrapAdmin } from "./lib/services/users";
import { recordLoginServer } from "./lib/services/login-server";

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
      // No logger without a valid configuration: this is the one plain line.
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const cfg = ctx.config;
  const log = logger();
  // Start-up news (the address, a first password) is written whatever WHARF_LOG_LEVEL hides.
  const announce = log.child({}, { level: "info" });
  const root = path.resolve(__dirname, "..");
  // Migrations are idempotent; applying them here makes every way of starting safe.
  const { deployIfPending } = await import(path.join(root, "scripts", "migrate.mjs"));
  const applied: string[] = await deployIfPending(cfg.databaseUrl);
  if (applied.length) log.info({ migrations: applied }, `Applied migrations: ${applied.join(", ")}`);
  // One log line, not a framed block: a generated first password is something to act on.
  const firstStart: string[] = [];
  const generated = await ensureBootstrapAdmin((line) => void (line.trim() && firstStart.push(line.trim())));
  if (firstStart.length) announce[generated ? "warn" : "info"](firstStart.join(" "));
  prepareAuthEnvironment(cfg.dataDir);

  const app = next({ dev: false, dir: root, hostname: cfg.HOST, port: cfg.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const bodyTimeoutMs = cfg.WHARF_BODY_TIMEOUT_SECONDS * 1000;
  // HTTPS on the same port when configured (WHARF_TLS_CERT/KEY or WHARF_TLS=self-signed): same handler, same policy.
  const tls = await loadTls(cfg);
  if (tls?.generatedNotice) announce.warn(tls.generatedNotice);
  const serverOptions = { connectionsCheckingInterval: connectionsCheckingInterval(cfg) };
  const listener: http.RequestListener = (req, res) => {
    if (onRefusedConnection(req)) return void res.destroy();
    guardRequestBody(req, res, bodyTimeoutMs);
    // Load-balancer probes: no authentication, no portal, no access log line every second.
    if (isHealthPath(req.url)) {
      countRequest(req, res, "health");
      return void handleHealth(req, res).catch(() => res.destroy());
    }
    if (isMetricsPath(req.url)) {
      countRequest(req, res, "metrics");
      return void handleMetrics(req, res).catch(() => res.destroy());
    }
    if (isDataPlanePath(req.url)) {
      // handleDataPlane answers its own errors; this catches only a failure of that answer.
      handleDataPlane(req, res).catch((err) => {
        try {
          sendError(req, res, err);
        } catch {
          res.destroy();
        }
      });
      return;
    }
    // The portal sees the caller's address (sign-in throttling) in a header only we set.
    setPortalClientAddress(req);
    countRequest(req, res, "portal");
    handle(req, res);
  };
  const server = tls ? https.createServer({ ...serverOptions, cert: tls.cert, key: tls.key }, listener) : http.createServer(serverOptions, listener);
  applyConnectionPolicy(server, cfg);
  server.listen(cfg.PORT, cfg.HOST, () => {
    // The CLI shares the data dir and has no PORT of its own: it reads the login server from here.
    recordLoginServer();
    const shown = cfg.HOST === "0.0.0.0" || cfg.HOST === "::" ? "127.0.0.1" : cfg.HOST;
    const certificate = tls ? `, certificate ${tls.certFile}` : "";
    announce.info(`Wharf is ready on ${tls ? "https" : "http"}://${shown}:${cfg.PORT} (data in ${cfg.dataDir}${certificate})`);
    // Garbage collection, retention and expired uploads: any node may run them, one at a time (DESIGN 5b).
    startGcWorker();
    startImportWorker();
    startActivityRetention();
    startWebhookWorker();
  });
  // One shutdown however many signals arrive: stop taking requests, let the ones in flight finish (3 s at most),
  // and wait for the context to close: the GC worker ends the blob it is on, counters are flushed. Exiting before
  // that would leave a blob marked half-deleted for the next run to finish. A close that hangs ends after 30 s.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    // Background work stops first, while the connections it uses (database pools, locks) are still open: an import
    // is handed back, a collection ends the blob it is on.
    const workersStopped = Promise.all([stopWebhookWorker(), stopGcWorker(), stopImportWorker()]);
    // Browsers keep idle connections open; don't wait for them.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 3_000).unref();
    setTimeout(() => {
      log.warn("shutdown took longer than 30 s; exiting without waiting further");
      process.exit(1);
    }, 30_000).unref();
    void Promise.all([drained, workersStopped])
      .then(() => ctx.close())
      .catch((err) => log.error({ err }, "closing the context failed"))
      .finally(() => process.exit(0));
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
  logger().fatal({ err }, `Wharf failed to start: ${err instanceof Error ? err.message : String(err)}`);
  logger().flush(() => process.exit(1));
});
