import { db } from "../core/db";
import { skuLimits } from "../core/skus";
import { requireActor, type Actor } from "../auth/actor";
import { credentialKey, lastUses } from "../auth/last-used";
import { isRole, type Role } from "../auth/roles";
import { describeScope, scopeChain } from "../auth/scope";
import { loaded, loadRegistry, REGISTRY_INCLUDE, registryScope, type LoadedRegistry } from "./load-registry";

/**
 * "Who can reach this registry, with what, and is any of it stale?" in one answer: every principal (users, groups,
 * service principals, tokens, the admin user, anonymous) with its rights, where each comes from, credential expiry
 * and last use, and the flags a reviewer acts on, each with the page that fixes it.
 */

export const STALE_DAYS = 90;
export const DEFAULT_MAX_OWNERS = 3;
const DAY_MS = 86_400_000;

export type FlagCode = "never-used" | "stale" | "no-expiry" | "disabled-assigned" | "too-many-owners" | "anonymous-pull" | "open-network";
export type ReviewFlag = { code: FlagCode; message: string; fix: { label: string; href: string } };
export type RegistryFlag = ReviewFlag & { registry: string };
export type Right = { what: string; where: string; source: string };
export type ReviewRow = {
  kind: "user" | "servicePrincipal" | "group" | "token" | "admin" | "anonymous";
  name: string;
  detail: string;
  disabled: boolean;
  rights: Right[];
  /** Earliest expiry of the credential's passwords; null when none expires (or it has no password of its own). */
  credentialExpiry: Date | null;
  lastUsedAt: Date | null;
  flags: ReviewFlag[];
};
export type AccessReview = { scope: string; registry: string | null; generatedAt: Date; staleDays: number; maxOwners: number; rows: ReviewRow[]; flags: RegistryFlag[] };

type Assignment = { principalType: string; principalId: string; role: Role; scope: string };
/** A row while it is built: the credential's last-use key, and whether a token has a password that never expires. */
type Draft = ReviewRow & { key: string | null; noExpiry: boolean };

function draft(row: Omit<ReviewRow, "lastUsedAt" | "flags">, key: string | null = null, noExpiry = false): Draft {
  return { ...row, lastUsedAt: null, flags: [], key, noExpiry };
}

/** A registry's review (needs read on it), or the organisation's (every registry; needs read at the organisation). */
export async function accessReview(actor: Actor, input: { registry?: string | null; maxOwners?: number; now?: Date } = {}): Promise<AccessReview> {
  const now = input.now ?? new Date();
  const maxOwners = input.maxOwners ?? DEFAULT_MAX_OWNERS;
  let registries: LoadedRegistry[];
  let assignments: Assignment[];
  if (input.registry) {
    const reg = await loadRegistry(input.registry);
    await requireActor(actor, "read", registryScope(reg));
    registries = [reg];
    const chain = scopeChain({ type: "registry", registry: reg.name, resourceGroup: reg.resourceGroupName });
    assignments = await assignmentsWhere({ OR: [{ scope: { in: chain } }, { scope: { startsWith: `/registries/${reg.name}/repositories/` } }] });
  } else {
    await requireActor(actor, "read", { type: "organisation" });
    registries = (await db().registry.findMany({ orderBy: { name: "asc" }, include: REGISTRY_INCLUDE })).map(loaded);
    assignments = await assignmentsWhere({});
  }
  // Fix links point into the registry's pages; the organisation's review links per registry.
  const base = input.registry ? `/registries/${registries[0].name}` : "";

  const drafts: Draft[] = [...(await principalRows(assignments)), ...(await tokenRows(registries))];
  for (const reg of registries) {
    if (reg.adminUserEnabled) {
      const rights = [{ what: "Pull and push", where: `every repository of ${reg.name}`, source: "Admin user (enabled in Settings)" }];
      drafts.push(draft({ kind: "admin", name: `${reg.name} admin user`, detail: reg.name, disabled: false, rights, credentialExpiry: null }, `admin:${reg.id}`));
    }
    if (reg.anonymousPullEnabled && skuLimits(reg.sku).anonymousPull) {
      const rights = [{ what: "Pull", where: `every repository of ${reg.name}`, source: "Anonymous pull" }];
      drafts.push(draft({ kind: "anonymous", name: "Anyone", detail: reg.name, disabled: false, rights, credentialExpiry: null }));
    }
  }
  const used = await lastUses(drafts.flatMap((d) => (d.key ? [d.key] : [])));
  const rows = drafts.map(({ key, noExpiry, ...row }): ReviewRow => {
    const r = { ...row, lastUsedAt: key ? (used.get(key) ?? null) : null };
    return { ...r, flags: rowFlags(r, noExpiry, now, base) };
  });
  const flags = registries.flatMap((reg) => registryFlags(reg, rows, maxOwners, base || `/registries/${reg.name}`));
  rows.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
  return { scope: input.registry ? `/registries/${registries[0].name}` : "/", registry: input.registry ? registries[0].name : null, generatedAt: now, staleDays: STALE_DAYS, maxOwners, rows, flags };
}

const KIND_ORDER: ReviewRow["kind"][] = ["anonymous", "admin", "user", "group", "servicePrincipal", "token"];

async function assignmentsWhere(where: object): Promise<Assignment[]> {
  const rows = await db().roleAssignment.findMany({ where, select: { principalType: true, principalId: true, role: true, scope: true }, orderBy: { scope: "asc" } });
  return rows.filter((r): r is Assignment => isRole(r.role));
}

function rightOf(a: Assignment, source: string): Right {
  return { what: a.role, where: describeScope(a.scope), source };
}

/** Users, service principals and groups with an assignment; a group's members also get its rights, marked as such. */
async function principalRows(assignments: Assignment[]): Promise<Draft[]> {
  const byPrincipal = new Map<string, Assignment[]>();
  for (const a of assignments) byPrincipal.set(`${a.principalType}:${a.principalId}`, [...(byPrincipal.get(`${a.principalType}:${a.principalId}`) ?? []), a]);
  const groupIds = assignments.filter((a) => a.principalType === "group").map((a) => a.principalId);
  const [groups, members] = await Promise.all([
    db().group.findMany({ where: { id: { in: groupIds } }, select: { id: true, name: true } }),
    db().groupMember.findMany({ where: { groupId: { in: groupIds } } }),
  ]);
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  // Rights through groups, per member.
  const viaGroups = new Map<string, Right[]>();
  for (const m of members) {
    const key = `${m.memberType}:${m.memberId}`;
    const rights = (byPrincipal.get(`group:${m.groupId}`) ?? []).map((a) => rightOf(a, `group ${groupName.get(m.groupId) ?? "?"}`));
    viaGroups.set(key, [...(viaGroups.get(key) ?? []), ...rights]);
    if (!byPrincipal.has(key)) byPrincipal.set(key, []);
  }
  const ids = (type: string) => [...byPrincipal.keys()].filter((k) => k.startsWith(`${type}:`)).map((k) => k.slice(type.length + 1));
  const [users, sps] = await Promise.all([
    db().user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, username: true, disabled: true } }),
    db().servicePrincipal.findMany({ where: { id: { in: ids("servicePrincipal") } }, select: { id: true, displayName: true, clientId: true, disabled: true } }),
  ]);
  const own = (key: string) => (byPrincipal.get(key) ?? []).map((a) => rightOf(a, "direct"));
  const rights = (key: string) => [...own(key), ...(viaGroups.get(key) ?? [])];
  return [
    ...users.map((u) => draft({ kind: "user", name: u.username, detail: "", disabled: u.disabled, rights: rights(`user:${u.id}`), credentialExpiry: null }, credentialKey({ kind: "user", id: u.id, name: u.username }))),
    ...sps.map((s) => draft({ kind: "servicePrincipal", name: s.displayName, detail: s.clientId, disabled: s.disabled, rights: rights(`servicePrincipal:${s.id}`), credentialExpiry: null }, credentialKey({ kind: "servicePrincipal", id: s.id, name: s.displayName }))),
    ...groups.map((g) => {
      const count = members.filter((m) => m.groupId === g.id).length;
      return draft({ kind: "group", name: g.name, detail: `${count} member${count === 1 ? "" : "s"}`, disabled: false, rights: own(`group:${g.id}`), credentialExpiry: null });
    }),
  ];
}

async function tokenRows(registries: LoadedRegistry[]): Promise<Draft[]> {
  const byId = new Map(registries.map((r) => [r.id, r.name]));
  const tokens = await db().registryToken.findMany({ where: { registryId: { in: [...byId.keys()] } }, include: { scopeMap: { select: { name: true, actions: true } } }, orderBy: { name: "asc" } });
  return tokens.map((t) => {
    const actions = JSON.parse(t.scopeMap.actions) as string[];
    const passwords = [t.password1Hash ? t.password1Expiry : undefined, t.password2Hash ? t.password2Expiry : undefined].filter((e) => e !== undefined) as (Date | null)[];
    const expiries = passwords.filter((e): e is Date => e !== null).map((e) => e.getTime());
    const registry = byId.get(t.registryId)!;
    const rights = [{ what: actions.join(", ") || "nothing", where: `registry ${registry}`, source: `scope map ${t.scopeMap.name}` }];
    const credentialExpiry = expiries.length ? new Date(Math.min(...expiries)) : null;
    return draft({ kind: "token", name: t.name, detail: registry, disabled: !t.enabled, rights, credentialExpiry }, `token:${t.id}`, passwords.some((e) => e === null));
  });
}

function rowFlags(r: Omit<ReviewRow, "flags">, noExpiry: boolean, now: Date, base: string): ReviewFlag[] {
  const out: ReviewFlag[] = [];
  const regBase = (name: string) => base || `/registries/${name}`;
  const fixOf = (): { label: string; href: string } => {
    switch (r.kind) {
      case "user":
        return { label: "Users", href: "/users" };
      case "servicePrincipal":
        return { label: "Service principals", href: "/service-principals" };
      case "token":
        return { label: "Tokens", href: `${regBase(r.detail)}/tokens` };
      default:
        return { label: "Settings", href: `${regBase(r.detail)}/settings` };
    }
  };
  const credential = r.kind === "user" || r.kind === "servicePrincipal" || r.kind === "token" || r.kind === "admin";
  if (credential && !r.disabled) {
    if (!r.lastUsedAt) out.push({ code: "never-used", message: "Never used to sign in or get a token. Disable or delete it if nobody needs it.", fix: fixOf() });
    else if (now.getTime() - r.lastUsedAt.getTime() > STALE_DAYS * DAY_MS) {
      out.push({ code: "stale", message: `Unused for ${Math.floor((now.getTime() - r.lastUsedAt.getTime()) / DAY_MS)} days. Disable or delete it if nobody needs it.`, fix: fixOf() });
    }
  }
  if (r.kind === "token" && !r.disabled && noExpiry) {
    out.push({ code: "no-expiry", message: "Has a password without an expiry date. Generate one that expires, then delete this one.", fix: fixOf() });
  }
  if ((r.kind === "user" || r.kind === "servicePrincipal") && r.disabled && r.rights.some((x) => x.source === "direct")) {
    out.push({ code: "disabled-assigned", message: "Disabled but still assigned roles: remove them, or delete the account.", fix: { label: "Access control", href: base ? `${base}/access` : "/access" } });
  }
  return out;
}

function registryFlags(reg: LoadedRegistry, rows: ReviewRow[], maxOwners: number, base: string): RegistryFlag[] {
  const out: ReviewFlag[] = [];
  const inRegistry = (right: Right) => right.where === "the organisation" || right.where === `registry ${reg.name}` || right.where === `resource group ${reg.resourceGroupName}`;
  const owners = rows.filter((r) => (r.kind === "user" || r.kind === "servicePrincipal") && !r.disabled && r.rights.some((x) => x.what === "Owner" && inRegistry(x)));
  if (owners.length > maxOwners) {
    out.push({ code: "too-many-owners", message: `${reg.name} has ${owners.length} Owners (${owners.map((o) => o.name).join(", ")}); more than ${maxOwners}. Give the others Contributor or less.`, fix: { label: "Access control", href: `${base}/access` } });
  }
  if (reg.anonymousPullEnabled && skuLimits(reg.sku).anonymousPull) {
    out.push({ code: "anonymous-pull", message: `Anonymous pull is on: anyone who reaches ${reg.name} can pull every repository without credentials.`, fix: { label: "Settings", href: `${base}/settings` } });
  }
  if (reg.publicNetworkAccess !== "Disabled" && reg.networkDefaultAction === "Allow") {
    out.push({ code: "open-network", message: `Public network access is on for all networks, with no IP rules: ${reg.name} answers any address.`, fix: { label: "Networking", href: `${base}/settings` } });
  }
  return out.map((f) => ({ ...f, registry: reg.name }));
}

/** One flat line per principal: what the CLI's table and csv print and the portal's CSV download holds. */
export type ReviewLine = { type: string; name: string; detail: string; disabled: boolean; rights: string; credentialExpiry: string; lastUsed: string; flags: string };

const KIND_LABELS: Record<ReviewRow["kind"], string> = { user: "User", servicePrincipal: "Service principal", group: "Group", token: "Token", admin: "Admin user", anonymous: "Anonymous" };

/** The registry-wide flags (anonymous pull, open network, too many Owners) come first, as lines of their own. */
export function reviewLines(review: AccessReview): ReviewLine[] {
  const registryLines = review.flags.map((f): ReviewLine => ({ type: "Registry", name: f.registry, detail: f.code, disabled: false, rights: "", credentialExpiry: "", lastUsed: "", flags: f.message }));
  return [...registryLines, ...review.rows.map((r) => ({
    type: KIND_LABELS[r.kind],
    name: r.name,
    detail: r.detail,
    disabled: r.disabled,
    rights: r.rights.map((x) => `${x.what} on ${x.where} (${x.source})`).join("; "),
    credentialExpiry: r.credentialExpiry ? r.credentialExpiry.toISOString() : r.kind === "token" ? "never" : "",
    lastUsed: r.lastUsedAt ? r.lastUsedAt.toISOString() : r.kind === "group" || r.kind === "anonymous" ? "" : "never",
    flags: r.flags.map((f) => f.message).join(" | "),
  }))];
}

export const REVIEW_COLUMNS: { header: string; field: keyof ReviewLine }[] = [
  { header: "Type", field: "type" },
  { header: "Name", field: "name" },
  { header: "Detail", field: "detail" },
  { header: "Disabled", field: "disabled" },
  { header: "Rights", field: "rights" },
  { header: "Credential expires", field: "credentialExpiry" },
  { header: "Last used", field: "lastUsed" },
  { header: "Flags", field: "flags" },
];
