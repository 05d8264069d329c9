import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { context, slot } from "./context";

export type { Logger };
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * Fields that may carry a secret if some error or caller ever attaches them; they
 * are replaced before a line is written. The access log never puts them there in
 * the first place: this is the second lock.
 */
const REDACT = [
  "authorization",
  "password",
  "token",
  "access_token",
  "refresh_token",
  "*.authorization",
  "*.password",
  "*.token",
  "*.access_token",
  "*.refresh_token",
  "headers.authorization",
  "req.headers.authorization",
];

/**
 * The process's logger: JSON lines (one object per line, for log shippers) unless
 * stdout is a terminal, where a person reads it and gets pretty, coloured lines.
 */
export function createLogger(level: LogLevel, opts: { pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  const options: pino.LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: "[redacted]" },
  };
  const human = opts.pretty ?? process.stdout.isTTY === true;
  // Asynchronous writes keep the hot path off the terminal/pipe; pino flushes
  // what is buffered when the process exits.
  const stream = opts.destination ?? (human ? pretty({ colorize: true, sync: true }) : pino.destination({ dest: 1, sync: false }));
  return pino(options, stream);
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
