import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import madge from "madge";

/**
 * The layout DESIGN §5a promises, checked on every `npm test`: lib/ is loaded once
 * and keeps no globalThis state, its layers depend one way, nothing imports in a
 * circle, the portal's components never reach into app/, and the CLI talks only
 * to the control plane.
 */
const root = path.resolve(__dirname, "..");

function files(dir: string): string[] {
  const out: string[] = [];
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return out;
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "generated" && e.name !== "node_modules") out.push(...files(rel));
    } else if (/\.tsx?$/.test(e.name)) out.push(rel);
  }
  return out;
}

const source = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
const imports = (f: string) => [...source(f).matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);

/** The lib/ layer a relative import from `file` lands in, or null when it leaves lib/. */
function layerOf(file: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const target = path.relative(path.join(root, "lib"), path.resolve(path.dirname(path.join(root, file)), spec));
  return target.startsWith("..") ? null : target.split(path.sep)[0];
}

test("no module state is bridged through globalThis (Symbol.for)", () => {
  const offenders = ["lib", "app", "components", "cli", "portal"].flatMap(files).concat(["server.ts"]).filter((f) => !f.includes(".test.") && source(f).includes("Symbol.for"));
  assert.deepEqual(offenders, []);
});

test("lib/ layers depend one way: http/services → auth → registry → core", () => {
  const allowed: Record<string, string[]> = {
    core: ["core", "generated"],
    registry: ["core", "registry", "generated"],
    auth: ["core", "registry", "auth", "generated"],
    services: ["core", "registry", "auth", "services", "generated"],
    http: ["core", "registry", "auth", "http", "generated"],
  };
  const wrong: string[] = [];
  for (const f of files("lib").filter((f) => !f.includes(".test."))) {
    const layer = f.split(path.sep)[1];
    for (const spec of imports(f)) {
      const to = layerOf(f, spec);
      if (to && allowed[layer] && !allowed[layer].includes(to)) wrong.push(`${f} → ${spec}`);
      if (/^(next|react|react-dom)(\/|$)/.test(spec)) wrong.push(`${f} → ${spec} (lib/ stays framework-free)`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("components/ never imports app/", () => {
  const offenders = files("components").filter((f) => imports(f).some((s) => s.startsWith("@/app")));
  assert.deepEqual(offenders, []);
});

test("the CLI reaches the backend only through lib/services (and core helpers)", () => {
  const wrong: string[] = [];
  for (const f of files("cli").filter((f) => !f.includes(".test."))) {
    for (const spec of imports(f)) {
      if (/\/lib\/(registry|http|generated)\//.test(spec) || /\/lib\/core\/db$/.test(spec)) wrong.push(`${f} → ${spec}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("no import cycles in lib, app, components, cli (madge)", async () => {
  const dirs = ["lib", "app", "components", "cli", "portal"].filter((d) => fs.existsSync(path.join(root, d)));
  const result = await madge(dirs.map((d) => path.join(root, d)), {
    baseDir: root,
    fileExtensions: ["ts", "tsx"],
    tsConfig: path.join(root, "tsconfig.json"),
    excludeRegExp: [/lib\/generated\//, /\.test\.tsx?$/],
  });
  assert.deepEqual(result.circular(), []);
});
