#!/usr/bin/env node
// Builds what is missing or older than its sources: the Prisma client, the compiled
// server + CLI (dist/), and the Next.js portal (.next/). `--force` rebuilds everything.
import fs from "node:fs";
import path from "node:path";
import { hashSources, must, root } from "./lib.mjs";

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
    run: () =>
      must(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "generate"], {
        // `prisma generate` needs no schema engine; don't let it try to download one.
        env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      }),
  },
  {
    name: "server",
    inputs: [...common, "tsconfig.server.json", "server.ts", "lib", "cli"],
    output: "dist/server.js",
    run: () => {
      fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
      must(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.server.json"]);
    },
  },
  {
    name: "portal",
    inputs: [...common, "next.config.ts", "postcss.config.mjs", "app", "components", "lib", "public", "auth.ts", "auth.config.ts", "proxy.ts"],
    output: ".next/BUILD_ID",
    run: () =>
      must(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      }),
  },
];

let built = 0;
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
