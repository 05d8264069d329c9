import { config } from "../core/context";
import { invalid } from "../core/errors";
import { isValidRepositoryName, isValidTag } from "../core/names";
import { REGISTRY_NAME_PATTERN } from "../core/registry-rules";
import type { UpstreamReference } from "../registry/upstream";
import { loginServerOf } from "./login-server";

/** A target of an import: a repository of the registry, with a tag (none: by digest only). */
export type ImportTarget = { repository: string; tag: string | null };

/** `--image REPO[:TAG]`; a tag-less target keeps the source's tag, or none when the source is a digest. */
export function parseImportTarget(input: string, sourceTag: string | null): ImportTarget {
  const text = String(input ?? "").trim();
  const colon = text.lastIndexOf(":");
  const repository = colon > 0 ? text.slice(0, colon) : text;
  const tag = colon > 0 ? text.slice(colon + 1) : sourceTag;
  if (text.includes("@")) throw invalid(`--image '${text}': the target is REPOSITORY:TAG; the digest always stays the source's.`, "image");
  if (!isValidRepositoryName(repository)) {
    throw invalid(`--image '${text}': '${repository}' is not a repository name; use lower-case path components like team/app:v1.`, "image");
  }
  if (tag !== null && !isValidTag(tag)) throw invalid(`--image '${text}': '${tag}' is not a tag (up to 128 letters, digits, '_', '.', '-').`, "image");
  return { repository, tag };
}

/**
 * A source that is a registry of this same deployment (its login server), as `{ registry, repository }`: such an
 * import links blobs instead of copying them. Null for any other host.
 */
export function localSourceOf(src: UpstreamReference): { registry: string; repository: string } | null {
  const c = config();
  if (c.WHARF_REGISTRY_DOMAIN) {
    const suffix = `.${c.WHARF_REGISTRY_DOMAIN}`;
    if (!src.host.endsWith(suffix)) return null;
    const registry = src.host.slice(0, -suffix.length);
    return REGISTRY_NAME_PATTERN.test(registry) ? { registry, repository: src.repository } : null;
  }
  const hosts = new Set([loginServerOf("x").loginServer.toLowerCase(), `localhost:${c.PORT}`, `127.0.0.1:${c.PORT}`]);
  if (!hosts.has(src.host)) return null;
  const slash = src.repository.indexOf("/");
  const registry = src.repository.slice(0, slash);
  if (slash < 0 || !REGISTRY_NAME_PATTERN.test(registry)) return null;
  return { registry, repository: src.repository.slice(slash + 1) };
}
