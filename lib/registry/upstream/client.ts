import crypto from "node:crypto";
import type { Readable } from "node:stream";
import { config } from "../../core/context";
import { isDigest, parseDigest } from "../../core/digest";
import { MANIFEST_TYPES, OCI_INDEX } from "../media-types";
import {
  basicHeader,
  bearerToken,
  forgetToken,
  parseChallenge,
  rateLimited,
  rememberChallenge,
  rememberedChallenge,
  upstreamWords,
  type Challenge,
  type UpstreamCredentials,
} from "./auth";
import { UpstreamError } from "./errors";
import { baseUrl, readBody, send, type UpstreamResponse } from "./http";

export type { UpstreamCredentials } from "./auth";
export type UpstreamManifest = { digest: string; mediaType: string; bytes: Buffer };
export type UpstreamBlob = { size: number; body: Readable };
export type ReferrersIndex = { schemaVersion: 2; mediaType: string; manifests: { mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string> }[] };

const MANIFEST_LIMIT = 4 << 20;
const ACCEPT_MANIFESTS = MANIFEST_TYPES.join(", ");

/**
 * Reads one upstream registry over the OCI distribution API, as a pulling client does: anonymous, Basic or
 * Docker Bearer, whichever the upstream's challenge asks for. Never writes upstream. `signal` on each call lets
 * a job's shutdown stop it.
 */
export class UpstreamClient {
  readonly host: string;
  private readonly credentials: UpstreamCredentials | null;
  private readonly timeoutMs: number;

  constructor(opts: { host: string; credentials?: UpstreamCredentials | null; timeoutMs?: number }) {
    this.host = opts.host.toLowerCase();
    this.credentials = opts.credentials ?? null;
    this.timeoutMs = opts.timeoutMs ?? config().WHARF_UPSTREAM_TIMEOUT_SECONDS * 1000;
  }

  /** Reachability and credentials: what `docker login` checks. Says which authentication the upstream uses. */
  async ping(signal?: AbortSignal): Promise<{ auth: "anonymous" | "basic" | "bearer" }> {
    const res = await this.request("/v2/", { scope: "", signal, what: "the registry's API root" });
    res.body.resume();
    if (res.status !== 200) throw await this.unexpected(res, "the registry's API root");
    const c = rememberedChallenge(this.host);
    return { auth: !res.authorized ? "anonymous" : (c?.scheme ?? "anonymous") };
  }

  async getManifest(repo: string, ref: string, signal?: AbortSignal): Promise<UpstreamManifest> {
    const what = `manifest ${repo}:${ref}`;
    const res = await this.request(`/v2/${repo}/manifests/${ref}`, { scope: pull(repo), accept: ACCEPT_MANIFESTS, signal, what });
    if (res.status === 404) throw this.notFound(res, what);
    if (res.status !== 200) throw await this.unexpected(res, what);
    const bytes = await readBody(res, MANIFEST_LIMIT, this.host);
    const digest = this.verifiedDigest(bytes, ref, res.headers["docker-content-digest"] as string | undefined, what);
    return { digest, mediaType: mediaTypeOf(res.headers["content-type"], bytes), bytes };
  }

  /** The manifest's digest, type and size without its bytes; null when the upstream has no such manifest. */
  async headManifest(repo: string, ref: string, signal?: AbortSignal): Promise<{ digest: string; mediaType: string; size: number } | null> {
    const what = `manifest ${repo}:${ref}`;
    const res = await this.request(`/v2/${repo}/manifests/${ref}`, { method: "HEAD", scope: pull(repo), accept: ACCEPT_MANIFESTS, signal, what });
    res.body.resume();
    if (res.status === 404) return null;
    if (res.status !== 200) throw await this.unexpected(res, what);
    const digest = res.headers["docker-content-digest"] as string | undefined;
    const type = String(res.headers["content-type"] ?? "").split(";")[0].trim();
    if (digest && isDigest(digest) && type) return { digest, mediaType: type, size: Number(res.headers["content-length"] ?? 0) };
    // Some registries leave the digest out of HEAD: read the manifest once to know it.
    const m = await this.getManifest(repo, ref, signal);
    return { digest: m.digest, mediaType: m.mediaType, size: m.bytes.length };
  }

  /** The blob's bytes as they arrive (size -1 when the upstream sent no length); the caller verifies the digest while storing. */
  async getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<UpstreamBlob> {
    const what = `blob ${digest} of ${repo}`;
    const res = await this.request(`/v2/${repo}/blobs/${digest}`, { scope: pull(repo), signal, what });
    if (res.status === 404) throw this.notFound(res, what);
    if (res.status !== 200) throw await this.unexpected(res, what);
    const len = res.headers["content-length"];
    return { size: len === undefined ? -1 : Number(len), body: res.body };
  }

  /**
   * The OCI referrers of `digest` (every page), or null when the upstream supports neither the referrers API nor
   * its fallback tag (`sha256-<hex>`).
   */
  async getReferrers(repo: string, digest: string, signal?: AbortSignal): Promise<ReferrersIndex | null> {
    const what = `referrers of ${repo}@${digest}`;
    const manifests: ReferrersIndex["manifests"] = [];
    let path: string | null = `/v2/${repo}/referrers/${digest}`;
    for (let page = 0; path && page < 100; page++) {
      const res = await this.request(path, { scope: pull(repo), accept: OCI_INDEX, signal, what });
      if (res.status === 404 || res.status === 405 || (res.status === 400 && page === 0)) {
        res.body.resume();
        if (page > 0) break;
        return this.referrersFromTag(repo, digest, signal);
      }
      if (res.status !== 200) throw await this.unexpected(res, what);
      const body = await readBody(res, MANIFEST_LIMIT, this.host);
      try {
        manifests.push(...((JSON.parse(body.toString("utf8")) as ReferrersIndex).manifests ?? []));
      } catch {
        throw new UpstreamError("bad_answer", this.host, `${this.host} answered the ${what} with something that is not an OCI index.`, res.status);
      }
      const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(res.headers.link ?? ""));
      path = link ? new URL(link[1], `${baseUrl(this.host)}/`).pathname + new URL(link[1], `${baseUrl(this.host)}/`).search : null;
    }
    return { schemaVersion: 2, mediaType: OCI_INDEX, manifests };
  }

  private async referrersFromTag(repo: string, digest: string, signal?: AbortSignal): Promise<ReferrersIndex | null> {
    const tag = digest.replace(":", "-");
    try {
      const m = await this.getManifest(repo, tag, signal);
      const idx = JSON.parse(m.bytes.toString("utf8")) as ReferrersIndex;
      return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: idx.manifests ?? [] };
    } catch (err) {
      if (err instanceof UpstreamError && err.failure === "not_found") return null;
      throw err;
    }
  }

  /**
   * One request with the authentication the host asked for last time; on a 401, the challenge is read and the
   * request made once more with fresh credentials. A second 401 means the credentials are refused.
   */
  private async request(
    path: string,
    opts: { method?: "GET" | "HEAD"; scope: string; accept?: string; signal?: AbortSignal; what: string },
  ): Promise<UpstreamResponse & { authorized: boolean }> {
    const url = new URL(path, baseUrl(this.host));
    let challenge = rememberedChallenge(this.host);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { "user-agent": "wharf-upstream/1" };
      if (opts.accept) headers.accept = opts.accept;
      const authorization = challenge ? await this.authorization(challenge, opts.scope, opts.signal) : null;
      if (authorization) headers.authorization = authorization;
      const res = await send(url, { method: opts.method, headers, timeoutMs: this.timeoutMs, signal: opts.signal }, this.host);
      if (res.status === 429) {
        res.body.resume();
        throw rateLimited(this.host, res.headers, res.status);
      }
      if (res.status !== 401) return Object.assign(res, { authorized: !!authorization });
      const body = opts.method === "HEAD" ? Buffer.alloc(0) : await readBody(res, 1 << 20, this.host);
      const asked = parseChallenge(res.headers["www-authenticate"]);
      if (challenge?.scheme === "bearer") forgetToken(this.host, challenge, opts.scope, this.credentials);
      if (!asked) throw new UpstreamError("bad_answer", this.host, `${this.host} answered 401 for ${opts.what} without saying how to authenticate.`, 401, upstreamWords(body));
      rememberChallenge(this.host, asked);
      if (asked.scheme === "basic" && !this.credentials) {
        throw new UpstreamError("unauthorized", this.host, `${this.host} needs a username and password for ${opts.what}; give credentials and try again.`, 401, upstreamWords(body));
      }
      if (attempt >= 1 || (authorization && asked.scheme === "basic")) throw this.refused(opts.what, upstreamWords(body));
      challenge = asked;
    }
  }

  private async authorization(c: Challenge, scope: string, signal?: AbortSignal): Promise<string | null> {
    if (c.scheme === "basic") return this.credentials ? basicHeader(this.credentials) : null;
    return `Bearer ${await bearerToken(this.host, c, scope, this.credentials, this.timeoutMs, signal)}`;
  }

  private refused(what: string, words: string | null): UpstreamError {
    return this.credentials
      ? new UpstreamError(
          "unauthorized",
          this.host,
          `${this.host} refused the username '${this.credentials.username}' for ${what}: the password may be wrong, or the account may not pull this repository. Check both and try again.`,
          401,
          words,
        )
      : new UpstreamError("unauthorized", this.host, `${this.host} does not allow anonymous pulls of ${what}; give a username and password and try again.`, 401, words);
  }

  private notFound(res: UpstreamResponse, what: string): UpstreamError {
    res.body.resume();
    return new UpstreamError("not_found", this.host, `${this.host} has no ${what}; check the repository, tag or digest.`, 404);
  }

  private async unexpected(res: UpstreamResponse, what: string): Promise<UpstreamError> {
    const words = await readBody(res, 1 << 20, this.host).then(upstreamWords, () => null);
    if (res.status === 403) {
      return new UpstreamError("denied", this.host, `${this.host} denied access to ${what}${words ? ` (${words})` : ""}; the account may lack pull rights.`, 403, words);
    }
    const hint = res.status >= 500 ? "the upstream is failing; try again later" : "the upstream answered in a way Wharf does not understand";
    return new UpstreamError("bad_answer", this.host, `${this.host} answered ${res.status} for ${what}${words ? ` (${words})` : ""}: ${hint}.`, res.status, words);
  }

  /** The digest of exactly these bytes, checked against the one asked for and the one the upstream claimed. */
  private verifiedDigest(bytes: Buffer, ref: string, claimed: string | undefined, what: string): string {
    const expected = isDigest(ref) ? ref : claimed && isDigest(claimed) ? claimed : null;
    const algorithm = expected ? parseDigest(expected).algorithm : "sha256";
    const actual = `${algorithm}:${crypto.createHash(algorithm).update(bytes).digest("hex")}`;
    if (expected && expected !== actual) {
      throw new UpstreamError("bad_answer", this.host, `${this.host} sent a ${what} whose bytes hash to ${actual}, not ${expected}; the content was damaged or substituted, nothing was stored.`, 200);
    }
    return actual;
  }
}

function pull(repo: string): string {
  return `repository:${repo}:pull`;
}

/** The answer's Content-Type, or the manifest's own mediaType when the upstream sent a generic one. */
function mediaTypeOf(contentType: string | undefined, bytes: Buffer): string {
  const t = String(contentType ?? "").split(";")[0].trim();
  if ((MANIFEST_TYPES as readonly string[]).includes(t)) return t;
  try {
    const m = JSON.parse(bytes.toString("utf8")) as { mediaType?: string };
    if (m.mediaType) return m.mediaType;
  } catch {
    /* not JSON: the caller's manifest validation says so */
  }
  return t || "application/octet-stream";
}
