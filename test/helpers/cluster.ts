import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ADMIN_PASSWORD, ROOT, runCli, type Wharf } from "./wharf";

const run = promisify(execFile);

/** A node of the cluster, shaped as the single-server helpers expect; `host` is HAProxy's, the login server. */
export type ClusterNode = Wharf & { name: string; pid: number; log: string };

export type Cluster = {
  dir: string;
  /** HAProxy: what clients use. */
  url: string;
  host: string;
  port: number;
  /** HAProxy as a Wharf, for the helpers that take one (token(), api()). */
  front: Wharf;
  nodes: ClusterNode[];
  /** The cluster's shared settings (database, bucket, Redis, public URL): the CLI runs on these. */
  env: Record<string, string>;
  cli: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  /** The last lines of every node's log, for failure messages. */
  output: () => string;
  restart: (name: string) => Promise<void>;
  /** What `npm run cluster -- status` prints. */
  status: () => Promise<string>;
  down: () => Promise<void>;
};

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** The first run of `count` free ports from `from` (the engines take ten in a row). */
async function freeRun(from: number, count: number): Promise<number> {
  for (let base = from; base < from + 400; base++) {
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error(`no ${count} free ports in a row from ${from}`);
}

function cluster(dir: string, env: NodeJS.ProcessEnv): Cluster {
  const state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as {
    port: number;
    nodes: { name: string; pid: number; port: number; dataDir: string; log: string }[];
  };
  const shared = Object.fromEntries(
    fs.readFileSync(path.join(dir, "cluster.env"), "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  ) as Record<string, string>;
  const host = `127.0.0.1:${state.port}`;
  const tail = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-40).join("\n") : "");
  const output = () => state.nodes.map((n) => `--- ${n.name}\n${tail(n.log)}`).join("\n");
  const cliEnv = { ...process.env, ...shared, WHARF_DATA_DIR: path.join(dir, "cli"), WHARF_PASSWORD_SCRYPT_LN: "14" };
  const asWharf = (url: string, port: number, dataDir: string): Wharf =>
    ({ url, port, host, dataDir, env: cliEnv, output, proc: undefined as never, stop: async () => {}, kill: async () => {}, restart: async () => undefined as never }) as Wharf;
  const self: Cluster = {
    dir,
    url: `http://${host}`,
    host,
    port: state.port,
    front: asWharf(`http://${host}`, state.port, path.join(dir, "cli")),
    nodes: state.nodes.map((n) => ({ ...asWharf(`http://127.0.0.1:${n.port}`, n.port, n.dataDir), name: n.name, pid: n.pid, log: n.log })),
    env: shared,
    cli: (args) => runCli({ env: cliEnv }, args),
    output,
    async restart(name) {
      await run(process.execPath, [path.join(ROOT, "scripts", "cluster.mjs"), "restart", name], { env, cwd: ROOT });
      const fresh = cluster(dir, env);
      self.nodes.splice(0, self.nodes.length, ...fresh.nodes);
    },
    async status() {
      return (await run(process.execPath, [path.join(ROOT, "scripts", "cluster.mjs"), "status"], { env, cwd: ROOT })).stdout;
    },
    async down() {
      await run(process.execPath, [path.join(ROOT, "scripts", "cluster.mjs"), "down"], { env, cwd: ROOT });
    },
  };
  return self;
}

/**
 * Brings up a cluster of its own through scripts/cluster.mjs (PostgreSQL, Ceph RGW, Redis, three nodes, HAProxy)
 * under a temp dir, on ports away from a cluster a person runs on 3300-3319: HAProxy on 7490 (nodes 7491-7493) and
 * the first ten free ports from 7494 for the engines. `env` reaches every node (e.g. WHARF_SKU_LIMITS).
 */
export async function startCluster(extra: Record<string, string> = {}): Promise<Cluster> {
  if (!fs.existsSync(path.join(ROOT, "dist", "server.js"))) throw new Error("dist/server.js is missing: run `npm run build` first");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-test-cluster-"));
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith("WHARF_")).map((k) => [k, undefined])),
    WHARF_CLUSTER_DIR: dir,
    WHARF_CLUSTER_PORT: "7490",
    WHARF_CLUSTER_ENGINE_PORT: String(await freeRun(7494, 10)),
    WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // As in startWharf: a cheaper scrypt keeps the many sign-ins of the tests within their timeouts.
    WHARF_PASSWORD_SCRYPT_LN: "14",
    ...extra,
  };
  try {
    await run(process.execPath, [path.join(ROOT, "scripts", "cluster.mjs"), "up"], { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`cluster up failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
  return cluster(dir, env);
}
