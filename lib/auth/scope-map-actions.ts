import { invalid } from "../core/errors";

/**
 * Scope-map actions, as ACR spells them: "repositories/<repo>/content/read",
 * where <repo> is an exact repository name, "<prefix>/*", or "*" for all.
 */
export const REPO_ACTIONS = ["content/read", "content/write", "content/delete", "metadata/read", "metadata/write"] as const;
export type RepoAction = (typeof REPO_ACTIONS)[number];

export type ScopeMapRule = { repository: string; actions: RepoAction[] };

const REPO_PATTERN_RE =
  /^(?:\*|[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?:\/\*)?)$/;


export function parseAction(action: string): { repository: string; action: RepoAction } {
  const m = /^repositories\/(.+)\/(content\/(?:read|write|delete)|metadata\/(?:read|write))$/.exec(action.trim());
  if (!m) {
    throw invalid(
      `Invalid action ${JSON.stringify(action)}. Use repositories/<repository>/content/read|write|delete or repositories/<repository>/metadata/read|write.`, "actions");
  }
  if (!REPO_PATTERN_RE.test(m[1])) {
    throw invalid(`Invalid repository ${JSON.stringify(m[1])}: use a lower-case repository name, "<prefix>/*", or "*".`, "actions");
  }
  return { repository: m[1], action: m[2] as RepoAction };
}

export function formatAction(repository: string, action: RepoAction): string {
  return `repositories/${repository}/${action}`;
}

/** Validates and normalises a list of actions: sorted, no duplicates. */
export function normaliseActions(actions: string[]): string[] {
  const out = new Set<string>();
  for (const a of actions) {
    const { repository, action } = parseAction(a);
    out.add(formatAction(repository, action));
  }
  return [...out].sort();
}

export function repositoryMatches(pattern: string, repository: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("/*")) return repository.startsWith(pattern.slice(0, -1));
  return pattern === repository;
}

/** The actions a list of scope-map actions grants on one repository. */
export function actionsFor(actions: string[], repository: string): Set<RepoAction> {
  const out = new Set<RepoAction>();
  for (const a of actions) {
    const parsed = parseAction(a);
    if (repositoryMatches(parsed.repository, repository)) out.add(parsed.action);
  }
  return out;
}

const all = (actions: RepoAction[]) => actions.map((a) => formatAction("*", a));

/** ACR's built-in scope maps, present in every registry and read-only. */
export const BUILT_IN_SCOPE_MAPS: Record<string, { description: string; actions: string[] }> = {
  _repositories_pull: { description: "Can pull any repository of the registry", actions: all(["content/read"]) },
  _repositories_pull_metadata_read: {
    description: "Can pull and read metadata of any repository",
    actions: all(["content/read", "metadata/read"]),
  },
  _repositories_push: { description: "Can push to any repository of the registry", actions: all(["content/read", "content/write"]) },
  _repositories_push_metadata_write: {
    description: "Can push and write metadata of any repository",
    actions: all(["content/read", "content/write", "metadata/read", "metadata/write"]),
  },
  _repositories_admin: {
    description: "Can perform all read, write and delete operations on the registry",
    actions: all(["content/read", "content/write", "content/delete", "metadata/read", "metadata/write"]),
  },
};
