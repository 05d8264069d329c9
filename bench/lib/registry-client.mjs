// A small /v2 client for the benchmarks' node helpers: bearer tokens from Wharf's
// /oauth2/token (HTTP Basic as admin, as `docker login` would), and the requests a
// push, a delete and a pull make. Node's fetch keeps connections alive.
import crypto from "node:crypto";

export const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
export const LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

export const sha256 = (bytes) => `sha256:${crypto.createHash("sha256").update(bytes).digest("hex")}`;

/** `--name value` pairs from argv. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith("--")) out[argv[i].slice(2)] = argv[i + 1];
  return out;
}

/**
 * A registry client: `base` is http://host:port, `registry` the Wharf registry name (the path prefix). With
 * `sharedToken` (one token whose scopes cover every repository used) no login happens in the helper.
 */
export function client(base, registry, password, sharedToken) {
  const service = new URL(base).host;
  const tokens = new Map();

  /** One token per repository (as docker asks), cached for the helper's life (the server's TTL is an hour). */
  async function token(repo) {
    if (sharedToken) return sharedToken;
    if (tokens.has(repo)) return tokens.get(repo);
    const scope = `repository:${registry}/${repo}:pull,push,delete,metadata_read`;
    const url = `${base}/oauth2/token?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(scope)}`;
    const res = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`admin:${password}`).toString("base64")}` } });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 200 || !body.token) throw new Error(`token for ${repo}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    tokens.set(repo, body.token);
    return body.token;
  }

  async function call(repo, method, path, { body, headers = {} } = {}) {
    const res = await fetch(`${base}/v2/${registry}/${repo}/${path}`, {
      method,
      body,
      headers: { Authorization: `Bearer ${await token(repo)}`, ...headers },
    });
    const bytes = method === "HEAD" ? Buffer.alloc(0) : Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes };
  }

  /** A blob as docker pushes a small one: HEAD (absent), POST a session, PUT the bytes with ?digest=. */
  async function pushBlob(repo, bytes) {
    const digest = sha256(bytes);
    const head = await call(repo, "HEAD", `blobs/${digest}`);
    if (head.status === 200) return digest;
    const start = await call(repo, "POST", "blobs/uploads/");
    if (start.status !== 202) throw failure("POST upload", start);
    const location = new URL(start.headers.get("location"), base);
    location.searchParams.set("digest", digest);
    const res = await fetch(location, {
      method: "PUT",
      body: bytes,
      headers: { Authorization: `Bearer ${await token(repo)}`, "Content-Type": "application/octet-stream" },
    });
    if (res.status !== 201) throw failure("PUT blob", { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) });
    await res.arrayBuffer().catch(() => {});
    return digest;
  }

  /** A small complete image (one random layer, its own config) under `tag`; resolves to the manifest's digest. */
  async function pushImage(repo, tag, layerSize = 1024) {
    const layer = crypto.randomBytes(layerSize);
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", config: { Env: [`TAG=${tag}`] }, rootfs: { type: "layers", diff_ids: [sha256(layer)] } }));
    const layerDigest = await pushBlob(repo, layer);
    const configDigest = await pushBlob(repo, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST_TYPE,
        config: { mediaType: CONFIG_TYPE, digest: configDigest, size: config.length },
        layers: [{ mediaType: LAYER_TYPE, digest: layerDigest, size: layer.length }],
      }),
    );
    const res = await call(repo, "PUT", `manifests/${tag}`, { body: manifest, headers: { "Content-Type": MANIFEST_TYPE } });
    if (res.status !== 201) throw failure("PUT manifest", res);
    return sha256(manifest);
  }

  /** Every tag of a repository, following the Link header. */
  async function tags(repo) {
    const all = [];
    let path = "tags/list?n=1000";
    for (;;) {
      const res = await call(repo, "GET", path);
      if (res.status === 404) return all;
      if (res.status !== 200) throw failure(`tags of ${repo}`, res);
      all.push(...(JSON.parse(res.bytes.toString()).tags ?? []));
      const link = res.headers.get("link");
      const next = link && /<([^>]+)>/.exec(link)?.[1];
      if (!next) return all;
      path = next.replace(/^.*\/tags\/list/, "tags/list");
    }
  }

  return { token, call, pushBlob, pushImage, tags };
}

/** An Error carrying the status and the OCI error code of a failed answer. */
export function failure(what, res) {
  let code = String(res.status);
  try {
    code += ` ${JSON.parse(res.bytes.toString()).errors?.[0]?.code ?? ""}`.trimEnd();
  } catch {
    /* not JSON */
  }
  const err = new Error(`${what}: ${code}`);
  err.code = code;
  return err;
}

/** Runs `work(item)` over `items` with `concurrency` at once; resolves when all are done. */
export async function pool(items, concurrency, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
