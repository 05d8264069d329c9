import type { Wharf } from "./wharf";

/** A JSON log line of the server (pino's shape: level, time, msg and fields). */
export type LogLine = { level: number; msg: string; [k: string]: unknown };

/** The server's output parsed as JSON lines; other lines (a framework's plain text) are skipped. */
export function logLines(w: Pick<Wharf, "output">): LogLine[] {
  const out: LogLine[] = [];
  for (const line of w.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // a line cut by the end of the buffer so far
    }
  }
  return out;
}

/** Waits until `pick` finds what it wants in the log (lines are written when responses end, asynchronously). */
export async function waitForLog<T>(w: Pick<Wharf, "output">, pick: (lines: LogLine[]) => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = pick(logLines(w));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no log line for ${what} within ${timeoutMs} ms; output:\n${w.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The access-log line of one request, by the id it was answered with. */
export function accessLine(w: Pick<Wharf, "output">, requestId: string): Promise<LogLine> {
  return waitForLog(w, (lines) => lines.find((l) => l.msg === "request" && l.reqId === requestId), `request ${requestId}`);
}
