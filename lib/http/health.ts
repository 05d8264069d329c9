import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "../core/db";
import { logger } from "../core/logging";
import { storage } from "../registry/storage";
import { sendJson } from "./context";

/**
 * Probes for load balancers and orchestrators, answered before authentication and the portal: /healthz says the
 * process serves requests at all; /readyz says it can do its work, i.e. the database and the storage answer now.
 * HAProxy keeps a node in rotation only while /readyz is 200. Bodies are tiny and say which part failed, no more.
 */
export function isHealthPath(url: string | undefined): boolean {
  const path = url?.split("?", 1)[0];
  return path === "/healthz" || path === "/readyz";
}

/** A probe must answer in time even when an engine hangs: a check still running after this has failed. */
const CHECK_TIMEOUT_MS = 3_000;

// A path no blob or manifest can have (those live under docker/ or similar prefixes): stat answers null or a file.
const PROBE_PATH = "readyz-probe";

export async function handleHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { status: "method not allowed" }, { Allow: "GET, HEAD" });
  if (req.url?.split("?", 1)[0] === "/healthz") return sendJson(res, 200, { status: "ok" });
  const [database, store] = await Promise.all([check("database", () => db().$queryRaw`SELECT 1`), check("storage", () => storage().stat(PROBE_PATH))]);
  const ready = database && store;
  sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "unavailable", database: database ? "ok" : "failed", storage: store ? "ok" : "failed" });
}

async function check(part: string, probe: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return true;
  } catch (err) {
    logger().warn({ err, part }, `readiness: the ${part} does not answer: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
