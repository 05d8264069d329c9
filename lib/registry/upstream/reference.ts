import { parseDigest } from "../../core/digest";
import { invalid } from "../../core/errors";
import { isValidRepositoryName, isValidTag } from "../../core/names";

/** Where an upstream image lives: its registry host (host[:port]), repository, and tag and/or digest. */
export type UpstreamReference = { host: string; repository: string; tag?: string; digest?: string };

export const DOCKER_HUB = "registry-1.docker.io";
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(?::\d{1,5})?$/;

/** Docker Hub's names, as docker resolves them: docker.io → registry-1.docker.io, `nginx` → `library/nginx`. */
export function canonicalHost(host: string): string {
  const h = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? DOCKER_HUB : h;
}

/**
 * Parses `HOST/REPO:TAG`, `HOST/REPO@sha256:…` (or both, `HOST/REPO:TAG@sha256:…`). Like docker, a first
 * component without a dot, colon or `localhost` is no host: the reference is on Docker Hub. Neither tag nor
 * digest given leaves both unset (callers choose their default, usually `latest`).
 */
export function parseUpstreamReference(input: string): UpstreamReference {
  const text = (input ?? "").trim();
  const example = "use HOST/REPOSITORY:TAG or HOST/REPOSITORY@sha256:<digest>, e.g. docker.io/library/nginx:1.27 or myregistry.example.com/team/app@sha256:…";
  if (!text) throw invalid(`The source image is empty; ${example}.`, "source");
  if (/\s/.test(text) || text.includes("://")) throw invalid(`'${text}' is not an image reference (no scheme, no spaces); ${example}.`, "source");

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    try {
      parseDigest(digest);
    } catch (err) {
      throw invalid(`'${text}': ${(err as Error).message}`, "source");
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) {
      throw invalid(`'${text}' has an invalid tag '${tag}': tags are up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.`, "source");
    }
  }

  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("["));
  let host = hasHost ? first.toLowerCase() : DOCKER_HUB;
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  if (hasHost && !HOST_RE.test(host)) throw invalid(`'${first}' in '${text}' is not a registry host; ${example}.`, "source");
  host = canonicalHost(host);
  if (!repository) throw invalid(`'${text}' names no repository; ${example}.`, "source");
  if (host === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  if (!isValidRepositoryName(repository)) {
    throw invalid(
      `'${repository}' in '${text}' is not a repository name: lower-case letters and digits separated by '.', '_', '__' or '-', with '/' between components.`,
      "source",
    );
  }
  return { host, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `host/repository:tag@digest` as a person reads it. */
export function formatUpstreamReference(r: UpstreamReference): string {
  return `${r.host}/${r.repository}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}
