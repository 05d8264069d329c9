/**
 * bench/portal's measuring half (run through `bench/portal`, which seeds the data
 * dir and starts the server). Prints p50/p95 of:
 *   lib  — the lib/ query functions the pages call, in this process, as the
 *          signed-in Owner (listRepositoryPage, listTagPage, getManifestDetail);
 *   http — the real portal pages over HTTP with a signed-in session cookie
 *          (server time to the last byte of the rendered HTML, Next included).
 */
import { performance } from "node:perf_hooks";
import { chromium } from "@playwright/test";
import { parseConfig } from "../lib/core/config";
import { startContext } from "../lib/core/context";
import { db } from "../lib/core/db";
import { listRepositoryPage } from "../lib/services/repositories";
import { listTagPage } from "../lib/services/tags";
import { getManifestDetail } from "../lib/services/manifests";
import type { Principal } from "../lib/auth/principal";

const [dataDir, url, password, registry = "scale"] = process.argv.slice(2);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const HTTP_RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 60);
startContext(parseConfig({ WHARF_DATA_DIR: dataDir, WHARF_DATABASE_URL: process.env.WHARF_DATABASE_URL }));

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95) };
}

async function time(label: string, runs: number, fn: () => Promise<unknown>): Promise<[string, { p50: number; p95: number }]> {
  for (let i = 0; i < 5; i++) await fn(); // warm caches and JIT
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return [label, stats(ms)];
}

async function main() {
  const admin = await db().user.findUniqueOrThrow({ where: { username: "admin" } });
  const owner: Principal = { kind: "user", id: admin.id, name: "admin" };
  const reg = await db().registry.findUniqueOrThrow({ where: { name: registry } });
  const repos = (await db().repository.findMany({ where: { registryId: reg.id }, select: { name: true, id: true } }));
  const big = repos.find((r) => r.name === "big/app")!;
  const bigTags = await db().tag.findMany({ where: { repositoryId: big.id }, select: { name: true, updatedAt: true } });
  const [repoCount, tagCount] = await Promise.all([db().repository.count({ where: { registryId: reg.id } }), db().tag.count({ where: { repository: { registryId: reg.id } } })]);
  console.log(`Registry ${registry}: ${repoCount} repositories, ${tagCount} tags (big/app: ${bigTags.length}). lib runs: ${RUNS}, http runs: ${HTTP_RUNS}.`);

  const rows: [string, { p50: number; p95: number }][] = [];
  rows.push(await time("lib  repository list, page 1 (50)", RUNS, () => listRepositoryPage(owner, { registry })));
  rows.push(await time("lib  repository list, random page", RUNS, () => listRepositoryPage(owner, { registry, cursor: cursor(pick(repos).name) })));
  rows.push(await time("lib  repository list, search", RUNS, () => listRepositoryPage(owner, { registry, search: `service-0${Math.floor(Math.random() * 10)}` })));
  rows.push(await time("lib  tag list big/app, newest (50)", RUNS, () => listTagPage(owner, { registry, repository: "big/app" })));
  rows.push(await time("lib  tag list big/app, random page", RUNS, () => {
    const t = pick(bigTags);
    return listTagPage(owner, { registry, repository: "big/app", cursor: cursor({ v: t.updatedAt.getTime(), n: t.name }) });
  }));
  rows.push(await time("lib  tag list big/app, by name", RUNS, () => listTagPage(owner, { registry, repository: "big/app", sort: "name" })));
  rows.push(await time("lib  manifest page, random tag", RUNS, () => getManifestDetail(owner, { registry, repository: "big/app", reference: pick(bigTags).name })));

  // The real pages, with a session cookie from a real sign-in.
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/registries$/);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  await browser.close();
  const get = async (p: string) => {
    const r = await fetch(`${url}${p}`, { headers: { cookie }, redirect: "manual" });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`${p}: ${r.status} ${body.slice(0, 200)}`);
  };
  const base = `/registries/${registry}/repositories`;
  rows.push(await time("http repositories page", HTTP_RUNS, () => get(base)));
  rows.push(await time("http repositories page, random page", HTTP_RUNS, () => get(`${base}?after=${cursor(pick(repos).name)}`)));
  rows.push(await time("http tags page big/app", HTTP_RUNS, () => get(`${base}/big/app`)));
  rows.push(await time("http manifest page, random tag", HTTP_RUNS, () => get(`${base}/big/app/-/manifests/${pick(bigTags).name}`)));

  console.log("");
  console.log(`${"".padEnd(42)} ${"p50 ms".padStart(9)} ${"p95 ms".padStart(9)}`);
  for (const [label, s] of rows) console.log(`${label.padEnd(42)} ${s.p50.toFixed(2).padStart(9)} ${s.p95.toFixed(2).padStart(9)}`);
  await db().$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
