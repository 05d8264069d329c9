// Shared helpers for the start, build and test scripts. Plain Node, no dependencies:
// these run before `npm install` has happened.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function must(cmd, args, opts = {}) {
  const code = run(cmd, args, opts);
  if (code !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(" ")} failed (exit ${code})`);
    process.exit(code);
  }
}

/** Install dependencies when node_modules is missing or older than package.json. */
export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const stale =
    !fs.existsSync(marker) ||
    fs.statSync(path.join(root, "package.json")).mtimeMs > fs.statSync(marker).mtimeMs + 1000;
  if (!stale) return false;
  console.log("→ Installing dependencies (npm install)…");
  // `npm ci` refuses a lockfile made on another platform; `npm install` does not.
  must("npm", ["install", "--no-audit", "--no-fund"]);
  return true;
}

/** A hash of every file under the given paths (skips generated and dependency folders). */
export function hashSources(paths) {
  const h = crypto.createHash("sha256");
  const skip = new Set(["node_modules", ".next", "dist", "data", "generated", "test-results", ".git"]);
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!skip.has(name)) walk(path.join(p, name));
    } else {
      h.update(path.relative(root, p));
      h.update(fs.readFileSync(p));
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return h.digest("hex");
}
