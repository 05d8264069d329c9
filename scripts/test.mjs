#!/usr/bin/env node
// `npm test`: install what the tests need, build, then run every suite and end
// with one line "N passed, N failed".
//
//   npm test                    every suite on the embedded defaults (SQLite + files), then every
//                               backend-dependent suite again on PostgreSQL + S3 (Ceph) + Redis, then
//                               the cluster suite (the last two skipped, with the reason, when their
//                               engines cannot start here)
//   npm test -- unit            only the named suites (typecheck, migrations, unit,
//                               integration, hostile, e2e, cluster), several allowed
//   npm test -- --backend=postgres-s3 [suites]   only the PostgreSQL + S3 + Redis run
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDependencies, must, root } from "./lib.mjs";
import { ensurePackages, freePort, startEngines, stopEngines, testEnv } from "./infra.mjs";

const SUITES = ["typecheck", "migrations", "unit", "integration", "hostile", "e2e", "cluster"];
/** Suites whose outcome depends on the database and storage engines (typecheck and migrations do not). */
const BACKEND_SUITES = ["unit", "integration", "hostile", "e2e"];
const args = process.argv.slice(2);
const unknown = args.filter((a) => !SUITES.includes(a) && !/^--backend=(postgres-s3|default)$/.test(a));
if (unknown.length) {
  console.error(`✖ Unknown argument(s): ${unknown.join(" ")}. Suites: ${SUITES.join(", ")}; option: --backend=postgres-s3.`);
  process.exit(2);
}
const wanted = args.filter((a) => SUITES.includes(a));
const backendArg = (args.find((a) => a.startsWith("--backend=")) ?? "").slice("--backend=".length);
const selected = wanted.length ? wanted : SUITES;
/**
 * The phases: [label suffix, suites, backend]. Plain `npm test` runs all three; naming suites runs them on the
 * defaults (cluster always runs on its own engines); --backend=postgres-s3 runs only the engines' phase.
 */
const phases =
  backendArg === "postgres-s3"
    ? [{ backend: "postgres-s3", suites: selected.filter((s) => s !== "cluster") }]
    : [
        { backend: "default", suites: selected.filter((s) => s !== "cluster") },
        ...(wanted.length || backendArg ? [] : [{ backend: "postgres-s3", suites: BACKEND_SUITES }]),
        ...(selected.includes("cluster") ? [{ backend: "cluster", suites: ["cluster"] }] : []),
      ];

/** Debian packages the tests drive: a real browser, real registry clients, CNCF Distribution (the upstream in import
 * and cache tests), and libfaketime for the demo's history. */
const DEBIAN = { chromium: "/usr/bin/chromium", skopeo: "/usr/bin/skopeo", podman: "/usr/bin/podman", buildah: "/usr/bin/buildah", umoci: "/usr/bin/umoci", faketime: "/usr/bin/faketime", "docker-registry": "/usr/bin/docker-registry" };

function ensureDebianPackages() {
  const missing = Object.entries(DEBIAN).filter(([, bin]) => !fs.existsSync(bin)).map(([pkg]) => pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.error(`✖ The tests need Debian packages that are missing: ${missing.join(", ")}.\n  Install them with: sudo apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`→ Installing Debian packages: ${missing.join(", ")}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  must("apt-get", ["update", "-qq"], { env });
  must("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}

function findFiles(dir, suffix) {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === "generated") continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix)) out.push(path.relative(root, p));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

/** Runs a command, echoing its output, and returns { code, output }. */
function runCaptured(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const tee = (stream) => (d) => {
      output += d;
      stream.write(d);
    };
    p.stdout.on("data", tee(process.stdout));
    p.stderr.on("data", tee(process.stderr));
    p.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const report = [];

function record(suite, passed, failed, skipped = 0, failures = [], details = []) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  report.push({ suite, passed, failed, skipped, failures, details });
}

/**
 * The first lines of each failure's account (its message, the assertion's values), without stack frames: the
 * summary repeats them, so a run whose log is cut to its tail still says why a test failed, not only which.
 */
function failureDetails(block, maxLines = 40) {
  const lines = block
    .split("\n")
    .filter((l) => l.trim() && !/^\s+at /.test(l) && !/^\s*>?\s*\d+ \|/.test(l) && !/^\s*\|/.test(l) && !/^\s+(generatedMessage|code: 'ERR_|operator|\})/.test(l))
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more line(s) above in the log`] : lines;
}

/**
 * Titles of the failed tests in a reporter's output, for the summary: CI keeps only the tail of a long run, and
 * a count without a name sends the reader back through an hour of output.
 */
function failedTitles(output, pattern) {
  const seen = new Set();
  for (const m of output.matchAll(pattern)) seen.add(m[1].trim());
  return [...seen].slice(0, 12);
}

/** Counts from node:test's spec reporter ("ℹ pass 3"). A crash with no counts is one failure. */
function nodeTestCounts(suite, { code, output }) {
  const num = (k) => Number((output.match(new RegExp(`^\\S* ?${k} (\\d+)$`, "m")) ?? [])[1] ?? NaN);
  const pass = num("pass"), fail = num("fail"), skipped = (num("skipped") || 0) + (num("todo") || 0);
  // node:test's spec reporter marks each failed test (and its suite) with ✖, then repeats them under "failing tests".
  const [run, failing = ""] = output.split("\n✖ failing tests:");
  const failures = failedTitles(run, /^\s*✖ (.+?)(?: \(\d[\d.]*ms\))?$/gm);
  const details = failureDetails(failing);
  if (Number.isNaN(pass)) return record(suite, 0, 1, 0, failures, failureDetails(output.slice(-4000)));
  record(suite, pass, Number.isNaN(fail) ? (code ? 1 : 0) : fail || (code ? 1 : 0), skipped, failures, details);
}

async function nodeTests(suite, files, extra = [], env = {}) {
  if (!files.length) return console.log(`(no ${suite} tests)`);
  console.log(`\n━━ ${suite}: ${files.length} file(s)`);
  const r = await runCaptured(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...extra, ...files], env);
  nodeTestCounts(suite, r);
}

/**
 * The hostile-input suite (test/hostile): each file writes its tally (cases, wrongly
 * accepted, 5xx) to a scratch dir; the run prints one line for all of them and fails
 * on any accepted hostile input or 5xx even if no test counted it.
 */
async function hostileTests(label, env) {
  const tallyDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-hostile-"));
  try {
    await nodeTests(label, findFiles("test/hostile", ".test.ts"), ["--test-concurrency=1"], { ...env, WHARF_HOSTILE_TALLY_DIR: tallyDir });
    const t = { cases: 0, accepted: 0, fiveXX: 0 };
    for (const f of fs.readdirSync(tallyDir)) {
      const one = JSON.parse(fs.readFileSync(path.join(tallyDir, f), "utf8"));
      for (const k of Object.keys(t)) t[k] += one[k] ?? 0;
    }
    const line = `${t.cases} cases, ${t.accepted} accepted, ${t.fiveXX} 5xx`;
    console.log(line);
    const last = report[report.length - 1];
    if (last?.suite === label) {
      last.line = line;
      if ((t.accepted || t.fiveXX) && !last.failed) {
        last.failed = 1;
        totals.failed += 1;
      }
    }
  } finally {
    fs.rmSync(tallyDir, { recursive: true, force: true });
  }
}

/** Runs the suites on one backend; `env` carries the engines' WHARF_TEST_* addresses (empty on the defaults). */
async function runSuites(suites, suffix, env) {
  const label = (suite) => (suffix ? `${suite} (${suffix})` : suite);
  if (suites.includes("typecheck")) {
    console.log("\n━━ typecheck");
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"], { cwd: root, stdio: "inherit" });
    record("typecheck", r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1);
  }
  if (suites.includes("migrations")) {
    console.log("\n━━ migrations match the schema");
    const r = spawnSync(process.execPath, [path.join(root, "scripts", "migrate.mjs"), "check"], { cwd: root, stdio: "inherit" });
    record("migrations", r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1);
  }
  if (suites.includes("unit")) {
    await nodeTests(label("unit"), [...findFiles("lib", ".test.ts"), ...findFiles("scripts", ".test.ts"), ...findFiles("cli", ".test.ts"), ...findFiles("app", ".test.tsx"), ...findFiles("components", ".test.tsx")], [], env);
  }
  if (suites.includes("integration")) {
    // One file at a time: each starts real servers and pushes real bytes.
    await nodeTests(label("integration"), findFiles("test/integration", ".test.ts"), ["--test-concurrency=1"], env);
  }
  if (suites.includes("hostile")) await hostileTests(label("hostile"), env);
  if (suites.includes("e2e")) {
    const specs = findFiles("e2e", ".spec.ts");
    if (specs.length) {
      console.log(`\n━━ ${label("e2e")} (Playwright, Debian Chromium): ${specs.length} file(s)`);
      const r = await runCaptured(process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", "--reporter=list"], env);
      // Only Playwright's closing summary lines ("  12 passed (40s)", "  1 failed"), not test titles.
      const n = (k) => Number((r.output.match(new RegExp(`^\\s+(\\d+) ${k}(?: \\(.*\\))?\\s*$`, "m")) ?? [])[1] ?? 0);
      const passed = n("passed"), failed = n("failed") + n("flaky") + n("interrupted");
      // The list reporter marks a failed attempt "✘  3 e2e/x.spec.ts:12:1 › title (5.0s)", retries included.
      const failures = failedTitles(r.output, /^\s+✘\s+\d+ (.+?)(?: \(\d[\d.]*m?s\))?$/gm);
      // The list reporter's accounts start at "  1) e2e/x.spec.ts:12:1 › title" and end before the closing counts.
      const accounts = r.output.slice(Math.max(0, r.output.search(/^\s+1\) /m))).split(/^\s+\d+ (?:failed|flaky|passed)/m)[0];
      const details = failures.length ? failureDetails(accounts) : [];
      if (!passed && !failed && r.code) record(label("e2e"), 0, 1, 0, failures, failureDetails(r.output.slice(-4000)));
      else record(label("e2e"), passed, failed || (r.code ? 1 : 0), n("skipped"), failures, details);
    }
  }
}

/** A phase that cannot run here (not root and packages missing): said, counted in no total, never a failure. */
function skipPhase(labels, why) {
  console.log(`\n━━ ${labels.join(", ")}: skipped, ${why}`);
  for (const suite of labels) report.push({ suite, passed: 0, failed: 0, skipped: 0, line: `skipped: ${why}` });
}

/** Every backend-dependent suite again on real PostgreSQL, Ceph S3 and Redis, started for this run only. */
async function postgresS3Phase(suites) {
  const labels = suites.map((s) => `${s} (postgres-s3)`);
  const why = ensurePackages(["postgres", "ceph", "redis"]);
  if (why) return skipPhase(labels, why);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-engines-"));
  const stop = () => stopEngines(dir).catch((err) => console.error(`stopping the engines: ${err.message}`));
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    console.log(`\n━━ starting PostgreSQL, Ceph RGW and Redis under ${dir}`);
    let state;
    try {
      state = await startEngines(dir, { postgres: await freePort(), redis: await freePort(), mon: await freePort(), rgw: await freePort() });
    } catch (err) {
      console.error(err.message);
      record(labels.join(", "), 0, 1);
      return;
    }
    await runSuites(suites, "postgres-s3", testEnv(state));
  } finally {
    await stop();
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

/** test/cluster: three nodes behind HAProxy, brought up by the files themselves through scripts/cluster.mjs. */
async function clusterPhase() {
  const why = ensurePackages(["postgres", "ceph", "redis", "haproxy"]);
  if (why) return skipPhase(["cluster"], why);
  await nodeTests("cluster", findFiles("test/cluster", ".test.ts"), ["--test-concurrency=1"]);
}

async function main() {
  const started = Date.now();
  ensureDependencies();
  if (phases.some((p) => p.suites.some((s) => ["e2e", "integration", "cluster"].includes(s)))) ensureDebianPackages();
  must(process.execPath, [path.join(root, "scripts", "build.mjs")]);

  for (const phase of phases) {
    if (!phase.suites.length) continue;
    if (phase.backend === "default") await runSuites(phase.suites, "", {});
    else if (phase.backend === "postgres-s3") await postgresS3Phase(phase.suites);
    else await clusterPhase();
  }

  const failed = report.filter((s) => s.details?.length);
  if (failed.length) {
    console.log("\n━━ why they failed (the first lines of each account; the whole of it is above)");
    for (const s of failed) {
      console.log(`── ${s.suite}`);
      for (const line of s.details) console.log(`  ${line}`);
    }
  }
  console.log("\n━━ summary");
  const width = Math.max(12, ...report.map((s) => s.suite.length + 1));
  for (const s of report) {
    console.log(`  ${s.suite.padEnd(width)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ""}${s.line ? ` (${s.line})` : ""}`);
    for (const title of s.failures ?? []) console.log(`  ${"".padEnd(width)}   ✘ ${title}`);
  }
  console.log(`  took ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
  process.exit(totals.failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
