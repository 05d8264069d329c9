import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, it } from "node:test";
import { describeDiff, diffSnapshots, isUnchanged, snapshot, type SnapshotDiff } from "./storage-snapshot";
import { startWharf, UNLIMITED_SKUS_ENV, type Wharf } from "./wharf";

/**
 * The hostile-input harness. Each area file is a table of cases; each case is
 * one `it`: optional setup (its own state, not judged), the hostile request,
 * then three verdicts: the exact answer, that storage is exactly as before
 * (rows and files, see storage-snapshot.ts), and any extra check the case has.
 * At the end a file prints "<area>: N cases, N accepted, N 5xx" and, when
 * WHARF_HOSTILE_TALLY_DIR is set (scripts/test.mjs sets it), writes its tally
 * there so the run can print one line for all areas.
 */

/** Limits high enough that hundreds of refused logins and requests are judged on their merits, not throttled. */
export const HOSTILE_ENV: Record<string, string> = {
  WHARF_TOKEN_MAX_FAILURES: "1000000",
  WHARF_LOGIN_MAX_FAILURES: "1000000",
  WHARF_ANONYMOUS_RATE_PER_MINUTE: "1000000",
  ...UNLIMITED_SKUS_ENV,
};

export function startHostileWharf(env: Record<string, string> = {}): Promise<Wharf> {
  return startWharf({ env: { ...HOSTILE_ENV, ...env } });
}

/** Stops the server and removes its data dir (hostile runs leave tens of MiB behind otherwise). */
export async function stopAndClean(w: Wharf | undefined): Promise<void> {
  if (!w) return;
  await w.stop();
  fs.rmSync(w.dataDir, { recursive: true, force: true });
}

/** What a case observed, whatever the front door: an HTTP status, a server action result, a CLI exit. */
export type Observed = {
  /** HTTP status; 0 = no answer at all (the connection closed empty). For the CLI: 200 for exit 0, 400 for exit 1. */
  status: number;
  /** OCI error code, server-action result code or null. */
  code: string | null;
  /** For the failure message. */
  text: string;
};

export type Expected = {
  status: number;
  code?: string | null;
  /** Storage lines (see storage-snapshot.ts) this case is expected to add or remove; anything else is a failure. */
  changes?: { added?: (line: string) => boolean; removed?: (line: string) => boolean };
  /** Wait this long before judging storage (a client that hung up: the server cleans up after the answer). */
  settleMs?: number;
};

export type HostileCase<S> = {
  setup?: () => Promise<S>;
  send: (state: S) => Promise<Observed>;
  want: Expected | ((state: S) => Expected);
  /** More checks after the verdict on the answer and storage (e.g. the data still pulls). */
  verify?: (state: S, got: Observed) => Promise<void>;
};

type Tally = { cases: number; accepted: number; fiveXX: number; failed: string[] };

export type HostileSuite = {
  /** The server the cases run against; set in before(). */
  server: () => Wharf;
  use: (w: Wharf) => void;
  case: <S = undefined>(name: string, c: HostileCase<S>) => void;
};

export function hostileSuite(area: string): HostileSuite {
  const tally: Tally = { cases: 0, accepted: 0, fiveXX: 0, failed: [] };
  let w: Wharf | null = null;
  after(() => {
    const line = `${tally.cases} cases, ${tally.accepted} accepted, ${tally.fiveXX} 5xx`;
    console.log(`hostile ${area}: ${line}`);
    const dir = process.env.WHARF_HOSTILE_TALLY_DIR;
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${area}.json`), JSON.stringify(tally));
    }
  });
  return {
    server: () => {
      if (!w) throw new Error("hostileSuite: no server (call use(w) in before())");
      return w;
    },
    use: (server) => {
      w = server;
    },
    case(name, c) {
      it(name, async () => {
        tally.cases++;
        try {
          const server = w!;
          const state = (c.setup ? await c.setup() : undefined) as Parameters<typeof c.send>[0];
          const before = await snapshot(server.dataDir);
          const got = await c.send(state);
          const want = typeof c.want === "function" ? c.want(state) : c.want;
          // No answer at all counts with the 5xx: an internal failure the client sees as an empty reply.
          if (got.status >= 500 || (got.status === 0 && want.status !== 0)) tally.fiveXX++;
          else if (want.status >= 400 && got.status < 400) tally.accepted++;
          if (want.settleMs) await new Promise((r) => setTimeout(r, want.settleMs));
          const diff = diffSnapshots(before, await settledSnapshot(server.dataDir));
          assert.equal(got.status, want.status, `status: expected ${want.status}${want.code ? ` ${want.code}` : ""}, got ${got.status} ${got.code ?? ""}\n${got.text.slice(0, 600)}`);
          if (want.code !== undefined) assert.equal(got.code, want.code, `code: expected ${want.code}, got ${got.code}\n${got.text.slice(0, 600)}`);
          assertStorage(diff, want);
          if (c.verify) await c.verify(state, got);
        } catch (err) {
          tally.failed.push(name);
          throw err;
        }
      });
    },
  };
}

function assertStorage(diff: SnapshotDiff, want: Expected): void {
  const added = diff.added.filter((l) => !want.changes?.added?.(l));
  const removed = diff.removed.filter((l) => !want.changes?.removed?.(l));
  assert.ok(isUnchanged({ added, removed }), `storage changed:\n${describeDiff({ added, removed })}`);
}

/**
 * Storage once the server is done with the request: a refused body may still be
 * draining when the answer arrives, so wait until two looks, 30 ms apart, agree.
 */
async function settledSnapshot(dataDir: string) {
  let prev = await snapshot(dataDir);
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 30));
    const next = await snapshot(dataDir);
    if (isUnchanged(diffSnapshots(prev, next))) return next;
    prev = next;
  }
  return prev;
}
