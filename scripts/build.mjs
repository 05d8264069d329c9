#!/usr/bin/env node
// Builds what is missing or older than its sources: the Prisma client, the compiled
// server + CLI (dist/), and the Next.js portal (.next/). `--force` rebuilds everything.
import fs from "node:fs";
import path from "node:path";
import { hashSources, must, root } from "./lib.mjs";
import { writePostgresSchema } from "./pg-schema.mjs";

const force = process.argv.includes("--force");
const stampFile = path.join(root, ".build-stamp");
const stamps = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, "utf8")) : {};
const save = () => fs.writeFileSync(stampFile, JSON.stringify(stamps, null, 2));

const common = ["package.json", "tsconfig.json", "prisma/schema.prisma"];
const steps = [
  {
    name: "prisma",
    inputs: ["prisma/schema.prisma", "package.json"],
    output: "lib/generated/prisma/client.ts",
    run: () => prismaGenerate("prisma/schema.prisma"),
  },
  {
    // PostgreSQL: a copy of the schema (committed, so migrations and reviews see it) with its own client.
    name: "prisma-pg",
    inputs: ["prisma/schema.prisma", "package.json", "scripts/pg-schema.mjs"],
    output: "lib/generated/prisma-pg/client.ts",
    run: () => {
      writePostgresSchema();
      prismaGenerate("prisma/postgresql/schema.prisma");
    },
  },
  {
    name: "server",
    inputs: [...common, "tsconfig.server.json", "server.ts", "lib", "cli"],
    // Through the dist/lib link: missing when `npm install` pruned the package.
    output: "dist/lib/core/context.js",
    run: () => {
      fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
      must(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.server.json"]);
      moveCompiledLibIntoPackage();
    },
  },
  {
    name: "portal",
    inputs: [...common, "next.config.js", "postcss.config.mjs", "app", "components", "portal", "lib", "public", "auth.ts", "auth.config.ts", "proxy.ts"],
    output: ".next/BUILD_ID",
    run: () =>
      must(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      }),
  },
];

/**
 * The portal imports the backend as the package `@wharf/lib`: types from lib/'s
 * sources, code compiled by tsc. next.config.js keeps the package out of Next's
 * bundle, so Next requires it at run time. The compiled files live once, in the
 * package (Turbopack externalises only files under node_modules), and dist/lib
 * is a link to them: server.ts's `./lib/…` and Next's `@wharf/lib/…` resolve to
 * the same real files, so the process holds one instance of lib/ (one context,
 * one set of caches). The package is checked on every build: `npm install`
 * prunes packages it did not install.
 */
const pkgDir = path.join(root, "node_modules", "@wharf", "lib");
function linkBackendPackage() {
  const manifest = JSON.stringify(
    { name: "@wharf/lib", private: true, exports: { "./*": { types: "./src/*.ts", default: "./dist/*.js" } } },
    null,
    2,
  );
  fs.mkdirSync(pkgDir, { recursive: true });
  const pkg = path.join(pkgDir, "package.json");
  if (!fs.existsSync(pkg) || fs.readFileSync(pkg, "utf8") !== manifest) fs.writeFileSync(pkg, manifest);
  const src = path.join(pkgDir, "src");
  if (readLink(src) !== "../../../lib") {
    fs.rmSync(src, { recursive: true, force: true });
    fs.symlinkSync("../../../lib", src);
  }
}

function readLink(p) {
  try {
    return fs.readlinkSync(p);
  } catch {
    return null;
  }
}

/** After tsc: move dist/lib into the package and leave a link in its place. */
function moveCompiledLibIntoPackage() {
  const compiled = path.join(root, "dist", "lib");
  const target = path.join(pkgDir, "dist");
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(compiled, target);
  fs.symlinkSync(path.relative(path.dirname(compiled), target), compiled);
}

function prismaGenerate(schema) {
  must(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "generate", "--schema", schema], {
    // `prisma generate` needs no schema engine; don't let it try to download one.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

let built = 0;
linkBackendPackage();
for (const step of steps) {
  const hash = hashSources(step.inputs);
  if (!force && stamps[step.name] === hash && fs.existsSync(path.join(root, step.output))) continue;
  console.log(`→ Building ${step.name}…`);
  step.run();
  stamps[step.name] = hash;
  save();
  built++;
}
if (!built) console.log("✓ Build is up to date.");
