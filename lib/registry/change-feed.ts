import pg from "pg";
import { context, slot, type Context } from "../core/context";
import { logger } from "../core/logging";
import { unrefConnection } from "../core/pg-pool";

/**
 * On PostgreSQL, tells this node when another node (or the CLI) changed rows its caches hold, so the caches can
 * keep answers until then instead of for a fixed time. Triggers (prisma/migrations-postgresql/*_change_feed) NOTIFY after each change
 * commits and bump a sequence per topic; one connection per node LISTENs and, every 500 ms, reads the sequences.
 *
 * `changeVersion(topic)` is a number that moves whenever cached answers of that topic may be stale — like SQLite's
 * PRAGMA data_version for hot-reads.ts: a cache keeps an answer with the version read *before* reading it, and uses
 * it only while the version is the same. It is null while the feed cannot vouch for anything (not connected yet,
 * connection lost): then caches fall back to reading the database (or to their own expiry). Staleness bound:
 * * connected: a change is seen when its notification arrives (after commit, milliseconds);
 * * a notification lost while the connection lives: the sequence poll sees the change within 500 ms (and moves the
 *   version once more a poll later, as a poll can see the bump just before its transaction commits);
 * * connection lost or hanging: no poll has answered for 1.5 s, so the version is null until the connection is
 *   back; a reconnect moves it. So no answer is served more than 2 s stale.
 */
export type ChangeTopic = "reads" | "credentials";
const TOPICS: ChangeTopic[] = ["reads", "credentials"];
const POLL_MS = 500;
const HEALTHY_MS = 1500;

class ChangeFeed {
  private versions = { reads: 0, credentials: 0 };
  private sequences: Record<ChangeTopic, string> | null = null;
  private again = new Set<ChangeTopic>();
  private healthyUntil = 0;
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private warned = false;

  constructor(private readonly url: string) {
    void this.connect();
  }

  version(topic: ChangeTopic): number | null {
    return Date.now() < this.healthyUntil ? this.versions[topic] : null;
  }

  private bump(topic: ChangeTopic): void {
    this.versions[topic]++;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, query_timeout: HEALTHY_MS, connectionTimeoutMillis: 2000 });
    client.on("notification", (msg) => {
      if (TOPICS.includes(msg.payload as ChangeTopic)) this.bump(msg.payload as ChangeTopic);
    });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      unrefConnection(client);
      await client.query("LISTEN wharf_changes");
      for (const t of TOPICS) this.bump(t); // whatever happened while not listening
      this.sequences = null;
      await this.poll();
      this.timer = setInterval(() => void this.poll(), POLL_MS);
      this.timer.unref();
    } catch (err) {
      if (!this.warned) logger().warn({ err: (err as Error).message }, "change feed unavailable: caches re-read the database until it works (is the PostgreSQL migration applied?)");
      this.warned = true;
      this.lost(client);
    }
  }

  private async poll(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const { rows } = await client.query<Record<ChangeTopic, string>>(
        "SELECT (SELECT last_value FROM wharf_shared.reads_version)::text AS reads, (SELECT last_value FROM wharf_shared.credentials_version)::text AS credentials",
      );
      const seen = rows[0];
      for (const t of TOPICS) {
        if (this.again.delete(t)) this.bump(t);
        if (this.sequences && this.sequences[t] !== seen[t]) {
          this.bump(t);
          this.again.add(t);
        }
      }
      this.sequences = seen;
      if (client === this.client) this.healthyUntil = Date.now() + HEALTHY_MS;
      this.warned = false;
    } catch {
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    if (client !== this.client) return;
    this.client = null;
    this.healthyUntil = 0;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    client.end().catch(() => undefined);
    if (!this.closed) setTimeout(() => void this.connect(), 1000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

const feedSlot = slot<ChangeFeed | null>(
  "changeFeed",
  (ctx) => (ctx.config.databaseKind === "postgresql" ? new ChangeFeed(ctx.config.databaseUrl) : null),
  (feed) => feed?.close(),
);

/** The topic's change version, or null on SQLite (one node: caches use their own checks) and while the feed is down. */
export function changeVersion(topic: ChangeTopic, ctx: Context = context()): number | null {
  return ctx.get(feedSlot)?.version(topic) ?? null;
}
