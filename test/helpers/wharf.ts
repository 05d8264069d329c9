import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { backendEnv } from "./backends";

export const ROOT = path.resolve(__dirname, "..", "..");
export const ADMIN_PASSWORD = "s3cret-Pass";

/** SKU operation limits lifted: for suites that write hundreds of times a minute and test something else than throttling. */
const UNLIMITED = { readOpsPerMinute: 1_000_000, writeOpsPerMinute: 1_000_000 };
export const UNLIMITED_SKUS_ENV: Record<string, string> = {
  WHARF_SKU_LIMITS: JSON.stringify({ Basic: UNLIMITED, Standard: UNLIMITED, Premium: UNLIMITED }),
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type Wharf = {
  url: string;
  port: number;
  host: string; // "127.0.0.1:PORT": the login server
  dataDir: string;
  env: NodeJS.ProcessEnv;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait. */
  stop: () => Promise<void>;
  /** SIGKILL and wait (crash tests). */
  kill: () => Promise<void>;
  /** Start again on the same port and data dir. */
  restart: () => Promise<Wharf>;
};

/**
 * Starts the real, built server (dist/server.js) on a free port with a temporary
 * data dir. `npm test` builds before running integration tests.
 */
export async function startWharf(opts: { env?: Record<string, string>; dataDir?: string; port?: number } = {}): Promise<Wharf> {
  const serverJs = path.join(ROOT, "dist", "server.js");
  if (!fs.existsSync(serverJs)) throw new Error("dist/server.js is missing: run `npm run build` first");
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "wharf-test-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    WHARF_DATA_DIR: dataDir,
    WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // Tests sign in hundreds of times on a 2-core box next to browsers, and hashing
    // runs at low priority: a cheaper scrypt (2^14) keeps them within their timeouts.
    // Production keeps the default (2^17), which bench/login-flood runs at.
    WHARF_PASSWORD_SCRYPT_LN: "14",
    ...(await backendEnv(dataDir)),
    ...opts.env,
  };
  const proc = spawn(process.execPath, [serverJs], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`Wharf exited during start-up:\n${out}`);
    if (/Wharf is ready/.test(out)) break;
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`Wharf did not start within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // The server says which it speaks (WHARF_TLS_CERT/KEY or WHARF_TLS=self-signed serve HTTPS on the same port).
  const scheme = /Wharf is ready on https:/.test(out) ? "https" : "http";
  const wharf: Wharf = {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    dataDir,
    env,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
    kill: async () => {
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await exited;
    },
    restart: async () => {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await exited;
      }
      return startWharf({ env: opts.env, dataDir, port });
    },
  };
  return wharf;
}

/** Stops a test's own server (if it started) and removes its data dir: every file's afterAll. */
export async function discardWharf(w: Wharf | undefined): Promise<void> {
  if (!w) return;
  await w.stop();
  fs.rmSync(w.dataDir, { recursive: true, force: true });
}

/** Runs the compiled `wharf` CLI against a server's data dir. */
export async function runCli(w: Pick<Wharf, "env">, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, "bin", "wharf.js"), ...args], { cwd: ROOT, env: w.env });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    // "close", not "exit": exit can come before the last of stdout/stderr has been read.
    p.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function basicAuth(user: string, password: string): string {
  return "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
}

/**
 * The server's error and fatal log lines, each folded to one short line (message, request id, the error's type,
 * code and message, and the first frames of its stack): a test that fails on a 500 puts them in its own error, so
 * the account CI shows names the cause and not only the request id.
 */
export function serverErrors(w: Pick<Wharf, "output">, max = 8): string[] {
  const lines: string[] = [];
  for (const raw of w.output().split("\n")) {
    if (!/"level":(50|60)/.test(raw)) continue;
    try {
      const e = JSON.parse(raw) as { msg?: string; reqId?: string; err?: { type?: string; code?: string; message?: string; stack?: string } };
      const frames = (e.err?.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 4).map((l) => l.trim().replace(/^at /, ""));
      lines.push(`server: ${e.msg ?? ""} [${e.reqId ?? "-"}] ${e.err?.type ?? ""}${e.err?.code ? ` ${e.err.code}` : ""}: ${e.err?.message ?? ""} @ ${frames.join(" < ")}`);
    } catch {
      lines.push(`server: ${raw}`);
    }
  }
  return lines.slice(-max);
}

/**
 * Wraps a test so that, when it fails, the error lines of these servers' logs are appended to its message: request
 * ids in 500s point there, and CI's account of the failure then names the cause.
 */
export function withServerLog(servers: () => Pick<Wharf, "output">[], fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await fn();
    } catch (err) {
      await new Promise((r) => setTimeout(r, 1500)); // the server writes its log in batches
      const log = servers().flatMap((w) => serverErrors(w));
      // The stack's first line was written from the message when the error was made: both carry the log.
      if (log.length && err instanceof Error) {
        const was = err.message;
        err.message = `${was}\n${log.join("\n")}`;
        if (err.stack) err.stack = err.stack.replace(was, err.message);
      }
      throw err;
    }
  };
}
