import { db } from "../core/db";
import type { Repo } from "./repository-resolver";

export type Page<T> = { items: T[]; next: string | null };

/** Tags of a repository that are not list-locked, in lexical order, paged with `n` and `last` as the spec describes. */
export interface TagService {
  list(repo: Repo, opts: { n?: number; last?: string }): Promise<Page<string>>;
}

export const DEFAULT_PAGE = 1000;

export const tagService: TagService = {
  async list(repo, { n, last }) {
    const take = n ?? DEFAULT_PAGE;
    if (take === 0) return { items: [], next: null };
    const rows = await db().tag.findMany({
      // List-locked tags are hidden (still pullable by name).
      where: { repositoryId: repo.id, listEnabled: true, ...(last ? { name: { gt: last } } : {}) },
      orderBy: { name: "asc" },
      select: { name: true },
      take: take + 1,
    });
    const items = rows.slice(0, take).map((r) => r.name);
    return { items, next: rows.length > take ? items[items.length - 1] : null };
  },
};
