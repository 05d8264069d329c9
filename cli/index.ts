import { ROOT } from "./commands";
import { ensureMigrated } from "./migrations";
import { buildProgram, runProgram } from "./program";
import { startContext } from "../lib/core/context";
import { logToStderr } from "../lib/core/logging";

/**
 * `wharf`: manage registries from the shell, on the same data dir and database as
 * the server (WHARF_DATA_DIR), through the same services as the portal, acting as
 * the local operator. Results on stdout (-o json|jsonc|tsv|table|none, --query
 * JMESPath), `ERROR: …` on stderr with exit 1, or 2 for a command typed wrongly.
 */
const io = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
  // Only a command that runs needs the database: help and usage errors do not touch it.
  prepare: async () => {
    const ctx = startContext();
    logToStderr(ctx);
    // A fresh data dir must work as well as the server's.
    await ensureMigrated(ctx.config.databaseUrl);
  },
};

runProgram(buildProgram(ROOT, io), process.argv.slice(2), io)
  // Prisma's WASM engine keeps a timer alive; leave once the output is written.
  .then((code) => process.stdout.write("", () => process.exit(code)));
