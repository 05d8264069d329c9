import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { runCli, startWharf, type Wharf } from "../helpers/wharf";
import { api, createRegistryRow, token } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { CREDS, cli } from "../helpers/policy-fixtures";
import { pushTestImage, startDockerRegistry, type DockerRegistry, type Pushed } from "../helpers/upstreams";

/**
 * The pull-through cache against a real upstream (Debian's docker-registry with htpasswd), pulled with skopeo and
 * plain HTTP. Upstream requests are counted from the upstream's own access log.
 */

const USER = { username: "cacheuser", password: "cache-Pass-1" };
const ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";
const sha = (b: Buffer) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let reg: DockerRegistry;
let w: Wharf;
let tmp: string;
let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];

async function bearer(repo: string, actions = "pull"): Promise<ReturnType<typeof api>> {
  return api(w, await token(w, [`repository:cachereg/${repo}:${actions}`]));
}

async function getManifest(repo: string, ref: string) {
  const r = await (await bearer(repo)).fetch(`/v2/cachereg/${repo}/manifests/${ref}`, { headers: { Accept: ACCEPT } });
  return { r, body: Buffer.from(await r.arrayBuffer()) };
}

async function getBlob(repo: string, digest: string) {
  const r = await (await bearer(repo)).fetch(`/v2/cachereg/${repo}/blobs/${digest}`);
  return { r, body: Buffer.from(await r.arrayBuffer()) };
}

/** A whole pull over HTTP: the manifest, then every blob it names, each checked against its digest. */
async function pullAll(repo: string, ref: string, given?: ReturnType<typeof api>): Promise<string> {
  const a = given ?? (await bearer(repo));
  const m = await a.fetch(`/v2/cachereg/${repo}/manifests/${ref}`, { headers: { Accept: ACCEPT } });
  assert.equal(m.status, 200, await m.clone().text());
  const bytes = Buffer.from(await m.arrayBuffer());
  const doc = JSON.parse(bytes.toString("utf8"));
  for (const d of [doc.config, ...doc.layers]) {
    const b = await a.fetch(`/v2/cachereg/${repo}/blobs/${d.digest}`);
    assert.equal(b.status, 200);
    assert.equal(sha(Buffer.from(await b.arrayBuffer())), d.digest);
  }
  return sha(bytes);
}

type RuleShown = { hits: number; misses: number; upstreamErrors: number; bytesCached: number; lastUpstreamError: string | null; cachedRepositories: string[] };

/** The server writes rule counters in batches (every few seconds): ask until they show, or fail with the last answer. */
async function showRuleWhen(ok: (r: RuleShown) => boolean): Promise<RuleShown> {
  let last: RuleShown | null = null;
  for (let i = 0; i < 30; i++) {
    last = JSON.parse((await cli(w, ["cache", "show", "-r", "cachereg", "-n", "team-mirror"])).stdout) as RuleShown;
    if (ok(last)) return last;
    await sleep(1000);
  }
  assert.fail(`rule counters never matched: ${JSON.stringify(last)}`);
}

const blobGets = (repo: string, digest: string) => reg.requestsFor(new RegExp(`^/v2/${repo}/blobs/${digest}$`), { method: "GET", status: 200 });

before(async () => {
  ({ tmp, skopeo } = skopeoSandbox("cache-pull-", () => w?.output() ?? ""));
  reg = await startDockerRegistry({ htpasswd: USER, port: 5651 });
  // 50 pullers from one address: above the default per-address connection cap.
  w = await startWharf({ port: 5652, env: { WHARF_INSECURE_REGISTRIES: reg.host, WHARF_GC_INTERVAL_SECONDS: "0", WHARF_UPSTREAM_TIMEOUT_SECONDS: "5", WHARF_MAX_CONNECTIONS_PER_ADDRESS: "200" } });
  await createRegistryRow(w, "cachereg");
  await cli(w, ["credential-set", "create", "-r", "cachereg", "-n", "upstream-creds", "-l", reg.host, "-u", USER.username, "-p", USER.password]);
  // TTL 1 s: the moved-tag test waits past it.
  await cli(w, ["cache", "create", "-r", "cachereg", "-n", "team-mirror", "-s", `${reg.host}/team/*`, "-t", "hub/*", "-c", "upstream-creds", "--ttl", "1"]);
  await cli(w, ["cache", "create", "-r", "cachereg", "-n", "pinned-rule", "-s", `${reg.host}/pinned/app`, "-t", "pinned", "-c", "upstream-creds"]);
});

after(async () => {
  await w?.stop();
  await reg?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("pull-through cache", () => {
  let app: Pushed;

  test("credential sets never show their password; overlapping and shadowing rules are refused", async () => {
    const listed = (await cli(w, ["credential-set", "list", "-r", "cachereg"])).stdout;
    assert.ok(!listed.includes(USER.password));
    assert.equal(JSON.parse(listed)[0].rules.length, 2);
    const overlap = await runCli(w, ["cache", "create", "-r", "cachereg", "-n", "inner-rule", "-s", `${reg.host}/other/*`, "-t", "hub/x/*"]);
    assert.equal(overlap.code, 1);
    assert.match(overlap.stderr, /overlaps cache rule 'team-mirror'/);
    await (await bearer("local/app", "pull,push")).pushImage("cachereg/local/app", "v1");
    const shadow = await runCli(w, ["cache", "create", "-r", "cachereg", "-n", "local-rule", "-s", `${reg.host}/x/*`, "-t", "local/*"]);
    assert.equal(shadow.code, 1);
    assert.match(shadow.stderr, /covers existing repository 'local\/app'/);
    const wrongHost = await runCli(w, ["cache", "create", "-r", "cachereg", "-n", "hub-rule", "-s", "docker.io/library/ubuntu", "-t", "ubuntu", "-c", "upstream-creds"]);
    assert.equal(wrongHost.code, 1);
    assert.match(wrongHost.stderr, /logs in to 127\.0\.0\.1/);
  });

  test("the first pull goes upstream, the second is served locally, digests kept", async () => {
    app = await pushTestImage(reg.host, "team/app", "v1", { ...USER, layers: 2 });
    const first = await getManifest("hub/app", "v1");
    assert.equal(first.r.status, 200);
    assert.equal(first.r.headers.get("x-wharf-origin"), "upstream");
    assert.equal(first.r.headers.get("docker-content-digest"), app.digest);
    await skopeo("copy", "--src-creds", CREDS, "--src-tls-verify=false", `docker://${w.host}/cachereg/hub/app:v1`, `dir:${path.join(tmp, "app")}`);
    assert.equal(sha(fs.readFileSync(path.join(tmp, "app", "manifest.json"))), app.digest);
    const second = await getManifest("hub/app", "v1");
    assert.equal(second.r.headers.get("x-wharf-origin"), "cache");
    assert.equal(second.r.headers.get("docker-content-digest"), app.digest);
    for (const d of app.blobs) assert.equal(blobGets("team/app", d), 1, `blob ${d} fetched once`);
    const shown = await showRuleWhen((r) => r.misses >= 1 && r.hits >= 1 && r.bytesCached > 0);
    assert.deepEqual(shown.cachedRepositories, ["hub/app"]);
  });

  test("an uncached blob streams to the client while it is stored, then comes from the cache", async () => {
    const img = await pushTestImage(reg.host, "team/stream", "v1", { ...USER, layers: 1, layerSize: 3 << 20 });
    const layer = img.blobs[1]; // blobs: [config, layer]
    const one = await getBlob("hub/stream", layer);
    assert.equal(one.r.status, 200);
    assert.equal(one.r.headers.get("x-wharf-origin"), "upstream");
    assert.equal(sha(one.body), layer);
    const two = await getBlob("hub/stream", layer);
    assert.equal(two.r.headers.get("x-wharf-origin"), "cache");
    assert.equal(sha(two.body), layer);
    assert.equal(await pullAll("hub/stream", "v1"), img.digest);
    assert.equal(blobGets("team/stream", layer), 1);
  });

  test("a moved upstream tag is served after the TTL; within it the cached digest stays", async () => {
    const a = await pushTestImage(reg.host, "pinned/app", "v1", USER);
    assert.equal(await pullAll("pinned", "v1"), a.digest);
    const b = await pushTestImage(reg.host, "pinned/app", "v1", USER);
    assert.notEqual(a.digest, b.digest);
    const pinned = await getManifest("pinned", "v1");
    assert.equal(pinned.r.headers.get("docker-content-digest"), a.digest, "TTL 1 h: not asked again");
    assert.equal(pinned.r.headers.get("x-wharf-origin"), "cache");

    const moved = await pushTestImage(reg.host, "team/app", "v1", { ...USER, layers: 2 });
    await sleep(1500); // team-mirror's TTL is 1 s
    const after = await getManifest("hub/app", "v1");
    assert.equal(after.r.headers.get("docker-content-digest"), moved.digest);
    assert.equal(after.r.headers.get("x-wharf-origin"), "upstream");
    assert.equal(await pullAll("hub/app", "v1"), moved.digest);
    app = moved;
  });

  test("content deleted from the cache is fetched again on the next pull", async () => {
    const del = await (await bearer("hub/app", "pull,delete")).fetch(`/v2/cachereg/hub/app/manifests/${app.digest}`, { method: "DELETE" });
    assert.equal(del.status, 202);
    // Deleting by digest took the tag with it: the tag is fetched again too.
    const again = await getManifest("hub/app", "v1");
    assert.equal(again.r.status, 200);
    assert.equal(again.r.headers.get("x-wharf-origin"), "upstream");
    assert.equal(again.r.headers.get("docker-content-digest"), app.digest);
    assert.equal(await pullAll("hub/app", "v1"), app.digest);
  });

  test("referrers of a cached subject are listed once the referrer was pulled through", async () => {
    const art = await pushTestImage(reg.host, "team/app", null, { ...USER, kind: "artifact", subject: { digest: app.digest, size: app.size, mediaType: app.mediaType } });
    const m = await getManifest("hub/app", art.digest);
    assert.equal(m.r.status, 200);
    // The referrer is answered first and stored after (its blobs are fetched behind the answer); Distribution 2.8
    // has no referrers API, so the list is what is stored: wait for the fill, a bounded number of looks.
    const client = await bearer("hub/app");
    let listed: string[] = [];
    let r: Response | undefined;
    for (let look = 0; look < 100 && !listed.length; look++) {
      if (look) await new Promise((res) => setTimeout(res, 100));
      r = await client.fetch(`/v2/cachereg/hub/app/referrers/${app.digest}`);
      assert.equal(r.status, 200);
      listed = ((await r.json()) as { manifests: { digest: string }[] }).manifests.map((d) => d.digest);
    }
    assert.deepEqual(listed, [art.digest]);
    assert.ok(r?.headers.get("x-wharf-origin"));
  });

  test("50 concurrent pulls of one uncached image make one upstream fetch per blob", async () => {
    const img = await pushTestImage(reg.host, "team/burst", "v1", { ...USER, layers: 3, layerSize: 1 << 20 });
    const pulls: Promise<string>[] = [];
    // Anonymous pull for skopeo (pull rules under a cache rule are those of any repository), one login for the rest:
    // fifty logins at once as one user would trip the login throttle.
    await cli(w, ["registry", "update", "-n", "cachereg", "--anonymous-pull-enabled", "true"]);
    const client = await bearer("hub/burst");
    for (let i = 0; i < 45; i++) pulls.push(pullAll("hub/burst", "v1", client));
    for (let i = 0; i < 5; i++) {
      pulls.push(
        skopeo("copy", "--src-no-creds", "--src-tls-verify=false", `docker://${w.host}/cachereg/hub/burst:v1`, `dir:${path.join(tmp, `burst-${i}`)}`).then(() =>
          sha(fs.readFileSync(path.join(tmp, `burst-${i}`, "manifest.json"))),
        ),
      );
    }
    for (const d of await Promise.all(pulls)) assert.equal(d, img.digest);
    for (const d of img.blobs) assert.equal(blobGets("team/burst", d), 1, `blob ${d}: one upstream GET`);
    assert.equal(reg.requestsFor(/^\/v2\/team\/burst\/manifests\/v1$/, { method: "GET", status: 200 }), 1);
  });

  test("a wrong password gives a clear error naming the rule, and the set shows unhealthy", async () => {
    await cli(w, ["credential-set", "update", "-r", "cachereg", "-n", "upstream-creds", "-p", "wrong-Pass-9"]);
    await pushTestImage(reg.host, "team/secret", "v1", USER);
    const r = await getManifest("hub/secret", "v1");
    assert.equal(r.r.status, 502);
    assert.equal(r.r.headers.get("x-wharf-origin"), "upstream");
    assert.match(r.body.toString(), /cache rule 'team-mirror'/);
    const set = JSON.parse((await cli(w, ["credential-set", "show", "-r", "cachereg", "-n", "upstream-creds"])).stdout);
    assert.equal(set.lastLoginResult, "unauthorized");
    assert.equal(set.healthy, false);
    await cli(w, ["credential-set", "update", "-r", "cachereg", "-n", "upstream-creds", "-p", USER.password]);
  });

  test("with the upstream stopped the cached image still pulls, marked stale; uncached content names the rule", async () => {
    await reg.stop();
    try {
      await sleep(1500); // past the TTL: the tag would be revalidated
      const r = await getManifest("hub/app", "v1");
      assert.equal(r.r.status, 200);
      assert.equal(r.r.headers.get("docker-content-digest"), app.digest);
      assert.equal(r.r.headers.get("x-wharf-cache"), "stale");
      assert.match(r.r.headers.get("warning") ?? "", /^110 /);
      await skopeo("copy", "--src-creds", CREDS, "--src-tls-verify=false", `docker://${w.host}/cachereg/hub/app:v1`, `dir:${path.join(tmp, "offline")}`);
      assert.equal(sha(fs.readFileSync(path.join(tmp, "offline", "manifest.json"))), app.digest);
      const missing = await getManifest("hub/never", "v1");
      assert.equal(missing.r.status, 502);
      assert.match(missing.body.toString(), /cache rule 'team-mirror'.*127\.0\.0\.1:5651/s);
      const refs = await (await bearer("hub/app")).fetch(`/v2/cachereg/hub/app/referrers/${app.digest}`);
      assert.equal(refs.status, 200);
      assert.equal(refs.headers.get("x-wharf-cache"), "stale");
      assert.equal(((await refs.json()) as { manifests: unknown[] }).manifests.length, 1);
    } finally {
      await reg.start();
    }
    await showRuleWhen((r) => r.upstreamErrors >= 2 && !!r.lastUpstreamError);
  });
});
