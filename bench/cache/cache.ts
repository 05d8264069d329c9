/**
 * Pull-through cache benchmark: pulls through a Wharf cache rule beside pulls straight from the upstream
 * (Debian's docker-registry with htpasswd), in one run on one machine. Run by hand after `node scripts/build.mjs`:
 *
 *   node --import tsx bench/cache/cache.ts                    # 3 layers of 32 MiB, 50 pullers
 *   BENCH_LAYERS=2 BENCH_LAYER_MIB=8 BENCH_PULLERS=20 node --import tsx bench/cache/cache.ts
 *
 * Prints, for each path: first pull (cold), second pull, and a burst of BENCH_PULLERS concurrent pulls of a fresh
 * image, with the upstream's blob GETs counted from its own access log.
 */
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { pushTestImage, startDockerRegistry, type DockerRegistry } from "../../test/helpers/upstreams";
import { ADMIN_PASSWORD, basicAuth, runCli, startWharf, type Wharf } from "../../test/helpers/wharf";
import { createRegistryRow, token } from "../../test/helpers/registry-fixtures";

const LAYERS = Number(process.env.BENCH_LAYERS ?? 3);
const LAYER_MIB = Number(process.env.BENCH_LAYER_MIB ?? 32);
const PULLERS = Number(process.env.BENCH_PULLERS ?? 50);
const USER = { username: "bench", password: "bench-Pass-1" };
const ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

type Puller = (path: string) => Promise<Response>;

/** Manifest, then every blob (read to the end, digest checked): what a client's pull costs. */
async function pull(get: Puller, repo: string, ref: string): Promise<void> {
  const m = await get(`/v2/${repo}/manifests/${ref}`);
  if (m.status !== 200) throw new Error(`manifest ${repo}:${ref}: ${m.status} ${await m.text()}`);
  const doc = JSON.parse(await m.text());
  for (const d of [doc.config, ...doc.layers]) {
    const b = await get(`/v2/${repo}/blobs/${d.digest}`);
    const h = crypto.createHash("sha256");
    for await (const chunk of b.body as unknown as AsyncIterable<Uint8Array>) h.update(chunk);
    if (`sha256:${h.digest("hex")}` !== d.digest) throw new Error(`blob ${d.digest}: wrong bytes`);
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const sizeMiB = LAYERS * LAYER_MIB;
  const reg: DockerRegistry = await startDockerRegistry({ htpasswd: USER, port: Number(process.env.BENCH_UPSTREAM_PORT ?? 5660) });
  const w: Wharf = await startWharf({
    port: Number(process.env.BENCH_WHARF_PORT ?? 5661),
    env: { WHARF_INSECURE_REGISTRIES: reg.host, WHARF_GC_INTERVAL_SECONDS: "0", WHARF_MAX_CONNECTIONS_PER_ADDRESS: String(PULLERS * 4), LOG_LEVEL: "warn" },
  });
  try {
    await createRegistryRow(w, "benchcache");
    const cli = async (args: string[]) => {
      const r = await runCli(w, args);
      if (r.code !== 0) throw new Error(r.stderr);
    };
    await cli(["credential-set", "create", "-r", "benchcache", "-n", "bench-creds", "-l", reg.host, "-u", USER.username, "-p", USER.password]);
    await cli(["cache", "create", "-r", "benchcache", "-n", "bench-rule", "-s", `${reg.host}/lib/*`, "-t", "hub/*", "-c", "bench-creds"]);
    const upstream: Puller = (p) => fetch(`${reg.url}${p}`, { headers: { Authorization: basicAuth(USER.username, USER.password), Accept: ACCEPT } });
    const bearer = await token(w, ["repository:benchcache/hub/one:pull", "repository:benchcache/hub/burst:pull"], "admin", ADMIN_PASSWORD);
    const cache: Puller = (p) => fetch(`${w.url}${p.replace("/v2/", "/v2/benchcache/").replace("/lib/", "/hub/")}`, { headers: { Authorization: `Bearer ${bearer}`, Accept: ACCEPT } });

    const opts = { ...USER, layers: LAYERS, layerSize: LAYER_MIB << 20 };
    await pushTestImage(reg.host, "lib/one", "v1", opts);
    const rows: [string, string, string][] = [];
    const rate = (s: number) => `${s.toFixed(2)} s (${(sizeMiB / s).toFixed(0)} MiB/s)`;
    rows.push(["first pull (cold)", rate(await timed(() => pull(upstream, "lib/one", "v1"))), rate(await timed(() => pull(cache, "lib/one", "v1")))]);
    rows.push(["second pull", rate(await timed(() => pull(upstream, "lib/one", "v1"))), rate(await timed(() => pull(cache, "lib/one", "v1")))]);

    const burst = await pushTestImage(reg.host, "lib/burst", "v1", opts);
    const blobGets = () => burst.blobs.reduce((n, d) => n + reg.requestsFor(new RegExp(`^/v2/lib/burst/blobs/${d}$`), { method: "GET", status: 200 }), 0);
    // The cache first (the image is cold for it), then straight; the access log is read once it has settled.
    const settle = () => new Promise((r) => setTimeout(r, 1000));
    const cached = await timed(() => Promise.all(Array.from({ length: PULLERS }, () => pull(cache, "lib/burst", "v1"))));
    await settle();
    const cacheGets = blobGets();
    const direct = await timed(() => Promise.all(Array.from({ length: PULLERS }, () => pull(upstream, "lib/burst", "v1"))));
    await settle();
    const directGets = blobGets() - cacheGets;
    rows.push([`${PULLERS} concurrent pulls (wall)`, `${direct.toFixed(2)} s`, `${cached.toFixed(2)} s`]);
    rows.push(["  upstream blob GETs", String(directGets), String(cacheGets)]);

    const cpu = execFileSync("nproc").toString().trim();
    console.log(`\nPull-through cache, ${LAYERS} layers × ${LAYER_MIB} MiB (${sizeMiB} MiB), ${cpu} cores, load ${execFileSync("cut", ["-d", " ", "-f1-3", "/proc/loadavg"]).toString().trim()}`);
    console.log(`${"".padEnd(28)}${"straight from upstream".padEnd(28)}through the Wharf cache`);
    for (const [name, a, b] of rows) console.log(`${name.padEnd(28)}${a.padEnd(28)}${b}`);
  } finally {
    await w.stop();
    await reg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
