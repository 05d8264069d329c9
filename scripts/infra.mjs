#!/usr/bin/env node
// The engines a scaled-out Wharf runs on, started from Debian packages under one directory each, no systemd:
// PostgreSQL 15, a single-host Ceph RADOS Gateway (real S3), Redis and HAProxy. Every start records what it
// started (pids, dirs, ports, env) in a state file, so stop() leaves no process and no data behind.
// Used by scripts/cluster.mjs (`npm run cluster`) and scripts/test.mjs (`--backend=postgres-s3`).
//
//   node scripts/infra.mjs start DIR [pgPort redisPort monPort rgwPort]   engines for tests; env in DIR/env
//   node scripts/infra.mjs stop DIR                                        stop them, delete DIR
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startCeph, stopCeph } from "./infra-ceph.mjs";

const PG_BIN = "/usr/lib/postgresql/15/bin";

/** Debian packages per engine, and a binary that proves each is installed. */
export const PACKAGES = {
  postgres: { packages: ["postgresql-15"], binary: `${PG_BIN}/initdb` },
  ceph: { packages: ["ceph-mon", "ceph-osd", "radosgw"], binary: "/usr/bin/radosgw" },
  redis: { packages: ["redis-server"], binary: "/usr/bin/redis-server" },
  haproxy: { packages: ["haproxy"], binary: "/usr/sbin/haproxy" },
  // libfaketime: the demo replays its week of history with the server's clock moved back (scripts/demo.mjs).
  faketime: { packages: ["faketime"], binary: "/usr/bin/faketime" },
};

/**
 * Installs the engines' Debian packages that are missing (as root, `apt-get update` first). Answers null when all
 * are there, else why they cannot be: the apt-get line a non-root user should run.
 */
export function ensurePackages(engines) {
  const missing = engines.flatMap((e) => (fs.existsSync(PACKAGES[e].binary) ? [] : PACKAGES[e].packages));
  if (!missing.length) return null;
  const line = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) return `missing Debian packages ${missing.join(", ")}: run  sudo apt-get update && sudo ${line}`;
  console.log(`→ Installing Debian packages: ${missing.join(", ")}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...missing]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (r.status !== 0) return `apt-get ${args.join(" ")} failed (exit ${r.status}): run  ${line}`;
  }
  return null;
}

/** Runs a command and answers its stdout; throws with its output when it fails. */
export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: opts.timeout ?? 120_000, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  return r.stdout ?? "";
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` answers true, or throws `what` after `seconds`. */
export async function waitFor(what, check, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} after ${seconds} s`);
    await sleep(200);
  }
}

export function portOpen(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** A port nothing listens on now (the kernel's pick). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** SIGKILLs the pids (data is thrown away anyway) and waits until they are gone. */
export async function killAll(pids) {
  const live = pids.filter((p) => p && alive(p));
  for (const p of live) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  await waitFor(`processes ${live.join(", ")} still alive`, () => live.every((p) => !alive(p)), 10).catch(() => undefined);
}

function readPid(file) {
  try {
    return Number(fs.readFileSync(file, "utf8").split("\n")[0].trim()) || null;
  } catch {
    return null;
  }
}

/** A directory the `postgres` user can reach: every parent must be traversable, and the leaf owned by it. */
function postgresOwnedDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const st = fs.statSync(d);
    if (!(st.mode & 0o001)) fs.chmodSync(d, st.mode | 0o011);
  }
  if (process.getuid?.() === 0) sh("chown", ["-R", "postgres:postgres", dir]);
}

/** As root, PostgreSQL's tools run as `postgres` (it refuses root); otherwise as the caller. */
function pgCmd(bin, args) {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", `${PG_BIN}/${bin}`, ...args]] : [`${PG_BIN}/${bin}`, args];
}

/** PostgreSQL 15 on 127.0.0.1:port, trust auth for superuser `wharf`, with database `database`. */
export async function startPostgres({ dir, port, database = "wharf" }) {
  postgresOwnedDir(dir);
  sh(...pgCmd("initdb", ["-D", dir, "-U", "wharf", "--auth=trust", "-E", "UTF8", "--no-instructions"]));
  // Many test servers each hold a pool: room for them, and no durability (the data is thrown away).
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  sh(...pgCmd("pg_ctl", ["-D", dir, "-o", opts, "-l", `${dir}/log`, "-w", "-t", "60", "start"]));
  const pid = readPid(path.join(dir, "postmaster.pid"));
  sh(`${PG_BIN}/psql`, ["-h", "127.0.0.1", "-p", String(port), "-U", "wharf", "-d", "postgres", "-qc", `CREATE DATABASE "${database}"`]);
  return { pid, dir, port, url: `postgres://wharf@127.0.0.1:${port}/${database}`, adminUrl: `postgres://wharf@127.0.0.1:${port}/postgres` };
}

export async function stopPostgres(pg) {
  if (!pg) return;
  if (fs.existsSync(path.join(pg.dir, "postmaster.pid"))) spawnSync(...pgCmd("pg_ctl", ["-D", pg.dir, "-m", "immediate", "-w", "stop"]), { stdio: "ignore" });
  await killAll([pg.pid]);
  fs.rmSync(pg.dir, { recursive: true, force: true });
}

/** Redis on 127.0.0.1:port, memory only (no RDB, no AOF). */
export async function startRedis({ dir, port }) {
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "redis.pid");
  sh("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidFile, "--dir", dir, "--logfile", path.join(dir, "redis.log")]);
  await waitFor(`redis did not answer on ${port}`, () => fs.existsSync(pidFile) && portOpen(port), 20);
  return { pid: readPid(pidFile), dir, port, url: `redis://127.0.0.1:${port}` };
}

export async function stopRedis(redis) {
  if (!redis) return;
  await killAll([redis.pid ?? readPid(path.join(redis.dir, "redis.pid"))]);
  fs.rmSync(redis.dir, { recursive: true, force: true });
}

/**
 * HAProxy on 127.0.0.1:port, round-robin over `servers` ([{ name, port }]), a server in rotation only while its
 * GET /readyz answers 200. Uploads may take long and stream: generous client/server timeouts. A request whose
 * connection is refused (a node just died) is retried on another server.
 */
export async function startHaproxy({ dir, port, servers }) {
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "haproxy.pid");
  const cfg = `global
  maxconn 4096

defaults
  mode http
  option forwardfor
  option http-keep-alive
  option redispatch
  retries 3
  retry-on conn-failure empty-response response-timeout
  timeout connect 2s
  timeout http-request 60s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h

frontend wharf
  bind 127.0.0.1:${port}
  default_backend nodes

backend nodes
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join("\n")}
`;
  const cfgFile = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(cfgFile, cfg);
  sh("haproxy", ["-c", "-q", "-f", cfgFile]);
  sh("haproxy", ["-D", "-p", pidFile, "-f", cfgFile]);
  await waitFor(`haproxy did not listen on ${port}`, () => fs.existsSync(pidFile) && portOpen(port), 20);
  return { pid: readPid(pidFile), dir, port, config: cfgFile };
}

export async function stopHaproxy(h) {
  if (!h) return;
  await killAll([h.pid ?? readPid(path.join(h.dir, "haproxy.pid"))]);
  fs.rmSync(h.dir, { recursive: true, force: true });
}

export { startCeph, stopCeph };

// --- state file: what was started, so stop finds all of it even from another process -------------------------

export function readState(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

export function writeState(file, state) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // It holds the S3 secret key: readable by us only.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * Starts PostgreSQL, Ceph RGW and Redis under `dir` (state in dir/state.json, recorded after each engine so a
 * failure half-way can still be undone by stopEngines). Answers the state with the test env.
 */
export async function startEngines(dir, ports) {
  const stateFile = path.join(dir, "state.json");
  const state = { dir, engines: {} };
  writeState(stateFile, state);
  const save = () => writeState(stateFile, state);
  state.engines.postgres = await startPostgres({ dir: path.join(dir, "postgres"), port: ports.postgres });
  save();
  state.engines.redis = await startRedis({ dir: path.join(dir, "redis"), port: ports.redis });
  save();
  state.engines.ceph = await startCeph({ dir: path.join(dir, "ceph"), monPort: ports.mon, rgwPort: ports.rgw, osdPorts: ports.osd, onStarted: (partial) => ((state.engines.ceph = partial), save()) });
  save();
  return state;
}

/** Stops everything a state file lists (also HAProxy and Wharf nodes when the cluster added them), then deletes `dir`. */
export async function stopEngines(dir) {
  const state = readState(path.join(dir, "state.json"));
  const e = state?.engines ?? {};
  await killAll((state?.nodes ?? []).map((n) => n.pid));
  await stopHaproxy(e.haproxy).catch((err) => console.error(`haproxy: ${err.message}`));
  await Promise.all([
    stopPostgres(e.postgres).catch((err) => console.error(`postgres: ${err.message}`)),
    stopRedis(e.redis).catch((err) => console.error(`redis: ${err.message}`)),
    stopCeph(e.ceph ?? (fs.existsSync(path.join(dir, "ceph")) ? { dir: path.join(dir, "ceph") } : null)).catch((err) => console.error(`ceph: ${err.message}`)),
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The variables the test helpers turn into a database, a bucket and a Redis prefix per data dir. */
export function testEnv(state) {
  const { postgres, ceph, redis } = state.engines;
  return {
    WHARF_TEST_POSTGRES_URL: postgres.adminUrl,
    WHARF_TEST_S3_ENDPOINT: ceph.endpoint,
    WHARF_TEST_S3_ACCESS_KEY_ID: ceph.accessKey,
    WHARF_TEST_S3_SECRET_ACCESS_KEY: ceph.secretKey,
    WHARF_TEST_S3_REGION: ceph.region,
    WHARF_TEST_REDIS_URL: redis.url,
  };
}

export const randomKey = (n) => crypto.randomBytes(n).toString("hex").slice(0, n);

async function cli() {
  const [verb, dir, ...rest] = process.argv.slice(2);
  if (!dir || !["start", "stop"].includes(verb)) {
    console.error("usage: node scripts/infra.mjs start|stop DIR [pgPort redisPort monPort rgwPort]");
    process.exit(2);
  }
  const abs = path.resolve(dir);
  if (verb === "stop") return stopEngines(abs);
  const why = ensurePackages(["postgres", "ceph", "redis"]);
  if (why) throw new Error(why);
  if (fs.existsSync(path.join(abs, "state.json"))) throw new Error(`${abs} already holds engines: stop them first (node scripts/infra.mjs stop ${dir})`);
  const [postgres, redis, mon, rgw] = rest.length ? rest.map(Number) : [await freePort(), await freePort(), await freePort(), await freePort()];
  try {
    const state = await startEngines(abs, { postgres, redis, mon, rgw });
    const env = testEnv(state);
    fs.writeFileSync(path.join(abs, "env"), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""));
    console.log(Object.entries(env).map(([k, v]) => `${k}=${v}`).join("\n"));
  } catch (err) {
    await stopEngines(abs);
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((err) => {
    console.error(`✖ ${err.message}`);
    process.exit(1);
  });
}
