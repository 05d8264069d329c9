import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Every package the lock file installs runs on the oldest Node package.json
 * promises, so `npm install` prints no EBADENGINE warning (an override pins a
 * dependency back when a newer one dropped our Node).
 */
const root = path.resolve(__dirname, "..");
const semver = createRequire(__filename)("semver") as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

test("no locked package needs a newer Node than package.json's engines allow", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node)?.version;
  assert.ok(oldest, `package.json engines.node '${pkg.engines.node}' has a lowest version`);
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; engines?: Record<string, string> | string[] }>;
  };
  const refused = Object.entries(lock.packages)
    .filter(([where, p]) => where && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
    .map(([where, p]) => `${where.replace(/^.*node_modules\//, "")}@${p.version} needs node ${(p.engines as Record<string, string>).node}`);
  assert.deepEqual(refused, [], `Node ${oldest} (package.json engines) is refused by these; pin a version that supports it with "overrides"`);
});
