import { invalid } from "../core/errors";

/** Keyset pagination shared by the repository and tag lists: opaque cursors, bounded page sizes. */

export type Page<T> = { items: T[]; nextCursor: string | null; total: number };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageSize(limit: unknown): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw invalid(`Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, "limit");
  return n;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined | null, check: (v: unknown) => v is T): T | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (check(v)) return v;
  } catch {
    /* fall through */
  }
  throw invalid("The page link is not valid any more; go back to the first page.", "cursor");
}

/** Every item, page by page (for clients such as the CLI that print whole lists), up to `max` items. */
export async function allPages<T>(fetch: (cursor: string | null) => Promise<Page<T>>, max = Infinity): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetch(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out.slice(0, max);
}
