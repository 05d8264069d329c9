import fs from "node:fs";
import { expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { withServerDb } from "./seed";
import { basicAuth } from "../test/helpers/wharf";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { db } from "../lib/core/db";
import { addGroupMember, createGroup } from "../lib/services/groups";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createServicePrincipal } from "../lib/services/service-principals";
import { createToken, generateTokenPassword } from "../lib/services/tokens";
import { createUserAs, setUserDisabled } from "../lib/services/users";

/**
 * A team lead (Reader on one registry) reviews who can reach it: users, a group, a service principal, two tokens
 * (one never used, one whose password never expires) and anonymous pull; each flag shows, one leads to its fix, and
 * the CSV holds the same lines.
 */
let wharf: Wharf;
let usedTokenPassword = "";

test.beforeAll(async () => {
  // Its own server: the worker's shared one must keep its empty state for other files.
  wharf = await startWharf();
  await withServerDb(wharf.dataDir, async () => {
    await db().registry.create({ data: { name: "review1", sku: "Standard", anonymousPullEnabled: true } });
    const scope = "/registries/review1";
    await createUserAs(LOCAL_OPERATOR, { username: "lead", password: "lead-Pass-123" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "lead", role: "Reader", scope });
    await createUserAs(LOCAL_OPERATOR, { username: "dev", password: "dev-Pass-1234" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "dev", role: "AcrPush", scope: `${scope}/repositories/app` });
    await createUserAs(LOCAL_OPERATOR, { username: "leaver", password: "leaver-Pass-1" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "leaver", role: "AcrPull", scope });
    await setUserDisabled(LOCAL_OPERATOR, "leaver", true);
    await createGroup(LOCAL_OPERATOR, { name: "builders" });
    await addGroupMember(LOCAL_OPERATOR, { group: "builders", member: "dev" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "group:builders", role: "AcrPull", scope });
    const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "ci-pipeline" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: sp.clientId, role: "AcrPush", scope });
    await createToken(LOCAL_OPERATOR, { registry: "review1", name: "forever-token", repositories: [{ repository: "app", actions: ["content/read"] }] });
    await createToken(LOCAL_OPERATOR, { registry: "review1", name: "expiring-token", repositories: [{ repository: "app", actions: ["content/read"] }], generatePasswords: false });
    const p = await generateTokenPassword(LOCAL_OPERATOR, { registry: "review1", name: "expiring-token", password: 1, expiry: new Date(Date.now() + 30 * 86_400_000) });
    usedTokenPassword = p.passwords[0].value;
  });
  // The expiring token is used once, so only the other one is "never used".
  const r = await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}&scope=repository:review1/app:pull`, { headers: { Authorization: basicAuth("expiring-token", usedTokenPassword) } });
  expect(r.status).toBe(200);
});

test.afterAll(async () => {
  await discardWharf(wharf);
});

test("a lead reviews a registry's access: every flag, a fix one click away, and the CSV", async ({ page }) => {
  await signIn(page, wharf.url, "lead", "lead-Pass-123");
  await page.goto(`${wharf.url}/registries/review1`);
  await page.getByRole("navigation", { name: "Registry review1" }).getByRole("link", { name: "Access review" }).click();
  await expect(page).toHaveURL(/\/registries\/review1\/access-review$/);

  const row = (kind: string, name: string) => page.locator(`[data-testid="review-row"][data-kind="${kind}"][data-name="${name}"]`);
  await expect(row("user", "lead")).toContainText("Reader on registry review1");
  // Signed in just now: the sign-in is its last use (written beside the sign-in, so allow a reload for it).
  await expect(async () => {
    await page.reload();
    await expect(row("user", "lead").locator("[data-flag]")).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(row("user", "dev")).toContainText("AcrPush on repository review1/app");
  await expect(row("user", "dev")).toContainText("AcrPull on registry review1 · group builders");
  await expect(row("user", "dev").locator('[data-flag="never-used"]')).toBeVisible();
  await expect(row("user", "leaver").locator('[data-flag="disabled-assigned"]')).toBeVisible();
  await expect(row("group", "builders")).toContainText("1 member");
  await expect(row("servicePrincipal", "ci-pipeline").locator('[data-flag="never-used"]')).toBeVisible();
  await expect(row("token", "forever-token").locator('[data-flag="never-used"]')).toBeVisible();
  await expect(row("token", "forever-token").locator('[data-flag="no-expiry"]')).toBeVisible();
  await expect(row("token", "expiring-token").locator("[data-flag]")).toHaveCount(0);
  await expect(row("anonymous", "Anyone")).toContainText("Pull on every repository of review1");
  const registryFlags = page.getByTestId("review-registry-flags");
  await expect(registryFlags.locator('[data-flag="anonymous-pull"]')).toBeVisible();
  await expect(registryFlags.locator('[data-flag="open-network"]')).toBeVisible();

  await page.getByRole("link", { name: /Needs attention/ }).click();
  await expect(page).toHaveURL(/flagged=1$/);
  await expect(row("user", "lead")).toHaveCount(0);
  await expect(row("token", "forever-token")).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^access-review-review1-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync(await file.path(), "utf8");
  expect(csv.split("\r\n")[0]).toBe("Type,Name,Detail,Disabled,Rights,Credential expires,Last used,Flags");
  expect(csv).toContain("Token,forever-token,review1,false");
  expect(csv).toMatch(/Registry,review1,anonymous-pull,.*Anonymous pull is on/);

  // A flag's fix: the token page, where the token is.
  await row("token", "forever-token").getByRole("link", { name: "Fix in Tokens" }).first().click();
  await expect(page).toHaveURL(/\/registries\/review1\/tokens$/);
  await expect(page.getByText("forever-token").first()).toBeVisible();
});

test("someone who may not read the registry gets no review and no CSV", async ({ page }) => {
  await signIn(page, wharf.url, "dev", "dev-Pass-1234");
  const r = await page.request.get(`${wharf.url}/registries/review1/access-review/csv`);
  expect(r.status()).toBe(403);
  expect(await r.text()).toMatch(/role/i);
});
