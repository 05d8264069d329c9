#!/usr/bin/env node
// `npm run cluster -- up|down|status|env|wharf …`: Wharf scaled out on one machine, on real engines.
// PostgreSQL, a single-host Ceph RADOS Gateway (S3) and Redis (scripts/infra.mjs), three stateless Wharf nodes
// on 127.0.0.1:3301-3303 and HAProxy on 127.0.0.1:3300 in front of them. Everything lives under one directory
// (/tmp/wharf-cluster); `down` stops every process it started and deletes that directory.
//
//   WHARF_CLUSTER_DIR          where it all lives (default /tmp/wharf-cluster)
//   WHARF_CLUSTER_PORT         HAProxy's port; the nodes take the next three (default 3300)
//   WHARF_CLUSTER_ENGINE_PORT  first of ten engine ports: PostgreSQL, Redis, Ceph monitor, RGW, then the
//                              OSD's range (default 3310)
// Other WHARF_* variables (WHARF_ADMIN_PASSWORD, WHARF_SKU_LIMITS, WHARF_LOG_LEVEL…) reach every node.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createBucket } from "./infra-ceph.mjs";
import { alive, ensurePackages, killAll, portOpen, readState, startEngines, startHaproxy, stopEngines, waitFor, writeState } from "./infra.mjs";
import { root } from "./lib.mjs";

const DIR = path.resolve(process.env.WHARF_CLUSTER_DIR || "/tmp/wharf-cluster");
const STATE = path.join(DIR, "state.json");
const PORT = Number(process.env.WHARF_CLUSTER_PORT || 3300);
const ENGINE = Number(process.env.WHARF_CLUSTER_ENGINE_PORT || 3310);
const NODES = [1, 2, 3].map((i) => ({ name: `node${i}`, port: PORT + i }));
const ENGINE_PORTS = { postgres: ENGINE, redis: ENGINE + 1, mon: ENGINE + 2, rgw: ENGINE + 3, osd: [ENGINE + 4, ENGINE + 9] };
const BUCKET = "wharf";

/** What every node (and the CLI) is given: one database, one bucket, one Redis, one public address. */
function sharedEnv(state) {
  const { postgres, ceph, redis } = state.engines;
  return {
    WHARF_DATABASE_URL: postgres.url,
    WHARF_STORAGE: "s3",
    WHARF_S3_ENDPOINT: ceph.endpoint,
    WHARF_S3_BUCKET: BUCKET,
    WHARF_S3_REGION: ceph.region,
    WHARF_S3_ACCESS_KEY_ID: ceph.accessKey,
    WHARF_S3_SECRET_ACCESS_KEY: ceph.secretKey,
    WHARF_S3_FORCE_PATH_STYLE: "true",
    WHARF_REDIS_URL: redis.url,
    // Tokens name the login server clients reached: HAProxy's address, whichever node issued them.
    WHARF_PUBLIC_URL: `http://127.0.0.1:${state.port}`,
  };
}

/**
 * A browser session (next-auth's JWT, sealed with AUTH_SECRET), a registry token (ES256, key in the data dir's
 * keys/token-signing-key.json) and a sealed upstream password (keys/secrets-key) must be valid on every node: one
 * secret, one signing key and one secrets key, given to all (and to the CLI).
 */
function writeSharedKeys(dataDir, secrets) {
  const keys = path.join(dataDir, "keys");
  fs.mkdirSync(keys, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(keys, "token-signing-key.json"), JSON.stringify(secrets.signingKey), { mode: 0o600 });
  fs.writeFileSync(path.join(keys, "auth-secret"), secrets.authSecret, { mode: 0o600 });
  fs.writeFileSync(path.join(keys, "secrets-key"), `${secrets.secretsKey}\n`, { mode: 0o600 });
}

function passThroughEnv() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("WHARF_") && !k.startsWith("WHARF_CLUSTER_") && !k.startsWith("WHARF_TEST_")) out[k] = v;
  return out;
}

/** Starts one node detached (it outlives this script), logging to its data dir; answers its record. */
function startNode(state, node, secrets) {
  const dataDir = path.join(state.dir, "nodes", node.name);
  writeSharedKeys(dataDir, secrets);
  const log = path.join(dataDir, "wharf.log");
  const out = fs.openSync(log, "a");
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...passThroughEnv(),
    ...sharedEnv(state),
    PORT: String(node.port),
    HOST: "127.0.0.1",
    WHARF_DATA_DIR: dataDir,
    AUTH_SECRET: secrets.authSecret,
    // HAProxy connects from loopback and appends X-Forwarded-For: believe it only from there.
    WHARF_TRUST_PROXY: "loopback",
  };
  const child = spawn(process.execPath, [path.join(root, "dist", "server.js")], { cwd: root, env, detached: true, stdio: ["ignore", out, out] });
  child.unref();
  fs.closeSync(out);
  return { name: node.name, pid: child.pid, port: node.port, dataDir, log };
}

async function waitReady(node) {
  await waitFor(`${node.name} (pid ${node.pid}) not ready on ${node.port}; its log:\n${tail(node.log)}`, async () => {
    if (!alive(node.pid)) throw new Error(`${node.name} exited during start-up; its log:\n${tail(node.log)}`);
    return fetch(`http://127.0.0.1:${node.port}/readyz`).then((r) => r.status === 200, () => false);
  }, 120);
}

const tail = (file, n = 30) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-n).join("\n") : "(no log)");

async function up() {
  const existing = readState(STATE);
  if (existing) {
    if (runningPids(existing).length) {
      console.log(`A cluster already runs from ${DIR}:`);
      return status();
    }
    console.log(`→ Removing what a stopped cluster left in ${DIR}…`);
    await stopEngines(DIR);
  }
  const why = ensurePackages(["postgres", "ceph", "redis", "haproxy"]);
  if (why) throw new Error(`The cluster needs its engines: ${why}`);
  const ports = [PORT, ...NODES.map((n) => n.port), ENGINE_PORTS.postgres, ENGINE_PORTS.redis, ENGINE_PORTS.mon, ENGINE_PORTS.rgw];
  for (const p of ports) if (await portOpen(p)) throw new Error(`Port ${p} is in use. Free it, or move the cluster: WHARF_CLUSTER_PORT (HAProxy, nodes +1..+3) and WHARF_CLUSTER_ENGINE_PORT (engines, 10 ports).`);

  const build = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the build failed");
  const t0 = Date.now();
  try {
    console.log(`→ Starting PostgreSQL, Redis and Ceph RGW under ${DIR}…`);
    const state = await startEngines(DIR, ENGINE_PORTS);
    state.port = PORT;
    state.nodes = [];
    writeState(STATE, state);
    await createBucket(state.engines.ceph, BUCKET);
    // Migrate once, before any node starts, so three nodes never race to apply the same migration.
    const env = { ...process.env, ...sharedEnv(state) };
    const migrated = spawnSync(process.execPath, [path.join(root, "scripts", "migrate.mjs"), "deploy"], { cwd: root, env, stdio: "inherit" });
    if (migrated.status !== 0) throw new Error("migrating the PostgreSQL database failed");

    const secrets = {
      authSecret: crypto.randomBytes(32).toString("base64url"),
      signingKey: crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }),
      secretsKey: crypto.randomBytes(32).toString("base64"),
    };
    writeSharedKeys(path.join(DIR, "cli"), secrets);
    console.log("→ Starting three Wharf nodes…");
    // The first node alone creates the admin user; the others find it.
    const first = startNode(state, NODES[0], secrets);
    state.nodes.push(first);
    writeState(STATE, state);
    await waitReady(first);
    for (const n of NODES.slice(1)) state.nodes.push(startNode(state, n, secrets));
    writeState(STATE, state);
    await Promise.all(state.nodes.slice(1).map(waitReady));
    state.engines.haproxy = await startHaproxy({ dir: path.join(DIR, "haproxy"), port: PORT, servers: NODES });
    writeState(STATE, state);
    await waitFor("HAProxy does not see a ready node", () => fetch(`http://127.0.0.1:${PORT}/readyz`).then((r) => r.status === 200, () => false), 30);
    fs.writeFileSync(path.join(DIR, "cluster.env"), Object.entries(sharedEnv(state)).map(([k, v]) => `${k}=${v}\n`).join(""));

    const password = process.env.WHARF_ADMIN_PASSWORD ? "the WHARF_ADMIN_PASSWORD you set" : (tail(first.log, 200).match(/shown only this once:\s*(\S+)/) ?? [])[1] ?? "(see the first node's log)";
    console.log(`
Wharf cluster is up in ${Math.round((Date.now() - t0) / 1000)} s (everything under ${DIR}):
  HAProxy      http://127.0.0.1:${PORT}   (round-robin, health-checked on /readyz)
${state.nodes.map((n) => `  ${n.name}        http://127.0.0.1:${n.port}   pid ${n.pid}`).join("\n")}
  PostgreSQL   ${state.engines.postgres.url}
  Ceph RGW     ${state.engines.ceph.endpoint}  bucket ${BUCKET}
  Redis        ${state.engines.redis.url}

Sign in at http://127.0.0.1:${PORT} as admin with ${password}.
  npm run cluster -- wharf registry create --name contoso        the CLI, on the cluster's database
  skopeo copy --dest-creds admin:PASSWORD --dest-tls-verify=false oci:DIR:TAG docker://127.0.0.1:${PORT}/contoso/app:v1
  npm run cluster -- status | down`);
  } catch (err) {
    console.error(`✖ ${err.message}\n→ Stopping what was started…`);
    await stopEngines(DIR);
    process.exit(1);
  }
}

function runningPids(state) {
  const e = state.engines ?? {};
  return [e.postgres?.pid, e.redis?.pid, e.haproxy?.pid, ...(e.ceph?.pids ?? []), ...(state.nodes ?? []).map((n) => n.pid)].filter((p) => p && alive(p));
}

async function status() {
  const state = readState(STATE);
  if (!state) return console.log(`No cluster in ${DIR}. Start one with: npm run cluster -- up`);
  const get = (url) => fetch(url, { signal: AbortSignal.timeout(5000) }).then((r) => `HTTP ${r.status}`, (e) => `no answer (${e.cause?.code ?? e.message})`);
  const cmd = (c, a) => {
    const r = spawnSync(c, a, { encoding: "utf8", timeout: 5000 });
    return r.status === 0 ? "ok" : `failing (${(r.stderr || r.stdout || "").trim().split("\n")[0]})`;
  };
  const e = state.engines ?? {};
  const pid = (p) => (p ? `pid ${p} ${alive(p) ? "running" : "GONE"}` : "no pid");
  const rows = [];
  if (e.haproxy) rows.push(["haproxy", pid(e.haproxy.pid), state.port, `/readyz ${await get(`http://127.0.0.1:${state.port}/readyz`)}`]);
  for (const n of state.nodes ?? []) rows.push([n.name, pid(n.pid), n.port, `/readyz ${await get(`http://127.0.0.1:${n.port}/readyz`)}`]);
  if (e.postgres) rows.push(["postgresql", pid(e.postgres.pid), e.postgres.port, `select 1: ${cmd("psql", [e.postgres.url, "-tAc", "select 1"])}`]);
  if (e.redis) rows.push(["redis", pid(e.redis.pid), e.redis.port, `ping: ${cmd("redis-cli", ["-u", e.redis.url, "ping"])}`]);
  if (e.ceph) {
    const pids = e.ceph.pids ?? [];
    const up = pids.filter(alive);
    rows.push(["ceph rgw", `pids ${pids.join(",")} ${up.length === pids.length ? "running" : `${pids.length - up.length} GONE`}`, e.ceph.rgwPort, `GET / ${await get(e.ceph.endpoint)}`]);
  }
  console.log(`Cluster in ${DIR}:`);
  for (const [name, p, port, health] of rows) console.log(`  ${name.padEnd(11)} ${String(port).padEnd(6)} ${p.padEnd(24)} ${health}`);
}

async function down() {
  if (!readState(STATE) && !fs.existsSync(DIR)) return console.log(`No cluster in ${DIR}.`);
  await stopEngines(DIR);
  console.log(`Cluster stopped; ${DIR} removed.`);
}

/** `npm run cluster -- restart node2`: (re)starts one node with the keys in its data dir, e.g. after a kill -9. */
async function restart([name]) {
  const state = readState(STATE);
  const node = state?.nodes?.find((n) => n.name === name);
  if (!node) throw new Error(`No node '${name}' in ${DIR}: the nodes are ${(state?.nodes ?? []).map((n) => n.name).join(", ") || "none"}`);
  await killAll([node.pid]);
  const keys = path.join(node.dataDir, "keys");
  const secrets = {
    authSecret: fs.readFileSync(path.join(keys, "auth-secret"), "utf8"),
    signingKey: JSON.parse(fs.readFileSync(path.join(keys, "token-signing-key.json"), "utf8")),
    secretsKey: fs.readFileSync(path.join(keys, "secrets-key"), "utf8").trim(),
  };
  const fresh = startNode(state, node, secrets);
  state.nodes = state.nodes.map((n) => (n.name === name ? fresh : n));
  writeState(STATE, state);
  await waitReady(fresh);
  console.log(`${name} runs again: pid ${fresh.pid}, http://127.0.0.1:${fresh.port}`);
}

/** `npm run cluster -- wharf …`: the CLI on the cluster's database and bucket. */
function wharf(args) {
  const state = readState(STATE);
  if (!state?.engines?.postgres) throw new Error(`No cluster in ${DIR}. Start one with: npm run cluster -- up`);
  const env = { ...process.env, ...passThroughEnv(), ...sharedEnv(state), WHARF_DATA_DIR: path.join(DIR, "cli") };
  const r = spawnSync(process.execPath, [path.join(root, "bin", "wharf.js"), ...args], { cwd: root, env, stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const [verb, ...rest] = process.argv.slice(2);
const verbs = { up, down, status, env: () => process.stdout.write(fs.readFileSync(path.join(DIR, "cluster.env"), "utf8")), wharf: () => wharf(rest), restart: () => restart(rest) };
if (!verbs[verb]) {
  console.error("usage: npm run cluster -- up | down | status | env | restart <node> | wharf <command…>");
  process.exit(2);
}
Promise.resolve(verbs[verb]()).catch((err) => {
  console.error(`✖ ${err.message}`);
  process.exit(1);
});
