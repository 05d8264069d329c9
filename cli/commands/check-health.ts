import path from "node:path";
import { ConfigError } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { logToStderr } from "../../lib/core/logging";
import { runHealthChecks, type HealthCheck } from "../../lib/services/health-checks";
import { text } from "../args";
import type { CommandSpec } from "../command";

const ROOT = path.resolve(__dirname, "..", "..", "..");


/** `wharf check-health` (as `az acr check-health`): what is wrong with this setup, and how to fix each thing. */
export const checkHealth: CommandSpec = {
  summary: "Check the local setup (data dir, database, storage, keys, TLS, Redis) and, with --name, a registry's reachability.",
  options: [
    { flags: "-n, --name <registry>", help: "Also check that this registry is reachable through the server's URL, as a client would reach it." },
    { flags: "--url <url>", help: "The server's address for --name (default: WHARF_PUBLIC_URL, or http://127.0.0.1:PORT)." },
  ],
  examples: [
    { title: "Check the local setup.", command: "wharf check-health" },
    { title: "Check a registry through the address clients use.", command: "wharf check-health --name myregistry --url https://registry.example.com" },
  ],
  table: [
    { header: "Check", field: "check" },
    { header: "Status", field: "status" },
    { header: "Detail", field: "detail" },
    { header: "Fix", field: "fix" },
  ],
  // The database may be the broken part: this command starts what it needs itself and reports what fails.
  prepare: false,
  run: async (args, { note }): Promise<HealthCheck[]> => {
    let ctx;
    try {
      ctx = startContext();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return report([{ check: "configuration", status: "error", detail: err.message, fix: "Correct the environment variables named above (see the README's configuration table)." }], note);
    }
    logToStderr(ctx);
    const cfg = ctx.config;
    const { pendingMigrations } = await import(path.join(ROOT, "scripts", "migrate.mjs"));
    const checks = await runHealthChecks(cfg, {
      registry: args.name === undefined ? undefined : text(args.name),
      url: args.url === undefined ? undefined : text(args.url),
      pendingMigrations,
    });
    return report(checks, note);
  },
  failure: (result) => {
    const failedChecks = (result as HealthCheck[]).filter((c) => c.status === "error");
    return failedChecks.length ? `${failedChecks.length} check(s) failed: ${failedChecks.map((c) => c.check).join(", ")}. See the fix for each above.` : null;
  },
};

/** Each check on stderr as a line a person reads (the result on stdout stays machine-readable per -o). */
function report(checks: HealthCheck[], note: (line: string) => void): HealthCheck[] {
  for (const c of checks) note(c.status === "OK" ? `OK     ${c.check}: ${c.detail}` : `ERROR  ${c.check}: ${c.detail}\n       Fix: ${c.fix}`);
  return checks;
}
