#!/usr/bin/env node
// `npm start`: install when needed, build when stale, then run the server in this
// very process (so the PID you hold is the server's). Migrations run at server start.
import path from "node:path";
import { createRequire } from "node:module";
import { ensureDependencies, must, root } from "./lib.mjs";

ensureDependencies();
must(process.execPath, [path.join(root, "scripts", "build.mjs")]);
process.env.NODE_ENV ??= "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
createRequire(import.meta.url)(path.join(root, "dist", "server.js"));
