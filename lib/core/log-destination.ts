import fs from "node:fs";

export type LogDestination = {
  write(line: string): boolean;
  /** Writes what is buffered now (pino calls this as `flush`). */
  flush(cb?: (err?: Error) => void): void;
  /** Flushes and stops the timer and the exit hook. */
  close(): void;
};

const BATCH_CHARS = 16 * 1024;
const MAX_DELAY_MS = 100;
const MAX_BUFFERED_CHARS = 8 * 1024 * 1024;

/**
 * JSON log lines to a file descriptor (stdout), batched: written when 16 KiB
 * have gathered or 100 ms after the first waiting line, with one synchronous
 * write. One write per access-log line cost more CPU than the manifest GET it
 * described; a batch costs about a microsecond a line, and nothing is ever in
 * flight, so what is buffered is written at exit. A descriptor that takes no
 * more (a stalled non-blocking pipe) keeps lines waiting up to 8 MiB; beyond
 * that they are dropped, and the drop is reported once output flows again.
 */
export function batchedDestination(fd = 1): LogDestination {
  let parts: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  let dropped = 0;

  const flushSync = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!parts.length) return;
    let data = Buffer.from(parts.join(""));
    parts = [];
    size = 0;
    while (data.length) {
      let n: number;
      try {
        n = fs.writeSync(fd, data);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") return; // output is gone: nothing to do
        n = 0;
      }
      if (n === 0) {
        // Full for now: keep the rest for the next attempt.
        parts = [data.toString()];
        size = data.length;
        schedule();
        return;
      }
      data = data.subarray(n);
    }
    if (dropped) {
      const note = `{"level":40,"time":${Date.now()},"msg":"${dropped} log lines were dropped: standard output was not taking them"}\n`;
      dropped = 0;
      write(note);
    }
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(flushSync, MAX_DELAY_MS);
    timer.unref();
  };
  const write = (line: string) => {
    if (size > MAX_BUFFERED_CHARS) {
      dropped++;
      return true;
    }
    parts.push(line);
    size += line.length;
    if (size >= BATCH_CHARS) flushSync();
    else schedule();
    return true;
  };
  process.on("exit", flushSync);
  return {
    write,
    flush(cb) {
      flushSync();
      cb?.();
    },
    close() {
      flushSync();
      process.off("exit", flushSync);
    },
  };
}
