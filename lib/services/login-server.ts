import fs from "node:fs";
import path from "node:path";
import { config, context, slot } from "../core/context";

/**
 * The address the server last started on, as it recorded it in the data dir it
 * shares with the CLI: a CLI run has no PORT of its own and would otherwise print
 * the default port. Read once per context; the server sets its own at start.
 */
const RECORD_FILE = "server-address.json";
const served = slot<string | null>("login-server.served", (ctx) => {
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(ctx.config.dataDir, RECORD_FILE), "utf8")) as { loginServer?: unknown };
    return typeof recorded.loginServer === "string" && recorded.loginServer ? recorded.loginServer : null;
  } catch {
    return null; // No server has started on this data dir yet: HOST:PORT is the best guess.
  }
});

function configuredAddress(): string {
  const c = config();
  // A wildcard bind address is not something a client can dial.
  const host = c.HOST === "0.0.0.0" || c.HOST === "::" ? "127.0.0.1" : c.HOST.includes(":") ? `[${c.HOST}]` : c.HOST;
  return `${host}:${c.PORT}`;
}

/** The server calls this once it listens: its address becomes the login server of every process on this data dir. */
export function recordLoginServer(): void {
  const address = configuredAddress();
  context().set(served, address);
  const file = path.join(config().dataDir, RECORD_FILE);
  // Write-then-rename: a CLI reading at the same moment sees the old record or the new one, never half of one.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ loginServer: address, recordedAt: new Date().toISOString() })}\n`);
  fs.renameSync(tmp, file);
}

/**
 * What clients type to reach a registry. Path-style (default): the deployment's
 * `HOST:PORT` (WHARF_PUBLIC_URL's host when set, else the address the server
 * recorded at start), with repositories named `<registry>/<repo>`. Host-style
 * (when WHARF_REGISTRY_DOMAIN is set): `<registry>.<domain>` and bare repository names.
 */
export function loginServerOf(name: string): { loginServer: string; repositoryPrefix: string } {
  const c = config();
  if (c.WHARF_REGISTRY_DOMAIN) return { loginServer: `${name}.${c.WHARF_REGISTRY_DOMAIN}`, repositoryPrefix: "" };
  if (c.WHARF_PUBLIC_URL) return { loginServer: new URL(c.WHARF_PUBLIC_URL).host, repositoryPrefix: `${name}/` };
  return { loginServer: context().get(served) ?? configuredAddress(), repositoryPrefix: `${name}/` };
}
