import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { context, slot } from "./context";

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
  const stream = opts.destination ?? (human ? pretty({ colorize: true, sync: true }) : batchedStdout());
  return pino(options, stream);
}

/**
 * stdout written asynchronously in batches of at least 4 KiB, and at least every
 * quarter second: one write per access-log line cost more CPU than the request
 * it described. What is buffered is flushed when the process exits; a crash
 * (SIGKILL) can lose the last quarter second.
 */
function batchedStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 } as Parameters<typeof pino.destination>[0]);
}

const loggerSlot = slot(
  "logger",
  (ctx) => createLogger(ctx.config.WHARF_LOG_LEVEL),
  (l) => new Promise<void>((resolve) => l.flush(() => resolve())),
);

/** The context's logger (built on first use from WHARF_LOG_LEVEL). */
export function logger(): Logger {
  return context().get(loggerSlot);
}
