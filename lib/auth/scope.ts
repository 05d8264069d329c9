import { invalid } from "../core/errors";
import { REGISTRY_NAME_PATTERN } from "../core/registry-rules";

/**
 * Where a role assignment applies. Canonical strings:
 *   "/"                                      the organisation (everything)
 *   "/resourceGroups/<rg>"                   every registry in a resource group
 *   "/registries/<registry>"                 one registry
 *   "/registries/<registry>/repositories/<repo>"  one repository
 * Assignments are inherited downwards.
 */
export type Scope =
  | { type: "organisation" }
  | { type: "resourceGroup"; resourceGroup: string }
  | { type: "registry"; registry: string; resourceGroup?: string | null }
  | { type: "repository"; registry: string; repository: string; resourceGroup?: string | null };


const RG_RE = /^[A-Za-z0-9._()-]{1,90}$/;

const REPO_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function formatScope(s: Scope): string {
  switch (s.type) {
    case "organisation":
      return "/";
    case "resourceGroup":
      return `/resourceGroups/${s.resourceGroup}`;
    case "registry":
      return `/registries/${s.registry}`;
    case "repository":
      return `/registries/${s.registry}/repositories/${s.repository}`;
  }
}

export function parseScope(input: string): Scope {
  const raw = input.trim();
  if (raw === "/" || raw === "") return { type: "organisation" };
  const parts = raw.replace(/\/+$/, "").split("/");
  if (parts[0] !== "") throw invalid(`Scope must start with '/': ${JSON.stringify(input)}`, "scope");
  const [, kind, name, sub, ...rest] = parts;
  if (kind?.toLowerCase() === "resourcegroups" && name && parts.length === 3) {
    if (!RG_RE.test(name)) throw invalid(`Invalid resource group name '${name}'.`, "scope");
    return { type: "resourceGroup", resourceGroup: name };
  }
  if (kind?.toLowerCase() === "registries" && name) {
    const registry = name.toLowerCase();
    if (!REGISTRY_NAME_PATTERN.test(registry)) throw invalid(`Invalid registry name '${name}': 5–50 letters and digits.`, "scope");
    if (parts.length === 3) return { type: "registry", registry };
    if (sub?.toLowerCase() === "repositories" && rest.length) {
      const repository = rest.join("/");
      if (!REPO_RE.test(repository)) throw invalid(`Invalid repository name '${repository}'.`, "scope");
      return { type: "repository", registry, repository };
    }
  }
  throw invalid(
    `Unrecognised scope ${JSON.stringify(input)}. Use "/", "/resourceGroups/<group>", "/registries/<registry>" or "/registries/<registry>/repositories/<repository>".`, "scope");
}

/**
 * The scopes whose assignments apply at `s`, from the broadest down to `s` itself.
 * A registry's resource group must be known for resource-group inheritance.
 */
export function scopeChain(s: Scope): string[] {
  const chain = ["/"];
  if (s.type === "organisation") return chain;
  if (s.type === "resourceGroup") return [...chain, formatScope(s)];
  if (s.resourceGroup) chain.push(`/resourceGroups/${s.resourceGroup}`);
  chain.push(`/registries/${s.registry}`);
  if (s.type === "repository") chain.push(formatScope(s));
  return chain;
}

export function describeScope(scope: string): string {
  const s = parseScope(scope);
  switch (s.type) {
    case "organisation":
      return "the organisation";
    case "resourceGroup":
      return `resource group ${s.resourceGroup}`;
    case "registry":
      return `registry ${s.registry}`;
    case "repository":
      return `repository ${s.registry}/${s.repository}`;
  }
}
