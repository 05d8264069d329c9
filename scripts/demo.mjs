#!/usr/bin/env node
// `npm run demo`: a populated Wharf on its own data dir (./demo-data, never ./data), seeded through Wharf's own
// services and /v2, then served until Ctrl-C.
//
//   npm run demo                       seed what is missing, then serve on http://127.0.0.1:3100
//   npm run demo -- --reset            remove the demo's data dir first and seed from scratch
//   npm run demo -- --port 3200 --data-dir /tmp/demo [--seed-only]
//
// The week of history is real work done by the real server: each of the last six days is played by a server and a
// `wharf demo seed --day -N` whose clocks libfaketime moves back N days. Without libfaketime (not root, package
// missing) the demo has today only, and says so.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ensureDependencies, must, root } from "./lib.mjs";
import { ensurePackages, portOpen, sleep, waitFor } from "./infra.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const known = new Set(["--reset", "--seed-only", "--port", "--data-dir"]);
const unknown = args.filter((a, i) => a.startsWith("--") ? !known.has(a) : !["--port", "--data-dir"].includes(args[i - 1]));
if (unknown.length) {
  console.error(`✖ Unknown argument(s): ${unknown.join(" ")}. Options: --reset, --port N, --data-dir DIR, --seed-only.`);
  process.exit(2);
}
const port = Number(value("--port", "3100"));
if (!Number.isInteger(port) || port < 1 || port > 65534) {
  console.error(`✖ --port must be a port number (1–65534), not '${value("--port")}'.`);
  process.exit(2);
}
const dataDir = path.resolve(value("--data-dir", path.join(root, "demo-data")));
if (dataDir === path.resolve(root, "data")) {
  console.error("✖ The demo never uses ./data (your own registries live there). Pick another --data-dir.");
  process.exit(2);
}

const HISTORY_DONE = path.join(dataDir, "demo-history-played");
const url = `http://127.0.0.1:${port}`;
const host = `127.0.0.1:${port}`;

/** The embedded defaults whatever the caller's environment says: the demo never reaches another database or bucket. */
function serverEnv(extra = {}) {
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    HOST: "127.0.0.1",
    PORT: String(port),
    WHARF_DATA_DIR: dataDir,
    WHARF_ADMIN_PASSWORD: STORY.DEMO_USERS.owner.password,
    // The cache rule's upstream is this same server's contosodev, over plain HTTP.
    WHARF_INSECURE_REGISTRIES: host,
    ...extra,
  };
  for (const k of ["WHARF_PUBLIC_URL", "WHARF_DATABASE_URL", "WHARF_STORAGE", "WHARF_REDIS_URL", "WHARF_REGISTRY_DOMAIN", "WHARF_TLS", "WHARF_TLS_CERT", "WHARF_TLS_KEY"]) delete env[k];
  return env;
}

/** Starts dist/server.js and waits for /readyz; `clock` is libfaketime's environment for a day in the past. */
async function startServer(clock = {}) {
  if (await portOpen(port)) throw new Error(`Port ${port} is in use: stop what runs there, or pick another with --port.`);
  const env = serverEnv(clock);
  const child = spawn(process.execPath, [path.join(root, "dist", "server.js")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((r) => child.once("exit", r));
  await waitFor(`the demo server did not become ready on ${url}`, async () => {
    if (child.exitCode !== null) throw new Error(`the demo server stopped (exit ${child.exitCode}):\n${output.slice(-3000)}`);
    return fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
  }, 90);
  return {
    child,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000).then(() => child.kill("SIGKILL"))]);
    },
  };
}

/** `wharf demo seed` in its own process (the CLI talks to the services on this data dir, and to /v2 over HTTP). */
function seed(day, clock = {}) {
  const env = serverEnv(clock);
  const r = spawnSync(process.execPath, [path.join(root, "bin", "wharf.js"), "demo", "seed", "--url", url, "--day", String(day), "--webhook-url", receiverUrl, "-o", "json"], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wharf demo seed --day ${day} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  for (const line of r.stderr.split("\n").filter(Boolean)) console.log(`  ${line}`);
  return JSON.parse(r.stdout);
}

/** libfaketime's preload library, installed from Debian when missing and possible; null when not. */
function faketimeLibrary() {
  const why = ensurePackages(["faketime"]);
  if (why) {
    console.log(`  (no history: ${why})`);
    return null;
  }
  for (const dir of fs.readdirSync("/usr/lib")) {
    const lib = path.join("/usr/lib", dir, "faketime", "libfaketimeMT.so.1");
    if (fs.existsSync(lib)) return lib;
  }
  console.log("  (no history: libfaketimeMT.so.1 is not under /usr/lib/*/faketime)");
  return null;
}

/** The deploybot webhook's receiver: answers 200, as a deploy bot would; the delivery log shows each attempt. */
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ accepted: true }));
  });
});
const receiverUrl = `http://127.0.0.1:${port + 1}/hooks/deploybot`;

/** The story's sign-ins and sizes, from the compiled story: one source with the seed and the tests. */
let STORY;
async function main() {
  ensureDependencies();
  must(process.execPath, [path.join(root, "scripts", "build.mjs")]);
  STORY = await import(path.join(root, "dist", "lib", "services", "demo", "story.js")).then((m) => m.default ?? m);
  if (flag("--reset")) {
    console.log(`→ Removing ${dataDir}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.mkdirSync(dataDir, { recursive: true });
  await new Promise((resolve, reject) => receiver.once("error", reject).listen(port + 1, "127.0.0.1", resolve)).catch((err) => {
    throw new Error(`The webhook receiver cannot listen on 127.0.0.1:${port + 1} (${err.code}): stop what runs there, or pick another --port.`);
  });

  const started = Date.now();
  let credentials;
  if (!fs.existsSync(HISTORY_DONE)) {
    const lib = faketimeLibrary();
    if (lib) {
      const days = [STORY.DEMO_SETUP_DAY, ...Array.from({ length: STORY.DEMO_HISTORY_DAYS }, (_, i) => i - STORY.DEMO_HISTORY_DAYS)];
      for (const day of days) {
        console.log(`→ Playing ${-day} day(s) ago${day === STORY.DEMO_SETUP_DAY ? " (the setup day)" : ""}`);
        const clock = { LD_PRELOAD: lib, FAKETIME: `${day}d`, FAKETIME_DONT_RESET: "1" };
        const server = await startServer(clock);
        try {
          seed(day, clock);
        } finally {
          await server.stop();
        }
      }
      fs.writeFileSync(HISTORY_DONE, `${new Date().toISOString()}\n`);
    }
  }
  console.log("→ Playing today");
  const server = await startServer();
  const stop = async () => {
    await server.stop();
    receiver.close();
  };
  try {
    credentials = seed(0);
  } catch (err) {
    await stop();
    throw err;
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  printBanner(credentials, seconds);
  if (flag("--seed-only")) return void (await stop());
  const onSignal = () => void stop().finally(() => process.exit(0));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  server.child.stdout.pipe(process.stdout);
  server.child.stderr.pipe(process.stderr);
  server.child.once("exit", (code) => {
    receiver.close();
    process.exit(code ?? 1);
  });
}

function printBanner(credentials, seconds) {
  const { owner, lead, developer } = STORY.DEMO_USERS;
  const [pipeline, deploy] = credentials;
  const lines = [
    "",
    `Wharf demo is ready at ${url}  (seeded in ${seconds} s; data in ${path.relative(process.cwd(), dataDir) || dataDir})`,
    "",
    "Sign in to the portal as:",
    ...[owner, lead, developer].map((u) => `  ${u.username.padEnd(6)} ${u.password.padEnd(17)} ${u.role}`),
    "",
    "Pull and push with the clients you have (127.0.0.1 needs no TLS for docker; podman and skopeo need --tls-verify=false):",
    `  docker login ${host} -u ${developer.username} -p ${developer.password}`,
    `  docker pull ${host}/contosodev/team/api:0.6`,
    `  docker tag ${host}/contosodev/team/api:0.6 ${host}/contosodev/team/api:mine && docker push ${host}/contosodev/team/api:mine`,
    `  podman pull --tls-verify=false ${host}/contosodev/base/runtime:1          # anonymous pull is on for contosodev`,
    `  skopeo inspect --tls-verify=false --creds ${developer.username}:${developer.password} docker://${host}/contosodev/team/api:0.6`,
    `  skopeo inspect --tls-verify=false --creds ${deploy.username}:${deploy.password} docker://${host}/contosoprod/shop/frontend:1.0.0`,
    "",
    `The pipeline's service principal (AcrPush everywhere): ${pipeline.username} / ${pipeline.password}`,
    fs.existsSync(HISTORY_DONE)
      ? "The last six days (and a setup day 120 days ago) were played by the server with its clock moved back (libfaketime): the activity log and charts have a week."
      : "Only today was played (libfaketime is missing): the activity log and charts show today.",
    `Rebuild it from scratch: npm run demo -- --reset${port !== 3100 ? ` --port ${port}` : ""}. Stop it with Ctrl-C.`,
    "",
  ];
  console.log(lines.join("\n"));
}

main().catch((err) => {
  console.error(`✖ ${err.message}`);
  receiver.close();
  process.exit(1);
});
