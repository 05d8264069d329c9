import { db } from "../core/db";
import { DEFAULT_PAGE, type Page } from "./tag-service";

/**
 * Repository names a caller may list, in lexical order of the client-visible
 * name. Path-style names are `<registry>/<repo>`; host-style callers see one
 * registry's bare names. Only repositories holding at least one manifest count;
 * list-locked ones (listEnabled=false) are hidden.
 */
export async function listCatalog(opts: {
  registryId?: string;
  n?: number;
  last?: string;
  /** Which repositories the caller may see; all when omitted. */
  filter?: (registry: string, repository: string) => boolean;
}): Promise<Page<string>> {
  const take = opts.n ?? DEFAULT_PAGE;
  if (take === 0) return { items: [], next: null };
  const items: string[] = [];
  let last = opts.last ?? "";
  // Page through the DB until enough visible names are found: a filter may hide some.
  for (;;) {
    const batch = await page(opts.registryId, last, take + 1);
    for (const name of batch) {
      last = name;
      if (opts.filter) {
        const slash = name.indexOf("/");
        const [registry, repository] = opts.registryId ? ["", name] : [name.slice(0, slash), name.slice(slash + 1)];
        if (!opts.filter(registry, repository)) continue;
      }
      items.push(name);
      if (items.length > take) return { items: items.slice(0, take), next: items[take - 1] };
    }
    if (batch.length < take + 1) return { items, next: null };
  }
}

async function page(registryId: string | undefined, last: string, limit: number): Promise<string[]> {
  if (registryId) {
    const rows = await db().repository.findMany({
      where: { registryId, listEnabled: true, manifests: { some: {} }, ...(last ? { name: { gt: last } } : {}) },
      orderBy: { name: "asc" },
      select: { name: true },
      take: limit,
    });
    return rows.map((r) => r.name);
  }
  let after: { registry: string; repo: string } | null = null;
  if (last) {
    const i = last.indexOf("/");
    after = i < 0 ? { registry: last, repo: "\uffff" } : { registry: last.slice(0, i), repo: last.slice(i + 1) };
  }
  const rows = await db().repository.findMany({
    where: {
      manifests: { some: {} },
      listEnabled: true,
      ...(after
        ? { OR: [{ registry: { name: { gt: after.registry } } }, { registry: { name: after.registry }, name: { gt: after.repo } }] }
        : {}),
    },
    orderBy: [{ registry: { name: "asc" } }, { name: "asc" }],
    select: { name: true, registry: { select: { name: true } } },
    take: limit,
  });
  return rows.map((r) => `${r.registry.name}/${r.name}`);
}
