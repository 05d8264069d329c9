import { databaseUrlOf } from "./backends";
import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import { createDb } from "../../lib/core/db";
import { ADMIN_PASSWORD, basicAuth, type Wharf } from "./wharf";

/**
 * Data-plane test helpers: registries created straight in the server's database
 * (the CLI is built elsewhere), tokens from the real token endpoint, and small
 * OCI push helpers over real HTTP.
 */
export async function createRegistryRow(w: Pick<Wharf, "dataDir">, name: string): Promise<void> {
  const client = createDb(databaseUrlOf(w.dataDir));
  try {
    await client.registry.create({ data: { name } });
  } finally {
    await client.$disconnect();
  }
}

export async function token(w: Wharf, scopes: string[], user = "admin", password = ADMIN_PASSWORD): Promise<string> {
  const q = new URLSearchParams({ service: w.host });
  for (const s of scopes) q.append("scope", s);
  const r = await fetch(`${w.url}/oauth2/token?${q}`, { headers: { Authorization: basicAuth(user, password) } });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

export const pushPull = (name: string) => `repository:${name}:pull,push,delete`;

export function sha256(data: Buffer | string): string {
  return "sha256:" + crypto.createHash("sha256").update(data).digest("hex");
}

export type Api = {
  fetch: (p: string, init?: RequestInit) => Promise<Response>;
  pushBlob: (name: string, data: Buffer) => Promise<string>;
  pushManifest: (name: string, ref: string, manifest: object | Buffer, mediaType?: string) => Promise<Response>;
  pushImage: (name: string, tag: string, opts?: { layer?: Buffer; extra?: object }) => Promise<{ digest: string; manifest: Buffer; config: string; layer: string }>;
};

/** Fetch against one server with one Bearer token. */
export function api(w: Wharf, bearer: string): Api {
  const f = (p: string, init: RequestInit = {}) =>
    fetch(p.startsWith("http") ? p : `${w.url}${p}`, {
      ...init,
      headers: { Authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) },
    });
  const self: Api = {
    fetch: f,
    async pushBlob(name, data) {
      const digest = sha256(data);
      const r = await f(`/v2/${name}/blobs/uploads/?digest=${digest}`, { method: "POST", body: new Uint8Array(data), headers: { "Content-Type": "application/octet-stream" } });
      if (r.status !== 201) throw new Error(`pushBlob: ${r.status} ${await r.text()}`);
      return digest;
    },
    async pushManifest(name, ref, manifest, mediaType = "application/vnd.oci.image.manifest.v1+json") {
      const body = Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest));
      return f(`/v2/${name}/manifests/${ref}`, { method: "PUT", body: new Uint8Array(body), headers: { "Content-Type": mediaType } });
    },
    async pushImage(name, tag, opts = {}) {
      const layerBytes = opts.layer ?? crypto.randomBytes(1000);
      const configBytes = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, n: crypto.randomUUID() }));
      const layer = await self.pushBlob(name, layerBytes);
      const config = await self.pushBlob(name, configBytes);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config, size: configBytes.length },
          layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layer, size: layerBytes.length }],
          ...opts.extra,
        }),
      );
      const r = await self.pushManifest(name, tag, manifest);
      if (r.status !== 201) throw new Error(`pushImage: ${r.status} ${await r.text()}`);
      return { digest: sha256(manifest), manifest, config, layer };
    },
  };
  return self;
}

/** A raw request whose path is sent exactly as given (fetch would normalise '..'). */
export function rawRequest(
  w: Pick<Wharf, "port">,
  opts: { method: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string; localAddress?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: w.port, localAddress: opts.localAddress, method: opts.method, path: opts.path, headers: opts.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

export async function ociError(r: Response): Promise<string> {
  const body = (await r.json()) as { errors: { code: string }[] };
  return body.errors[0].code;
}
