import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { startWharf, type Wharf } from "../test/helpers/wharf";
import { withServerDb } from "./seed";
import { engineRepo, pushImage, pushIndex } from "../test/helpers/engine-images";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { createCacheRule } from "../lib/services/cache-rules";
import { addGroupMember, createGroup } from "../lib/services/groups";
import { deleteManifest } from "../lib/services/manifests";
import { updateSoftDelete } from "../lib/services/recycle-bin";
import { createRegistry } from "../lib/services/registries";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createScopeMap } from "../lib/services/scope-maps";
import { createServicePrincipal } from "../lib/services/service-principals";
import { createToken } from "../lib/services/tokens";
import { createUserAs } from "../lib/services/users";
import { createWebhook } from "../lib/services/webhooks";

/**
 * The portal's quality gates, over every page with realistic content: no serious or critical axe violation, no
 * horizontal page scroll at 1280 px and 390 px, and dark mode followed (another background, still no violation).
 */
test.describe.configure({ mode: "serial" });
// What it checks is the portal's markup and styles, the same on every backend: once, on the default one, keeps
// npm test inside CI's time (the postgres-s3 phase sets WHARF_TEST_POSTGRES_URL).
test.skip(!!process.env.WHARF_TEST_POSTGRES_URL, "portal-only checks run once, in the default backend's e2e phase");

const REG = "qualityreg";
/** Every route pattern under app/ mapped to a concrete URL; a page.tsx missing here fails the first test. */
const PAGES: Record<string, string> = {
  "/": "/",
  "/access": "/access",
  "/access/review": "/access/review",
  "/activity": "/activity",
  "/groups": "/groups",
  "/my-access": "/my-access",
  "/registries": "/registries",
  "/registries/new": "/registries/new",
  "/registries/[name]": `/registries/${REG}`,
  "/registries/[name]/access": `/registries/${REG}/access`,
  "/registries/[name]/access-review": `/registries/${REG}/access-review`,
  "/registries/[name]/activity": `/registries/${REG}/activity`,
  "/registries/[name]/cache": `/registries/${REG}/cache`,
  "/registries/[name]/recycle-bin": `/registries/${REG}/recycle-bin`,
  "/registries/[name]/repositories": `/registries/${REG}/repositories`,
  "/registries/[name]/repositories/[...path]": `/registries/${REG}/repositories/team/app`,
  "/registries/[name]/scope-maps": `/registries/${REG}/scope-maps`,
  "/registries/[name]/scope-maps/[map]": `/registries/${REG}/scope-maps/app-readers`,
  "/registries/[name]/settings": `/registries/${REG}/settings`,
  "/registries/[name]/tokens": `/registries/${REG}/tokens`,
  "/registries/[name]/webhooks": `/registries/${REG}/webhooks`,
  "/service-principals": "/service-principals",
  "/users": "/users",
};
/** Pages a signed-in visit would redirect away from: visited signed out. */
const SIGNED_OUT = { "/login": "/login" };
const WIDTHS = [1280, 390];

/** app/**​/page.tsx as route patterns: route groups "(x)" are not part of the URL. */
function routePatterns(dir = path.join(process.cwd(), "app"), prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "page.tsx") out.push(prefix || "/");
    if (!entry.isDirectory()) continue;
    const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
    out.push(...routePatterns(path.join(dir, entry.name), prefix + segment));
  }
  return out;
}

let wharf: Wharf;

test.beforeAll(async () => {
  // Its own server: the worker's shared one must stay registry-free for other files.
  wharf = await startWharf();
  await withServerDb(wharf.dataDir, async () => {
    const reg = await createRegistry(LOCAL_OPERATOR, { name: REG, sku: "Premium" });
    const repo = await engineRepo(reg.id, REG, "team/app");
    const amd = await pushImage(repo, "1.0");
    const arm = await pushImage(repo, "1.0-arm64", { arch: "arm64" });
    await pushIndex(repo, "latest", [amd, arm]);
    await updateSoftDelete(LOCAL_OPERATOR, { registry: REG, status: "enabled", days: 7 });
    const gone = await pushImage(repo, "old");
    await deleteManifest(LOCAL_OPERATOR, { registry: REG, repository: "team/app", digest: gone.digest });
    await createScopeMap(LOCAL_OPERATOR, { registry: REG, name: "app-readers", actions: ["repositories/team/app/content/read"], description: "Pull team/app" });
    await createToken(LOCAL_OPERATOR, { registry: REG, name: "ci-token", scopeMap: "app-readers" });
    await createWebhook(LOCAL_OPERATOR, { registry: REG, name: "notify", uri: "https://hooks.example.com/wharf", actions: ["push"] });
    await createCacheRule(LOCAL_OPERATOR, { registry: REG, name: "alpine", sourceRepo: "docker.io/library/alpine", targetRepo: "mirror/alpine" });
    await createUserAs(LOCAL_OPERATOR, { username: "dev", password: "dev-Pass-1234" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "dev", role: "AcrPush", scope: `/registries/${REG}/repositories/team/app` });
    await createGroup(LOCAL_OPERATOR, { name: "builders" });
    await addGroupMember(LOCAL_OPERATOR, { group: "builders", member: "dev" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "group:builders", role: "AcrPull", scope: `/registries/${REG}` });
    await createServicePrincipal(LOCAL_OPERATOR, { displayName: "ci-pipeline" });
  });
});

test.afterAll(async () => {
  await wharf?.stop();
  if (wharf) fs.rmSync(wharf.dataDir, { recursive: true, force: true });
});

test("every page under app/ is in the quality list", () => {
  const listed = new Set([...Object.keys(PAGES), ...Object.keys(SIGNED_OUT)]);
  const missing = routePatterns().filter((p) => !listed.has(p));
  expect(missing, "add these routes to PAGES in e2e/quality.spec.ts").toEqual([]);
});

type Found = { page: string; problem: string };

/** Serious and critical axe violations, one line each: rule, page, first target. */
async function axeProblems(page: Page, label: string): Promise<Found[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ page: label, problem: `axe ${v.impact} ${v.id}: ${String(v.nodes[0]?.target[0] ?? "")} (${v.nodes.length} nodes) ${v.help}` }));
}

async function overflow(page: Page, label: string): Promise<Found[]> {
  const { scroll, inner, culprit } = await page.evaluate(() => {
    const inner = window.innerWidth;
    // The widest element sticking out of the viewport names what to fix.
    let culprit = "";
    let right = inner;
    const clipped = (el: Element) => {
      // Absolutely positioned content escapes a clipping ancestor that is not its containing block.
      if (getComputedStyle(el).position === "absolute") return false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.right <= right + 0.5 || clipped(el)) continue;
      if (r.right > right + 0.5) {
        right = r.right;
        culprit = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.getAttribute("class") ?? "").split(" ").slice(0, 4).join(".")}`;
      }
    }
    return { scroll: document.documentElement.scrollWidth, inner, culprit };
  });
  return scroll <= inner ? [] : [{ page: label, problem: `scrolls sideways: ${scroll} > ${inner} (${culprit})` }];
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function contextFor(browser: Browser, colorScheme: "light" | "dark", signedIn: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: wharf.url, colorScheme, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  if (signedIn) await signIn(page, wharf.url, "admin", ADMIN_PASSWORD);
  return { context, page };
}

/** Visits each page in one scheme; returns its problems and each page's background colour. */
async function sweep(browser: Browser, colorScheme: "light" | "dark", pages: Record<string, string>, signedIn: boolean) {
  const { context, page } = await contextFor(browser, colorScheme, signedIn);
  const problems: Found[] = [];
  const backgrounds: Record<string, string> = {};
  try {
    for (const [pattern, url] of Object.entries(pages)) {
      const label = `${pattern} (${colorScheme})`;
      await page.setViewportSize({ width: 1280, height: 800 });
      const answer = await page.goto(url);
      expect(answer?.status(), `${url} answers`).toBeLessThan(400);
      await page.waitForLoadState("networkidle");
      backgrounds[pattern] = await background(page);
      problems.push(...(await axeProblems(page, label)));
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        problems.push(...(await overflow(page, `${label} @${width}px`)));
      }
    }
  } finally {
    await context.close();
  }
  return { problems, backgrounds };
}

for (const [name, pages, signedIn] of [
  ["signed-in pages", PAGES, true],
  ["the sign-in page", SIGNED_OUT, false],
] as const) {
  test(`${name}: no serious axe violation, no sideways scroll, dark mode followed`, async ({ browser }) => {
    test.setTimeout(600_000);
    const light = await sweep(browser, "light", pages, signedIn);
    const dark = await sweep(browser, "dark", pages, signedIn);
    const problems = [...light.problems, ...dark.problems];
    for (const pattern of Object.keys(pages)) {
      if (light.backgrounds[pattern] === dark.backgrounds[pattern]) problems.push({ page: pattern, problem: `same background in light and dark: ${light.backgrounds[pattern]}` });
    }
    expect(problems.map((p) => `${p.page}: ${p.problem}`)).toEqual([]);
  });
}
