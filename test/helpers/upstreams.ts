import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { freePort } from "./wharf";
import { tarOneFile } from "./oci-layout";

/**
 * Real upstream registries for import and cache tests: Debian's docker-registry (CNCF Distribution 2.8) on a
 * free port with an optional htpasswd user, and content pushed into any registry (that one, or a second Wharf
 * with token auth) over plain HTTP with whatever auth its challenge asks for.
 */

export type DockerRegistry = {
  host: string; // 127.0.0.1:PORT
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
  /** Start again on the same port and storage (after stop): an upstream that comes back. */
  start: () => Promise<void>;
  log: () => string;
  /** Requests whose path matches, counted from the registry's own access log (optionally one method / status). */
  requestsFor: (pathRegex: RegExp, opts?: { method?: string; status?: number }) => number;
};

/** bcrypt via the system's crypt(3) (libxcrypt), which docker-registry's htpasswd reader accepts. */
function bcrypt(password: string): string {
  return execFileSync("python3", ["-W", "ignore", "-c", "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1<<5)))", password], {
    encoding: "utf8",
  }).trim();
}

export async function startDockerRegistry(opts: { htpasswd?: { username: string; password: string }; port?: number } = {}): Promise<DockerRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upstream-docker-registry-"));
  // stop() keeps the storage (start() brings the same upstream back); the directory goes when the test process ends.
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const port = opts.port ?? (await freePort());
  const auth = opts.htpasswd
    ? `auth:\n  htpasswd:\n    realm: upstream-test\n    path: ${path.join(dir, "htpasswd")}\n`
    : "";
  if (opts.htpasswd) fs.writeFileSync(path.join(dir, "htpasswd"), `${opts.htpasswd.username}:${bcrypt(opts.htpasswd.password)}\n`);
  fs.writeFileSync(
    path.join(dir, "config.yml"),
    `version: 0.1\nlog:\n  level: info\n  formatter: text\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, "data")}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  let out = "";
  let proc: ReturnType<typeof spawn> | null = null;
  let exited: Promise<void> = Promise.resolve();
  const host = `127.0.0.1:${port}`;
  const start = async () => {
    const p = spawn("/usr/bin/docker-registry", ["serve", path.join(dir, "config.yml")], { stdio: ["ignore", "pipe", "pipe"] });
    proc = p;
    p.stdout!.on("data", (d) => (out += d));
    p.stderr!.on("data", (d) => (out += d));
    exited = new Promise((resolve) => p.once("exit", () => resolve()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (p.exitCode !== null) throw new Error(`docker-registry exited during start-up:\n${out}`);
      const up = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0);
      if (up === 200 || up === 401) return;
      if (Date.now() > deadline) throw new Error(`docker-registry did not start within 20 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    host,
    url: `http://${host}`,
    dataDir: dir,
    start,
    stop: async () => {
      if (proc && proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
    log: () => out,
    requestsFor: (re, o = {}) =>
      out
        .split("\n")
        .map((l) => /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /.exec(l))
        .filter((m): m is RegExpExecArray => !!m && re.test(m[2]) && (!o.method || m[1] === o.method) && (!o.status || Number(m[3]) === o.status)).length,
  };
}

// ---- Pushing content into an upstream ----

export type Target = { host: string; username?: string; password?: string };
export type Pushed = { digest: string; mediaType: string; size: number; bytes: Buffer; blobs: string[]; children: Pushed[] };

const sha = (b: Buffer) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");

/** A pusher speaking plain HTTP with Basic or Docker Bearer auth, whichever the target's challenge asks for. */
class Pusher {
  private auth: string | null = null;
  constructor(private readonly t: Target, private readonly repo: string) {}

  private async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `http://${this.t.host}${pathOrUrl}`;
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      if (this.auth) headers.set("authorization", this.auth);
      const r = await fetch(url, { ...init, headers, redirect: "manual" });
      if (r.status !== 401 || attempt > 0) return r;
      await r.arrayBuffer();
      const challenge = r.headers.get("www-authenticate") ?? "";
      const basic = "Basic " + Buffer.from(`${this.t.username}:${this.t.password}`).toString("base64");
      if (/^basic/i.test(challenge)) this.auth = basic;
      else {
        const p = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        const tokenUrl = `${p.realm}?service=${encodeURIComponent(p.service ?? "")}&scope=${encodeURIComponent(`repository:${this.repo}:pull,push`)}`;
        const tr = await fetch(tokenUrl, { headers: this.t.username ? { authorization: basic } : {} });
        if (tr.status !== 200) throw new Error(`token for ${this.repo} at ${this.t.host}: ${tr.status} ${await tr.text()}`);
        const body = (await tr.json()) as { token?: string; access_token?: string };
        this.auth = `Bearer ${body.token ?? body.access_token}`;
      }
    }
  }

  async blob(data: Buffer): Promise<string> {
    const digest = sha(data);
    const start = await this.fetch(`/v2/${this.repo}/blobs/uploads/`, { method: "POST" });
    if (start.status !== 202) throw new Error(`start upload at ${this.t.host}/${this.repo}: ${start.status} ${await start.text()}`);
    const loc = new URL(start.headers.get("location")!, `http://${this.t.host}`);
    loc.searchParams.set("digest", digest);
    const put = await this.fetch(loc.toString(), { method: "PUT", body: new Uint8Array(data), headers: { "content-type": "application/octet-stream" } });
    if (put.status !== 201) throw new Error(`put blob at ${this.t.host}/${this.repo}: ${put.status} ${await put.text()}`);
    return digest;
  }

  async manifest(ref: string, bytes: Buffer, mediaType: string): Promise<void> {
    const r = await this.fetch(`/v2/${this.repo}/manifests/${ref}`, { method: "PUT", body: new Uint8Array(bytes), headers: { "content-type": mediaType } });
    if (r.status !== 201) throw new Error(`put manifest ${this.repo}:${ref} at ${this.t.host}: ${r.status} ${await r.text()}`);
  }
}

export type PushOptions = Omit<Target, "host"> & {
  kind?: "image" | "index" | "artifact";
  /** Makes content unique per call (different digests). */
  seed?: string;
  /** Image layers: how many, and how many random bytes each (random bytes do not compress). */
  layers?: number;
  layerSize?: number;
  /** Index platforms (default linux/amd64 and linux/arm64). */
  platforms?: string[];
  artifactType?: string;
  /** For a referrer: the manifest this artifact refers to. */
  subject?: { digest: string; size: number; mediaType: string };
};

/**
 * Pushes a single image, a multi-platform index (each child pushed by digest first), or an OCI artifact
 * (Helm-chart-like: custom artifactType, empty config, one layer; with `subject` it is a referrer) into
 * `host/repo`, tagged `tag` (null: by digest only). Returns every digest pushed.
 */
export async function pushTestImage(host: string, repo: string, tag: string | null, opts: PushOptions = {}): Promise<Pushed> {
  const pusher = new Pusher({ host, username: opts.username, password: opts.password }, repo);
  const seed = opts.seed ?? crypto.randomUUID();
  const kind = opts.kind ?? "image";
  let pushed: Pushed;
  if (kind === "index") {
    const children: Pushed[] = [];
    for (const platform of opts.platforms ?? ["linux/amd64", "linux/arm64"]) children.push(await pushImage(pusher, null, { ...opts, seed: `${seed}-${platform}` }, platform));
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: children.map((c, i) => {
          const [osName, architecture] = (opts.platforms ?? ["linux/amd64", "linux/arm64"])[i].split("/");
          return { mediaType: c.mediaType, digest: c.digest, size: c.size, platform: { os: osName, architecture } };
        }),
      }),
    );
    pushed = { digest: sha(bytes), mediaType: "application/vnd.oci.image.index.v1+json", size: bytes.length, bytes, blobs: children.flatMap((c) => c.blobs), children };
  } else if (kind === "artifact") {
    const empty = Buffer.from("{}");
    const chart = zlib.gzipSync(tarOneFile("chart/Chart.yaml", Buffer.from(`apiVersion: v2\nname: demo\nversion: 0.1.0\n# ${seed}\n`)));
    const layer = await pusher.blob(chart);
    const config = await pusher.blob(empty);
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        artifactType: opts.artifactType ?? "application/vnd.example.chart.v1",
        config: { mediaType: "application/vnd.oci.empty.v1+json", digest: config, size: empty.length },
        layers: [{ mediaType: "application/vnd.example.chart.content.v1.tar+gzip", digest: layer, size: chart.length }],
        ...(opts.subject ? { subject: opts.subject } : {}),
        annotations: { "org.opencontainers.image.title": `demo-${seed}` },
      }),
    );
    pushed = { digest: sha(bytes), mediaType: "application/vnd.oci.image.manifest.v1+json", size: bytes.length, bytes, blobs: [config, layer], children: [] };
  } else {
    return pushImage(pusher, tag, { ...opts, seed }, "linux/amd64");
  }
  await pusher.manifest(tag ?? pushed.digest, pushed.bytes, pushed.mediaType);
  return pushed;
}

async function pushImage(pusher: Pusher, tag: string | null, opts: PushOptions & { seed: string }, platform: string): Promise<Pushed> {
  const [osName, architecture] = platform.split("/");
  const layers: { digest: string; size: number; diffId: string }[] = [];
  for (let i = 0; i < (opts.layers ?? 1); i++) {
    const content = opts.layerSize ? crypto.randomBytes(opts.layerSize) : Buffer.from(`layer ${i} of ${opts.seed}\n`);
    const tar = tarOneFile(`file-${i}.bin`, content);
    const gz = zlib.gzipSync(tar, { level: 1 });
    layers.push({ digest: await pusher.blob(gz), size: gz.length, diffId: sha(tar) });
  }
  const config = Buffer.from(JSON.stringify({ architecture, os: osName, config: { Cmd: ["/hello"] }, rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) } }));
  const configDigest = await pusher.blob(config);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
      layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l.digest, size: l.size })),
    }),
  );
  const digest = sha(bytes);
  await pusher.manifest(tag ?? digest, bytes, "application/vnd.oci.image.manifest.v1+json");
  return { digest, mediaType: "application/vnd.oci.image.manifest.v1+json", size: bytes.length, bytes, blobs: [configDigest, ...layers.map((l) => l.digest)], children: [] };
}
