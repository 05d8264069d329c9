/**
 * The target an import gets when none is given, as the import service (and az acr import) chooses it: the source's
 * repository and tag ("latest" when the source names neither tag nor digest; none for a digest-only source).
 * Shown in the dialog so the caller sees it; the service decides again from the source it parses.
 */
export function defaultTarget(source: string): string {
  let rest = source.trim();
  if (!rest || /\s/.test(rest)) return "";
  const at = rest.indexOf("@");
  const byDigest = at >= 0;
  if (byDigest) rest = rest.slice(0, at);
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  const dockerHub = !hasHost || ["docker.io", "index.docker.io", "registry-1.docker.io"].includes(first.toLowerCase());
  if (dockerHub && repository && !repository.includes("/")) repository = `library/${repository}`;
  if (!repository) return "";
  const t = tag ?? (byDigest ? null : "latest");
  return t ? `${repository}:${t}` : repository;
}
