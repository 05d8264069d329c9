#!/usr/bin/env node
// Push load for bench/gc: `--clients` clients each push small complete images (a
// random 1 KiB layer, its own config, a tagged OCI manifest — HEAD, POST, PUT per
// blob, as docker pushes small blobs) for `--seconds`, each client into its own
// repository `<prefix>-<n>`. Counts manifests the registry confirmed (201) and, by
// status and OCI code, the pushes that failed. BENCH_TOKEN, when set, is a token
// covering every repository (no login in the timed window). Prints one JSON line:
//   {"confirmed":…,"failed":…,"seconds":…,"pushesPerSecond":…,"errors":{…},
//    "windowStart":<epoch ms>,"windowEnd":<epoch ms>,"pushed":[[repo,tag,digest],…]}
//
//   node bench/lib/push-load.mjs --base http://127.0.0.1:PORT --registry R --password P \
//        --clients 8 --seconds 10 --prefix load/client --tag-prefix run1-idle
import { client, parseArgs } from "./registry-client.mjs";

const args = parseArgs(process.argv.slice(2));
const clients = Number(args.clients ?? 8);
const seconds = Number(args.seconds ?? 10);
const prefix = args.prefix ?? "load/client";
const tagPrefix = args["tag-prefix"] ?? "push";
const c = client(args.base, args.registry, args.password ?? process.env.BENCH_ADMIN_PASSWORD, process.env.BENCH_TOKEN);

// Tokens first, so the timed window measures pushes, not logins.
const repos = Array.from({ length: clients }, (_, i) => `${prefix}-${i}`);
await Promise.all(repos.map((r) => c.token(r)));

const errors = {};
const pushed = [];
let confirmed = 0;
let failed = 0;
const windowStart = Date.now();
const started = performance.now();
const deadline = started + seconds * 1000;

await Promise.all(
  repos.map(async (repo) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const tag = `${tagPrefix}-${n}`;
      try {
        const digest = await c.pushImage(repo, tag);
        // A push that ends after the window still counts as pushed (it is stored), not in the rate.
        if (performance.now() <= deadline) confirmed++;
        pushed.push([repo, tag, digest]);
      } catch (err) {
        failed++;
        const key = err.code ?? err.message;
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  }),
);

const elapsed = Math.min(performance.now(), deadline) - started;
const windowEnd = windowStart + elapsed;
console.log(JSON.stringify({ confirmed, failed, seconds: elapsed / 1000, pushesPerSecond: confirmed / (elapsed / 1000), errors, windowStart, windowEnd, pushed }));
