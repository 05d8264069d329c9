import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createRegistry } from "../lib/services/registries";
import { createServicePrincipal } from "../lib/services/service-principals";
import { createUser } from "../lib/services/users";
import { expect, signIn, test, withWharf } from "./fixtures";
import { withServerDb } from "./seed";

/**
 * Safe changes (issue 16): confirmations that name the effect, controls inert until
 * hydrated, whole-form validation, "Add my client IP", and deleting principals.
 */
test.describe.configure({ mode: "serial" });

const toast = (page: import("@playwright/test").Page, text: string) => page.getByTestId("toast").filter({ hasText: text });

test("role boxes are disabled until the page is hydrated, so an early click is refused visibly, never lost; removing a role asks and names who loses what", async ({ browser }) => {
  test.setTimeout(120_000);
  await withWharf(browser, async (wharf, context) => {
    await withServerDb(wharf.dataDir, async () => {
      await createRegistry(LOCAL_OPERATOR, { name: "safereg", sku: "Standard" });
      await createUser("bob", "bob-password-1");
      await createRoleAssignment(LOCAL_OPERATOR, { assignee: "bob", role: "AcrPull", scope: "/registries/safereg" });
    });
    const page = await context.newPage();
    await signIn(page, wharf.url);

    // A slow machine: the page's JavaScript is held back until the test lets it through.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Scripts only: a held stylesheet would also hold the server's HTML from showing.
    await page.route((url) => url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js"), async (route) => {
      await released;
      await route.fallback();
    });
    await page.goto("/registries/safereg/access", { waitUntil: "commit" });
    const push = page.getByLabel("AcrPush for bob");
    await expect(push).toBeVisible();
    await expect(push, "server HTML: no handler yet, so the box must not take clicks").toBeDisabled();
    release();
    await push.click();
    await expect(toast(page, "AcrPush assigned to bob.")).toBeVisible();
    await expect(push).toBeChecked();

    // Removing asks first; Escape cancels and leaves the role, focus back on the box.
    const pull = page.getByLabel("AcrPull for bob");
    await pull.click();
    const confirm = page.getByRole("dialog", { name: "Remove AcrPull from bob?" });
    await expect(confirm).toContainText("bob loses AcrPull on registry safereg (Pull images)");
    await page.keyboard.press("Escape");
    await expect(confirm).toBeHidden();
    await expect(pull).toBeChecked();
    await expect(pull).toBeFocused();
    await page.reload();
    await expect(page.getByLabel("AcrPull for bob")).toBeChecked();

    // Enter confirms.
    await page.getByLabel("AcrPull for bob").click();
    await expect(confirm).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(toast(page, "AcrPull removed from bob.")).toBeVisible();
    await expect(page.getByLabel("AcrPull for bob")).not.toBeChecked();
  });
});

test("users and service principals are deleted from the portal after a confirmation; your own account offers no Delete", async ({ browser }) => {
  test.setTimeout(120_000);
  await withWharf(browser, async (wharf, context) => {
    const sp = await withServerDb(wharf.dataDir, async () => {
      await createUser("carol", "carol-password-1");
      await createRoleAssignment(LOCAL_OPERATOR, { assignee: "carol", role: "Reader", scope: "/" });
      return createServicePrincipal(LOCAL_OPERATOR, { displayName: "old-bot" });
    });
    const page = await context.newPage();
    await signIn(page, wharf.url);
    await page.goto("/users");
    await expect(page.locator('tr[data-principal="admin"]').getByRole("button", { name: /Delete/ })).toHaveCount(0);
    await page.getByRole("button", { name: "Delete carol" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete user carol?" });
    await expect(confirm).toContainText("carol can no longer sign in to the portal or log in with docker, and loses every role assignment");
    await confirm.getByRole("button", { name: "Delete user" }).click();
    await expect(toast(page, "User carol deleted.")).toBeVisible();
    await expect(page.locator('tr[data-principal="carol"]')).toHaveCount(0);
    const basic = (u: string, p: string) => ({ Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
    expect((await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}`, { headers: basic("carol", "carol-password-1") })).status).toBe(401);

    await page.goto("/service-principals");
    expect((await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}`, { headers: basic(sp.clientId, sp.secret) })).status).toBe(200);
    await page.getByRole("button", { name: "Delete old-bot" }).click();
    await expect(page.getByRole("dialog", { name: "Delete service principal old-bot?" })).toContainText(`Everything that logs in as old-bot (client id ${sp.clientId}) is refused`);
    await page.keyboard.press("Enter");
    await expect(toast(page, "Service principal deleted.")).toBeVisible();
    await expect(page.locator('tr[data-principal="old-bot"]')).toHaveCount(0);
    expect((await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}`, { headers: basic(sp.clientId, sp.secret) })).status).toBe(401);
  });
});

test("networking: Add my client IP fills the spare row with the address the server sees; a blank row blocks nothing", async ({ browser }) => {
  test.setTimeout(120_000);
  await withWharf(browser, async (wharf, context) => {
    await withServerDb(wharf.dataDir, () => createRegistry(LOCAL_OPERATOR, { name: "netreg", sku: "Premium" }));
    const page = await context.newPage();
    await signIn(page, wharf.url);
    await page.goto("/registries/netreg/settings");
    await page.getByRole("radio", { name: /Selected networks/ }).check();
    // The browser reaches the server over loopback, so that is the address it sees.
    await page.getByRole("button", { name: "Add my client IP (127.0.0.1)" }).click();
    await expect(page.getByLabel("Address range 1", { exact: true })).toHaveValue("127.0.0.1");
    await expect(page.getByRole("button", { name: "Add my client IP (127.0.0.1)" })).toBeDisabled();
    await page.getByRole("button", { name: "Add address range" }).click(); // a spare blank row
    await page.getByRole("button", { name: "Save networking" }).click();
    await expect(toast(page, "Networking saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Address range 1", { exact: true })).toHaveValue("127.0.0.1/32");
    await expect(page.getByLabel("Address range 2", { exact: true })).toHaveCount(0);
  });
});

test("whole-form validation: the wizard shows an empty name once you move on, a blank rule row does not block Create; a scope map shows every error at once", async ({ browser }) => {
  test.setTimeout(120_000);
  await withWharf(browser, async (wharf, context) => {
    const page = await context.newPage();
    await signIn(page, wharf.url);
    await page.goto("/registries/new");
    await page.getByLabel("Resource group").fill("rg-safe");
    await page.getByRole("group", { name: "SKU" }).getByText("Premium", { exact: true }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("tab", { name: "Basics" })).toContainText("has problems");
    await page.getByRole("radio", { name: /Selected networks/ }).check();
    await expect(page.getByRole("button", { name: "Add my client IP (127.0.0.1)" })).toBeVisible();
    await page.getByLabel("Address range 1", { exact: true }).fill("10.0.0.0/8");
    await page.getByRole("button", { name: "Add address range" }).click();
    await page.getByRole("tab", { name: "Basics" }).click();
    await expect(page.locator("#registry-name-error")).toHaveText("Enter a registry name.");
    await page.getByLabel("Registry name").fill("SafeReg2");
    await expect(page.getByTestId("name-status")).toContainText("Available");
    await page.getByRole("button", { name: "Review + create" }).click();
    await expect(page.getByTestId("review-problems")).toHaveCount(0);
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page).toHaveURL(/\/registries\/safereg2$/);

    await page.goto("/registries/safereg2/scope-maps");
    await page.getByRole("link", { name: "Create scope map" }).click();
    await page.getByLabel("Name", { exact: true }).fill("ab");
    await page.getByLabel("Repository of row 1").fill("Bad Name");
    await page.getByRole("button", { name: "Create scope map" }).click();
    await expect(page.getByText("Use a lower-case repository name, prefix/*, or *.")).toBeVisible();
    await expect(page.getByText("Scope map names are 5–50 characters: letters, digits, '-' or '_'.")).toBeVisible();
  });
});
