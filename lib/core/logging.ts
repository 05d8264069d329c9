import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { context, slot, type Context } from "./context";
import { batchedDestination } from "./log-destination";

export type { Logger };
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * The process's logger: JSON lines (one object per line, for log shippers) unless
 * stdout is a terminal, where a person reads it and gets pretty, coloured lines.
 */
export function createLogger(level: LogLevel, opts: { pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  // No `redact` and epoch-millisecond times: both cost on every line (measured on
  // the manifest GET hot path). Secrets are kept out by never putting a header,
  // query or body into a line (lib/http/access-log.ts), not by scrubbing afterwards.
  const options: pino.LoggerOptions = { level };
  const human = opts.pretty ?? process.stdout.isTTY === true;
  const stream = opts.destination ?? (human ? pretty({ colorize: true, sync: true }) : batchedDestination(1));
  return pino(options, stream);
}

const loggerSlot = slot(
  "logger",
  (ctx) => {
    const human = process.stdout.isTTY === true;
    const destination = human ? null : batchedDestination(1);
    return { logger: createLogger(ctx.config.WHARF_LOG_LEVEL, { pretty: human, destination: destination ?? undefined }), destination };
  },
  (held) => held.destination?.close(),
);

/** The context's logger (built on first use from WHARF_LOG_LEVEL). */
export function logger(): Logger {
  return context().get(loggerSlot).logger;
}

/** For the CLI: log lines go to stderr, so stdout holds only the command's result (`-o json` stays parseable). */
export function logToStderr(ctx: Context): void {
  const destination = batchedDestination(2);
  ctx.set(loggerSlot, { logger: createLogger(ctx.config.WHARF_LOG_LEVEL, { pretty: false, destination }), destination });
}
