import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Locator, Page } from "@playwright/test";
import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { withServerDb } from "./seed";
import { Skopeo } from "./skopeo-client";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow, sha256 } from "../test/helpers/registry-fixtures";
import { pushTestImage, startDockerRegistry, type DockerRegistry, type Pushed } from "../test/helpers/upstreams";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createUser } from "../lib/services/users";

/**
 * The Cache tab against a real upstream (Debian's docker-registry with htpasswd): credential sets and a cache rule
 * made through its dialogs, an image pulled through Wharf with skopeo, and the rule's counters seen moving in the tab.
 * Its own Wharf: WHARF_INSECURE_REGISTRIES must name the upstream, and the worker's shared server stays untouched.
 */
test.describe.configure({ mode: "serial" });

const REGISTRY = "cachee2e";
const USER = { username: "mirroruser", password: "mirror-Pass-1" };
const creds = `admin:${ADMIN_PASSWORD}`;

let upstream: DockerRegistry;
let wharf: Wharf;
let skopeo: Skopeo;
let image: Pushed;
let context: BrowserContext;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  upstream = await startDockerRegistry({ htpasswd: USER, port: 5655 });
  image = await pushTestImage(upstream.host, "team/app", "v1", { ...USER, layers: 2 });
  wharf = await startWharf({ port: 5656, env: { WHARF_INSECURE_REGISTRIES: upstream.host, WHARF_GC_INTERVAL_SECONDS: "0", WHARF_UPSTREAM_TIMEOUT_SECONDS: "5" } });
  await createRegistryRow(wharf, REGISTRY);
  skopeo = new Skopeo();
  context = await browser.newContext({ baseURL: wharf.url });
});

test.afterAll(async () => {
  await context?.close();
  skopeo?.cleanup();
  await discardWharf(wharf);
  await upstream?.stop();
  if (upstream) fs.rmSync(upstream.dataDir, { recursive: true, force: true });
});

/** Pulls the image through the rule's target with skopeo; returns the digest of the manifest it got. */
async function pullThrough(dir: string): Promise<string> {
  const out = path.join(skopeo.dir, dir);
  await skopeo.run("copy", "--src-creds", creds, "--src-tls-verify=false", `docker://${wharf.host}/${REGISTRY}/hub/app:v1`, `dir:${out}`);
  return sha256(fs.readFileSync(path.join(out, "manifest.json")));
}

const stat = (rule: Locator, name: string) => rule.locator(`[data-stat="${name}"] dd`);
const count = async (l: Locator) => Number((await l.textContent())?.trim());

async function openTab(page: Page): Promise<void> {
  await page.goto(`/registries/${REGISTRY}`);
  await page.getByRole("link", { name: "Cache", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/registries/${REGISTRY}/cache$`));
}

test("credential sets and a cache rule made in the tab; a pull through it moves the counters", async () => {
  test.setTimeout(180_000);
  const page = await context.newPage();
  await signIn(page, wharf.url);
  await openTab(page);

  // Empty state explains, and its button opens the dialog.
  await expect(page.getByRole("heading", { name: "No cache rules yet" })).toBeVisible();
  await expect(page.getByText(/A cache rule maps repositories of this registry to an upstream registry/)).toBeVisible();

  // A set with a wrong password is saved, and shown unhealthy at once with the upstream's refusal.
  await page.getByRole("button", { name: "Create credential set" }).click();
  let dialog = page.getByRole("dialog", { name: "Create credential set" });
  await dialog.getByLabel("Name", { exact: true }).fill("wrong-creds");
  await dialog.getByLabel("Login server").fill(upstream.host);
  await dialog.getByLabel("Username").fill(USER.username);
  await dialog.getByLabel("Password or access token").fill("not-the-Pass-9");
  await dialog.getByRole("button", { name: "Create credential set" }).click();
  await expect(dialog).toBeHidden();
  const wrong = page.locator('tr[data-credential-set="wrong-creds"]');
  await expect(wrong.getByText("Login refused")).toBeVisible();
  await expect(wrong).toContainText(upstream.host);
  await expect(page.getByText("not-the-Pass-9")).toHaveCount(0);

  // The right one, opened and filled with the keyboard: the dialog opens with focus on its first field.
  await page.getByRole("button", { name: "Create credential set" }).focus();
  await page.keyboard.press("Enter");
  dialog = page.getByRole("dialog", { name: "Create credential set" });
  await expect(dialog.getByLabel("Name", { exact: true })).toBeFocused();
  await page.keyboard.type("upstream-creds");
  await page.keyboard.press("Tab");
  await page.keyboard.type(upstream.host);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USER.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USER.password);
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  const good = page.locator('tr[data-credential-set="upstream-creds"]');
  await expect(good.getByText("Healthy")).toBeVisible();
  await expect(good.getByRole("cell", { name: USER.username, exact: true })).toBeVisible();
  expect(await page.content()).not.toContain(USER.password);

  // The unused wrong set goes.
  await wrong.getByRole("button", { name: "Delete credential set wrong-creds" }).click();
  dialog = page.getByRole("dialog", { name: "Delete credential set wrong-creds?" });
  await dialog.getByRole("button", { name: "Delete credential set" }).click();
  await expect(wrong).toHaveCount(0);

  // A rule refused by the service shows the reason next to its field and keeps the input.
  await page.getByRole("button", { name: "Create rule" }).click();
  dialog = page.getByRole("dialog", { name: "Create cache rule" });
  await dialog.getByLabel("Rule name").fill("team-mirror");
  await dialog.getByLabel("Source (upstream repository)").fill(`${upstream.host}/team/*`);
  await dialog.getByLabel("Target (repository in this registry)").fill("hub");
  await dialog.getByLabel("Credential set", { exact: true }).selectOption("upstream-creds");
  await dialog.getByRole("button", { name: "Create rule" }).click();
  await expect(dialog.getByText(/Wildcards must be on both sides or neither/)).toBeVisible();
  await expect(dialog.getByLabel("Source (upstream repository)")).toHaveValue(`${upstream.host}/team/*`);
  await dialog.getByLabel("Target (repository in this registry)").fill("hub/*");
  await dialog.getByRole("button", { name: "Create rule" }).click();
  await expect(dialog).toBeHidden();

  const rule = page.locator('[data-rule="team-mirror"]');
  await expect(rule).toContainText(`${upstream.host}/team/*`);
  await expect(rule).toContainText("hub/*");
  await expect(rule).toContainText("upstream-creds");
  await expect(stat(rule, "hits")).toHaveText("0");
  await expect(stat(rule, "misses")).toHaveText("0");
  await expect(rule.getByText(/Cached repositories: none yet/)).toBeVisible();

  // First pull: fetched from the upstream. The tab polls; wait for the text, whatever the batching.
  expect(await pullThrough("first")).toBe(image.digest);
  await expect(stat(rule, "misses")).not.toHaveText("0", { timeout: 30_000 });
  await expect(rule.getByRole("link", { name: "hub/app" })).toBeVisible({ timeout: 30_000 });
  await expect(stat(rule, "bytes")).not.toHaveText("0 B");
  await expect(stat(rule, "last-refresh")).not.toHaveText("never");

  // Figures after the first pull, read from a fresh page (the pull has finished, so nothing is still counting).
  await page.reload();
  const hitsBefore = await count(stat(rule, "hits"));
  const missesBefore = await count(stat(rule, "misses"));
  const upstreamGets = upstream.requestsFor(/^\/v2\/team\/app\/(manifests|blobs)\//, { method: "GET" });

  // Second pull: served from the cache, so hits move and misses stay.
  expect(await pullThrough("second")).toBe(image.digest);
  await expect(async () => expect(await count(stat(rule, "hits"))).toBeGreaterThan(hitsBefore)).toPass({ timeout: 30_000 });
  expect(await count(stat(rule, "misses"))).toBe(missesBefore);
  expect(upstream.requestsFor(/^\/v2\/team\/app\/(manifests|blobs)\//, { method: "GET" })).toBe(upstreamGets);

  // The cached repository links to the repository browser.
  await rule.getByRole("link", { name: "hub/app" }).click();
  await expect(page).toHaveURL(new RegExp(`/registries/${REGISTRY}/repositories/hub/app`));
  await expect(page.getByText("v1", { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/cache-tab-repository.png", fullPage: true });
  await page.goBack();
  await expect(page.locator('[data-rule="team-mirror"]')).toBeVisible();
  await page.screenshot({ path: "test-results/cache-tab.png", fullPage: true });

  // A set a rule uses cannot be deleted; the dialog says which rule and offers no delete.
  await good.getByRole("button", { name: "Delete credential set upstream-creds" }).click();
  dialog = page.getByRole("dialog", { name: "Delete credential set upstream-creds?" });
  await expect(dialog.getByText(/team-mirror/)).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Delete credential set" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Changing the password checks the login again: a wrong one shows at once, the right one heals it.
  for (const [password, health] of [["still-wrong-Pass-3", "Login refused"], [USER.password, "Healthy"]] as const) {
    await good.getByRole("button", { name: "Change password of credential set upstream-creds" }).click();
    dialog = page.getByRole("dialog", { name: "Change the password of upstream-creds" });
    await dialog.getByLabel("New password or access token").fill(password);
    await dialog.getByRole("button", { name: "Save password" }).click();
    await expect(dialog).toBeHidden();
    await expect(good.getByText(health, { exact: true })).toBeVisible();
  }
  await page.close();
});

test("a Reader sees the tab read-only: every change button disabled with the reason", async () => {
  await withServerDb(wharf.dataDir, async () => {
    await createUser("cachereader1", "reader-Pass1");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "cachereader1", role: "Reader", scope: `/registries/${REGISTRY}` });
  });
  const reader = await context.browser()!.newContext({ baseURL: wharf.url });
  try {
    const page = await reader.newPage();
    await signIn(page, wharf.url, "cachereader1", "reader-Pass1");
    await page.goto(`/registries/${REGISTRY}/cache`);
    const rule = page.locator('[data-rule="team-mirror"]');
    await expect(rule).toBeVisible();
    await expect(stat(rule, "misses")).not.toHaveText("0");
    for (const name of ["Create rule", "Create credential set", "Delete cache rule team-mirror", "Change password of credential set upstream-creds", "Delete credential set upstream-creds"]) {
      await expect(page.getByRole("button", { name })).toBeDisabled();
    }
    const reasons = page.locator("[data-disabled-reason]");
    await expect(reasons.first()).toHaveAttribute("data-disabled-reason", /change policies/);
    await reasons.first().hover();
    await expect(page.getByRole("tooltip").first()).toBeVisible();
  } finally {
    await reader.close();
  }
});
