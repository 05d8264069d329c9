import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SignJWT, importJWK, type JWK } from "jose";
import type { Observed } from "./hostile";
import { rawHttp, type RawAnswer, type RawRequest } from "./raw-http";
import type { Wharf } from "./wharf";

/** /v2 and /oauth2 requests for hostile cases, sent byte for byte as written (see raw-http.ts). */

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

export function observe(a: RawAnswer): Observed {
  return { status: a.status, code: a.code, text: `${a.status} ${a.body}` };
}

export type Send = Omit<RawRequest, "method" | "path"> & { bearer?: string | null };

/** One request with an optional Bearer token; the answer as the harness judges it. */
export async function v2(w: Wharf, method: string, p: string, opts: Send = {}): Promise<Observed> {
  return observe(await v2Raw(w, method, p, opts));
}

export async function v2Raw(w: Wharf, method: string, p: string, opts: Send = {}): Promise<RawAnswer> {
  const { bearer, headers, ...rest } = opts;
  const pairs: [string, string][] = Array.isArray(headers) ? [...headers] : Object.entries(headers ?? {});
  if (bearer) pairs.push(["Authorization", `Bearer ${bearer}`]);
  return rawHttp(w.port, { method, path: p, headers: pairs, ...rest });
}

export function sha256(data: Buffer | string): string {
  return "sha256:" + crypto.createHash("sha256").update(data).digest("hex");
}

export function sha512(data: Buffer | string): string {
  return "sha512:" + crypto.createHash("sha512").update(data).digest("hex");
}

/** A blob pushed monolithically; throws unless the registry took it. */
export async function pushBlob(w: Wharf, bearer: string, name: string, data: Buffer, digest = sha256(data)): Promise<string> {
  const r = await v2Raw(w, "POST", `/v2/${name}/blobs/uploads/?digest=${digest}`, { bearer, body: data });
  if (r.status !== 201) throw new Error(`pushBlob ${name}: ${r.status} ${r.body}`);
  return digest;
}

export async function pushManifest(w: Wharf, bearer: string, name: string, ref: string, body: Buffer | object, type = OCI_MANIFEST): Promise<string> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const r = await v2Raw(w, "PUT", `/v2/${name}/manifests/${ref}`, { bearer, body: bytes, headers: { "Content-Type": type } });
  if (r.status !== 201) throw new Error(`pushManifest ${name}:${ref}: ${r.status} ${r.body}`);
  return sha256(bytes);
}

export type Image = { config: { digest: string; size: number }; layer: { digest: string; size: number }; manifest: Buffer; digest: string };

/** An image of one config and one layer, pushed and tagged. */
export async function pushImage(w: Wharf, bearer: string, name: string, tag: string): Promise<Image> {
  const layerBytes = crypto.randomBytes(512);
  const configBytes = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, id: crypto.randomUUID() }));
  const layer = { digest: await pushBlob(w, bearer, name, layerBytes), size: layerBytes.length };
  const config = { digest: await pushBlob(w, bearer, name, configBytes), size: configBytes.length };
  const manifest = Buffer.from(JSON.stringify(imageManifest(config, [layer])));
  const digest = await pushManifest(w, bearer, name, tag, manifest);
  return { config, layer, manifest, digest };
}

export function imageManifest(config: { digest: string; size: number }, layers: { digest: string; size: number }[], extra: object = {}) {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: OCI_LAYER, digest: l.digest, size: l.size })),
    ...extra,
  };
}

/** Opens an upload session; returns its path (as the Location header gives it) and uuid. */
export async function openSession(w: Wharf, bearer: string, name: string, firstChunk?: Buffer): Promise<{ path: string; uuid: string }> {
  const r = await v2Raw(w, "POST", `/v2/${name}/blobs/uploads/`, { bearer });
  if (r.status !== 202) throw new Error(`openSession ${name}: ${r.status} ${r.body}`);
  const uuid = r.headers["docker-upload-uuid"];
  const p = `/v2/${name}/blobs/uploads/${uuid}`;
  if (firstChunk) {
    const c = await v2Raw(w, "PATCH", p, { bearer, body: firstChunk, headers: { "Content-Range": `0-${firstChunk.length - 1}`, "Content-Type": "application/octet-stream" } });
    if (c.status !== 202) throw new Error(`first chunk: ${c.status} ${c.body}`);
  }
  return { path: p, uuid };
}

/** The server's own ES256 key, read from its data dir, so cases can sign tokens whose only fault is a claim. */
export async function serverSigner(w: Wharf) {
  const jwk = JSON.parse(fs.readFileSync(path.join(w.dataDir, "keys", "token-signing-key.json"), "utf8")) as JWK;
  const { d: _d, ...pub } = jwk;
  const privateKey = await importJWK(jwk, "ES256");
  return {
    publicJwk: pub,
    /** Signs `claims` as the server would, with overrides; `null` removes a claim. */
    async sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const body: Record<string, unknown> = { iss: "wharf", sub: "user:admin", aud: w.host, iat: now, nbf: now - 5, exp: now + 300, jti: crypto.randomUUID(), access: [], ...claims };
      for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
      return new SignJWT(body).setProtectedHeader({ alg: "ES256", typ: "JWT", ...header }).sign(privateKey);
    },
  };
}

export const access = (name: string, actions: string[]) => [{ type: "repository", name, actions }];
