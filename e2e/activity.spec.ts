import type { BrowserContext } from "@playwright/test";
import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { withServerDb } from "./seed";
import { Skopeo } from "./skopeo-client";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createUser } from "../lib/services/users";

/**
 * The Activity page: two principals push with skopeo, and the organisation's page, filtered through its form, shows
 * only one principal's pushes, as a link. Its own Wharf: the worker's shared server stays registry-free.
 */
test.describe.configure({ mode: "serial" });

const REGISTRY = "activitye2e";
const PUSHER = { username: "pusher", password: "pusher-Pass-1" };

let wharf: Wharf;
let skopeo: Skopeo;
let context: BrowserContext;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  wharf = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
  await createRegistryRow(wharf, REGISTRY);
  await withServerDb(wharf.dataDir, async () => {
    await createUser(PUSHER.username, PUSHER.password);
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: PUSHER.username, role: "AcrPush", scope: `/registries/${REGISTRY}` });
  });
  skopeo = new Skopeo();
  await skopeo.push(wharf.host, `${REGISTRY}/app`, { v1: skopeo.layout.image({ fileContent: "from admin\n" }) }, `admin:${ADMIN_PASSWORD}`);
  await skopeo.push(wharf.host, `${REGISTRY}/app`, { v2: skopeo.layout.image({ fileContent: "from pusher\n" }) }, `${PUSHER.username}:${PUSHER.password}`);
  context = await browser.newContext({ baseURL: wharf.url });
});

test.afterAll(async () => {
  await context?.close();
  skopeo?.cleanup();
  await discardWharf(wharf);
});

test("the Activity page filtered to one principal's pushes, as a link; the registry's tab shows the same", async () => {
  const page = await context.newPage();
  await signIn(page, wharf.url);
  await page.getByRole("link", { name: "Activity", exact: true }).first().click();
  await expect(page).toHaveURL(/\/activity$/);
  const table = page.getByRole("table", { name: "Activity" });
  await expect(table.getByRole("row").filter({ hasText: "manifest.push" })).toHaveCount(2);

  const filters = page.getByRole("form", { name: "Filter the activity log" });
  await filters.getByLabel("Principal").fill(PUSHER.username);
  await filters.getByLabel("Action").selectOption("push");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\/activity\?principal=pusher&action=push/);
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("manifest.push");
  await expect(rows.first()).toContainText(`${REGISTRY}`);
  await expect(rows.first()).toContainText("pusher");
  await expect(rows.first()).toContainText("ok");

  // The same filter on the registry's tab, opened from its link.
  await page.goto(`/registries/${REGISTRY}`);
  await page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Activity", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/registries/${REGISTRY}/activity$`));
  await page.goto(`/registries/${REGISTRY}/activity?principal=nobody`);
  await expect(page.getByText("Nothing matches these filters")).toBeVisible();
});
