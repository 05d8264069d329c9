import type { Blob, Built } from "./content";

/**
 * The demo seed's registry client: the same /oauth2/token and /v2 calls docker and skopeo make, against the
 * running server, so every push and pull goes through the data plane (its checks, counters, activity, webhooks).
 */
export class DemoClient {
  private tokens = new Map<string, string>();

  constructor(
    private readonly url: string,
    private readonly credentials: { username: string; password: string } | null,
  ) {}

  /** A token for one repository (anonymous when the client has no credentials), as `docker login` then a pull gets. */
  async token(repository: string, actions: string): Promise<string | null> {
    const key = `${repository}:${actions}`;
    const known = this.tokens.get(key);
    if (known !== undefined) return known;
    const q = new URLSearchParams({ service: new URL(this.url).host, scope: `repository:${repository}:${actions}` });
    const headers: Record<string, string> = {};
    if (this.credentials) headers.Authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    const r = await fetch(`${this.url}/oauth2/token?${q}`, { headers });
    if (r.status !== 200) throw new Error(`token for ${repository} (${this.credentials?.username ?? "anonymous"}): ${r.status} ${await r.text()}`);
    const body = (await r.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token ?? null;
    this.tokens.set(key, token ?? "");
    return token;
  }

  private async call(repository: string, actions: string, path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.token(repository, actions);
    const headers = { ...(init.headers as Record<string, string>), ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    return fetch(`${this.url}/v2/${repository}/${path}`, { ...init, headers });
  }

  private async pushBlob(repository: string, blob: Blob): Promise<void> {
    const head = await this.call(repository, "pull,push", `blobs/${blob.digest}`, { method: "HEAD" });
    if (head.status === 200) return;
    const r = await this.call(repository, "pull,push", `blobs/uploads/?digest=${blob.digest}`, {
      method: "POST",
      body: new Uint8Array(blob.bytes),
      headers: { "Content-Type": "application/octet-stream" },
    });
    if (r.status !== 201) throw new Error(`pushing blob ${blob.digest} to ${repository}: ${r.status} ${await r.text()}`);
  }

  /** Pushes an image, index (children first) or artifact, by tag or by digest when `tag` is null. */
  async push(repository: string, built: Built, tag: string | null): Promise<string> {
    for (const child of built.children ?? []) await this.push(repository, child, null);
    for (const blob of built.blobs) await this.pushBlob(repository, blob);
    const r = await this.call(repository, "pull,push", `manifests/${tag ?? built.digest}`, {
      method: "PUT",
      body: new Uint8Array(built.bytes),
      headers: { "Content-Type": built.mediaType },
    });
    if (r.status !== 201) throw new Error(`pushing ${repository}:${tag ?? built.digest}: ${r.status} ${await r.text()}`);
    return built.digest;
  }

  /** A whole pull as a client makes it: the manifest, then its config and layers. */
  async pull(repository: string, reference: string): Promise<void> {
    const accept = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json";
    let r = await this.call(repository, "pull", `manifests/${reference}`, { headers: { Accept: accept } });
    if (r.status !== 200) throw new Error(`pulling ${repository}:${reference}: ${r.status} ${await r.text()}`);
    let manifest = (await r.json()) as { manifests?: { digest: string }[]; config?: { digest: string }; layers?: { digest: string }[] };
    if (manifest.manifests?.length) {
      r = await this.call(repository, "pull", `manifests/${manifest.manifests[0].digest}`, { headers: { Accept: accept } });
      if (r.status !== 200) throw new Error(`pulling ${repository}@${manifest.manifests[0].digest}: ${r.status}`);
      manifest = (await r.json()) as typeof manifest;
    }
    for (const d of [manifest.config, ...(manifest.layers ?? [])]) {
      if (!d) continue;
      const b = await this.call(repository, "pull", `blobs/${d.digest}`);
      if (b.status !== 200) throw new Error(`pulling blob ${d.digest} of ${repository}: ${b.status}`);
      await b.arrayBuffer();
    }
  }

  /** Whether a tag exists (and which digest it names): the seed's test for "already done". */
  async digestOf(repository: string, tag: string): Promise<string | null> {
    const r = await this.call(repository, "pull", `manifests/${tag}`, {
      method: "HEAD",
      headers: { Accept: "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json" },
    });
    return r.status === 200 ? r.headers.get("docker-content-digest") : null;
  }

  /** A token request with a wrong password: what a mistyped `docker login` leaves in the activity log. */
  async failedLogin(username: string, repository: string): Promise<void> {
    const q = new URLSearchParams({ service: new URL(this.url).host, scope: `repository:${repository}:pull` });
    const r = await fetch(`${this.url}/oauth2/token?${q}`, { headers: { Authorization: `Basic ${Buffer.from(`${username}:not-the-password`).toString("base64")}` } });
    await r.arrayBuffer();
    if (r.status !== 401) throw new Error(`a wrong password for ${username} was answered ${r.status}, not 401`);
  }
}
