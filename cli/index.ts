import { helpText, parse, UsageError } from "./args";
import { ROOT } from "./commands";
import { ensureMigrated } from "./migrations";
import { render } from "./output";
import { ConfigError } from "../lib/core/config";
import { startContext } from "../lib/core/context";
import { WharfError } from "../lib/core/errors";

/**
 * `wharf`: manage registries from the shell, on the same data dir and database as
 * the server (WHARF_DATA_DIR). JSON on stdout, errors on stderr with exit code 1.
 */
async function main(argv: string[]): Promise<number> {
  const parsed = parse(ROOT, argv);
  if (parsed.kind === "help") {
    process.stdout.write(helpText(parsed.node, parsed.path));
    return 0;
  }
  // A fresh data dir must work as well as the server's.
  await ensureMigrated(startContext().config.databaseUrl);
  const result = await parsed.command.run({ args: parsed.args, path: parsed.path.join(" ") });
  process.stdout.write(
    render(result, String(parsed.args.output), { query: parsed.args.query as string | undefined, table: parsed.command.table }),
  );
  return 0;
}

main(process.argv.slice(2))
  .catch((err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof WharfError) {
      process.stderr.write(`ERROR: ${err.message}\n`);
    } else {
      process.stderr.write(`ERROR: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
      if (process.env.WHARF_DEBUG) console.error(err);
    }
    return 1;
  })
  // Prisma's WASM engine keeps a timer alive; leave once the output is written.
  .then((code) => process.stdout.write("", () => process.exit(code)));
