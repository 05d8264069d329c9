#!/usr/bin/env node
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const entry = path.join(__dirname, "..", "dist", "cli", "index.js");
if (!fs.existsSync(entry)) {
  console.error("wharf: the CLI is not built yet. Run `npm run build` (or `npm start`) in " + path.join(__dirname, ".."));
  process.exit(1);
}
require(entry);
