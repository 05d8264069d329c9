#!/usr/bin/env node
// bench/gc's registry work over /v2, as a client would do it. Prints one JSON line.
//
//   gc-ops.mjs delete --repos a,b,…   every manifest of each repository: tags listed,
//                                     each tag's digest by HEAD, then DELETE by digest
//   gc-ops.mjs untag  --repos a,b,… --tags t1,t2,…   DELETE by tag (the manifests stay)
//   gc-ops.mjs verify --repos a,b,… --sample 200
//        a random sample of the tagged manifests still pulls: GET by tag, the body's
//        digest is Docker-Content-Digest, and its config and layers GET with bytes
//        matching their digests
//   gc-ops.mjs emptied --repos a,b,…  each repository lists no tag
// Common: --base URL --registry R [--concurrency 8]; a token per repository from
// --password (or BENCH_ADMIN_PASSWORD), or BENCH_TOKEN covering them all (no logins).
import { MANIFEST_TYPE, client, failure, parseArgs, pool, sha256 } from "./registry-client.mjs";

const [command, ...rest] = process.argv.slice(2);
const args = parseArgs(rest);
const list = (s) => (s ? s.split(",").filter(Boolean) : []);
const repos = list(args.repos);
const concurrency = Number(args.concurrency ?? 8);
const c = client(args.base, args.registry, args.password ?? process.env.BENCH_ADMIN_PASSWORD, process.env.BENCH_TOKEN);
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
const errors = [];

async function deleteAll() {
  // First what a client must learn (each tag's digest), then the deletes alone, so their time is the deletes'.
  const targets = [];
  let tags = 0;
  await pool(repos, concurrency, async (repo) => {
    const digests = new Set();
    const names = await c.tags(repo);
    tags += names.length;
    for (const tag of names) {
      const head = await c.call(repo, "HEAD", `manifests/${tag}`, { headers: { Accept: MANIFEST_TYPE } });
      if (head.status !== 200) throw failure(`HEAD ${repo}:${tag}`, head);
      digests.add(head.headers.get("docker-content-digest"));
    }
    for (const digest of digests) targets.push([repo, digest]);
  });
  const resolveSeconds = seconds();
  let manifests = 0;
  await pool(targets, concurrency, async ([repo, digest]) => {
    const res = await c.call(repo, "DELETE", `manifests/${digest}`);
    if (res.status === 202) manifests++;
    else errors.push(`DELETE ${repo}@${digest}: ${failure("", res).code}`);
  });
  return { manifests, tags, resolveSeconds, deleteSeconds: seconds() - resolveSeconds };
}

async function untag() {
  const targets = repos.flatMap((repo) => list(args.tags).map((tag) => [repo, tag]));
  // Logins first (each checks the admin password), so the time measured is the untagging.
  await pool(repos, concurrency, (repo) => c.token(repo));
  const from = seconds();
  let untagged = 0;
  await pool(targets, concurrency, async ([repo, tag]) => {
    const res = await c.call(repo, "DELETE", `manifests/${tag}`);
    if (res.status === 202) untagged++;
    else errors.push(`DELETE ${repo}:${tag}: ${failure("", res).code}`);
  });
  return { untagged, untagSeconds: seconds() - from };
}

async function pullBlob(repo, digest) {
  const res = await c.call(repo, "GET", `blobs/${digest}`);
  if (res.status !== 200) return `GET ${repo} blob ${digest}: ${failure("", res).code}`;
  if (sha256(res.bytes) !== digest) return `GET ${repo} blob ${digest}: bytes do not match the digest`;
  return null;
}

async function verify() {
  const all = [];
  await pool(repos, concurrency, async (repo) => {
    for (const tag of await c.tags(repo)) all.push([repo, tag]);
  });
  // Fisher–Yates on a prefix: a uniform sample without repeats.
  const n = Math.min(Number(args.sample ?? 200), all.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (all.length - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const sample = all.slice(0, n);
  let pulled = 0;
  let blobs = 0;
  await pool(sample, concurrency, async ([repo, tag]) => {
    const res = await c.call(repo, "GET", `manifests/${tag}`, { headers: { Accept: MANIFEST_TYPE } });
    if (res.status !== 200) return errors.push(`GET ${repo}:${tag}: ${failure("", res).code}`);
    const digest = res.headers.get("docker-content-digest");
    if (sha256(res.bytes) !== digest) return errors.push(`GET ${repo}:${tag}: body is not ${digest}`);
    const doc = JSON.parse(res.bytes.toString());
    for (const d of [doc.config, ...(doc.layers ?? [])]) {
      const problem = await pullBlob(repo, d.digest);
      if (problem) return errors.push(problem);
      blobs++;
    }
    pulled++;
  });
  return { tagged: all.length, sampled: n, pulled, blobs };
}

async function emptied() {
  let stillTagged = 0;
  await pool(repos, concurrency, async (repo) => {
    const left = await c.tags(repo);
    stillTagged += left.length;
    if (left.length) errors.push(`${repo} was emptied but still lists ${left.length} tag(s)`);
  });
  return { repositories: repos.length, stillTagged };
}

const commands = { delete: deleteAll, untag, verify, emptied };
if (!commands[command]) {
  console.error("usage: gc-ops.mjs delete|untag|verify|emptied --base URL --registry R --repos a,b,… [options]");
  process.exit(2);
}
try {
  const result = await commands[command]();
  console.log(JSON.stringify({ ...result, seconds: seconds(), errors: errors.slice(0, 20), errorCount: errors.length }));
  process.exit(errors.length ? 1 : 0);
} catch (err) {
  console.log(JSON.stringify({ seconds: seconds(), errors: [`${err.message ?? err}${err.cause ? ` (${err.cause.code ?? ""} ${err.cause.message ?? err.cause})` : ""}`], errorCount: 1 }));
  process.exit(1);
}
