import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { updateRegistry } from "../lib/services/registry-settings";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createRegistry } from "../lib/services/registries";
import { createUser } from "../lib/services/users";
import { runCli } from "../test/helpers/wharf";
import { expect, holdNextServerAction, signIn, test, withWharf } from "./fixtures";
import { withServerDb } from "./seed";
import { skopeoKit } from "./skopeo";

test("anonymous pull: switched on in the portal skopeo pulls without credentials, switched off it cannot; a change made outside the portal shows there", async ({ browser }) => {
  // Its own server (the shared one keeps its empty state for the sign-in tests); a long walk through, so a longer budget.
  test.setTimeout(180_000);
  await withWharf(browser, async (wharf, context) => {
  const page = await context.newPage();
  const kit = skopeoKit();
  try {
    await withServerDb(wharf.dataDir, () => createRegistry(LOCAL_OPERATOR, { name: "anonreg", sku: "Standard" }));
    const ref = `${wharf.host}/anonreg/hello:v1`;
    await kit.push(ref);
    expect((await kit.inspectAnonymously(ref)).ok).toBe(false);

    await signIn(page, wharf.url);
    await page.goto("/registries/anonreg/settings");
    const toggle = page.getByRole("switch", { name: "Allow anonymous pull" });
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await expect(page.getByText("Repository-scoped tokens then add nothing for pull")).toBeVisible();
    // Turning it on asks first and names the effect; Escape cancels and changes nothing, focus back on the switch.
    await toggle.click();
    const confirm = page.getByRole("dialog", { name: "Allow anonymous pull?" });
    await expect(confirm).toContainText(`Anyone who can reach ${wharf.host} can pull every repository of anonreg without credentials.`);
    await page.keyboard.press("Escape");
    await expect(confirm).toBeHidden();
    await expect(toggle).toBeFocused();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    // Enter confirms.
    await toggle.click();
    await expect(confirm).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("toast").filter({ hasText: "Anonymous pull enabled." })).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await page.screenshot({ path: "test-results/settings-anonymous-pull-on.png", fullPage: true });

    const on = await kit.inspectAnonymously(ref);
    expect(on.ok, on.output).toBe(true);
    expect(JSON.parse(on.output).Architecture).toBe("amd64");

    await toggle.click();
    await expect(page.getByTestId("toast").filter({ hasText: "Anonymous pull disabled." })).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    expect((await kit.inspectAnonymously(ref)).ok).toBe(false);

    // The same switch from the CLI shows in the portal.
    const cli = await runCli(wharf, ["registry", "update", "--name", "anonreg", "--anonymous-pull-enabled", "true"]);
    expect(cli.code, cli.stderr).toBe(0);
    await page.reload();
    await expect(page.getByRole("switch", { name: "Allow anonymous pull" })).toHaveAttribute("aria-checked", "true");
    await page.goto("/registries/anonreg");
    await expect(page.getByText("Anonymous pull", { exact: true }).first().locator("..")).toContainText("Enabled");
    expect((await kit.inspectAnonymously(ref)).ok).toBe(true);
  } finally {
    kit.cleanup();
  }
  });
});

test("on Basic the anonymous-pull switch is disabled with the reason, and a SKU change that would drop a used feature is refused", async ({ browser }) => {
  // Its own server (the shared one keeps its empty state for the sign-in tests); a long walk through, so a longer budget.
  test.setTimeout(180_000);
  await withWharf(browser, async (wharf, context) => {
  const page = await context.newPage();
  await withServerDb(wharf.dataDir, async () => {
    await createRegistry(LOCAL_OPERATOR, { name: "basicreg", sku: "Basic" });
    await createRegistry(LOCAL_OPERATOR, { name: "premreg", sku: "Premium" });
    await updateRegistry(LOCAL_OPERATOR, "premreg", { networkDefaultAction: "Deny", networkRules: ["10.0.0.0/8"] });
  });
  await signIn(page, wharf.url);
  await page.goto("/registries/basicreg/settings");
  const toggle = page.getByRole("switch", { name: "Allow anonymous pull" });
  await expect(toggle).toBeDisabled();
  await expect(page.locator("[data-disabled-reason]").first()).toHaveAttribute("data-disabled-reason", /Anonymous pull needs the Standard or Premium SKU; basicreg is Basic/);
  await expect(page.getByRole("radio", { name: /Selected networks/ })).toBeDisabled();

  await page.goto("/registries/premreg/settings");
  await page.getByLabel("SKU", { exact: true }).selectOption("Standard");
  await page.getByRole("button", { name: "Change SKU" }).click();
  await expect(page.locator("#sku-select-error")).toContainText("Cannot change registry premreg to Standard: network rules restrict public access (Premium)");
  await page.screenshot({ path: "test-results/settings-sku-refused.png", fullPage: true });

  // Allow all networks, then the same change goes through.
  await page.getByRole("radio", { name: /All networks/ }).check();
  await page.getByRole("button", { name: "Save networking" }).click();
  // Widening access asks first, naming what stops applying.
  const widen = page.getByRole("dialog", { name: "Allow access from all networks?" });
  await expect(widen).toContainText("Any address that can reach");
  await widen.getByRole("button", { name: "Allow all networks" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Networking saved." })).toBeVisible();
  await page.getByLabel("SKU", { exact: true }).selectOption("Standard");
  await page.getByRole("button", { name: "Change SKU" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "premreg is now Standard." })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "premreg" }).locator("..")).toContainText("Standard");
  });
});

test("admin user passwords are shown once; tags and networking are edited with validation; delete needs the name typed", async ({ browser }) => {
  // Its own server (the shared one keeps its empty state for the sign-in tests); a long walk through, so a longer budget.
  test.setTimeout(180_000);
  await withWharf(browser, async (wharf, context) => {
  const page = await context.newPage();
  await withServerDb(wharf.dataDir, () => createRegistry(LOCAL_OPERATOR, { name: "settingsreg", sku: "Premium" }));
  await signIn(page, wharf.url);
  await page.goto("/registries/settingsreg/settings");

  await page.getByRole("switch", { name: "Enable admin user" }).click();
  await expect(page.getByText("Copy the new password now")).toBeVisible();
  const p1 = await page.getByTestId("shown-password1").textContent();
  expect(p1?.length).toBeGreaterThan(20);
  await page.getByRole("button", { name: "Regenerate password 2" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Password 2 regenerated." })).toBeVisible();
  await expect(page.getByTestId("shown-password1")).toHaveCount(0);
  await expect(page.getByTestId("shown-password2")).toBeVisible();
  // The generated password really logs in (docker login's token request).
  const tokenRes = await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}&scope=repository:settingsreg/x:pull`, {
    headers: { authorization: "Basic " + Buffer.from(`settingsreg:${await page.getByTestId("shown-password2").textContent()}`).toString("base64") },
  });
  expect(tokenRes.status).toBe(200);

  // Networking: bad rows are refused with a message per row.
  await page.getByRole("radio", { name: /Selected networks/ }).check();
  await page.getByLabel("Address range 1", { exact: true }).fill("300.1.1.1");
  await expect(page.getByText("Rule 1: '300.1.1.1' is not an IPv4 or IPv6 address or CIDR range")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save networking" })).toBeDisabled();
  await page.getByLabel("Address range 1", { exact: true }).fill("192.0.2.0/24");
  await page.getByRole("button", { name: "Save networking" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Networking saved." })).toBeVisible();

  // Tags.
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByLabel("Tag 1 name", { exact: true }).fill("owner");
  await page.getByLabel("Tag 1 value", { exact: true }).fill("platform");
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByLabel("Tag 2 name", { exact: true }).fill("Owner");
  await expect(page.getByText("Tag 2: Tag name 'Owner' is used twice (names ignore case).")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save tags" })).toBeDisabled();
  await page.getByRole("button", { name: "Remove tag 2" }).click();
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Tags saved." })).toBeVisible();
  await page.screenshot({ path: "test-results/settings-admin.png", fullPage: true });
  await page.goto("/registries/settingsreg");
  await expect(page.getByTestId("overview-tags")).toContainText("platform");
  await expect(page.getByText("Selected networks")).toBeVisible();

  // Delete.
  await page.goto("/registries/settingsreg/settings");
  const del = page.getByRole("button", { name: "Delete registry" });
  await expect(del).toBeDisabled();
  await page.getByLabel("Type settingsreg to confirm").fill("settingsre");
  await expect(del).toBeDisabled();
  await page.getByLabel("Type settingsreg to confirm").fill("settingsreg");
  await del.click();
  await expect(page).toHaveURL(/\/registries$/);
  await expect(page.getByTestId("toast")).toContainText("Deleted registry settingsreg");
  await expect(page.getByRole("row").filter({ hasText: "settingsreg" })).toHaveCount(0);
  await page.goto("/registries/settingsreg");
  await expect(page.getByText("Page not found")).toBeVisible();
  });
});

test("a Reader sees settings with every control disabled and why; registries they cannot read are neither listed nor reachable", async ({ browser }) => {
  test.setTimeout(180_000);
  await withWharf(browser, async (wharf, context) => {
  await withServerDb(wharf.dataDir, async () => {
    await createRegistry(LOCAL_OPERATOR, { name: "readable1", sku: "Standard" });
    await createRegistry(LOCAL_OPERATOR, { name: "hiddenreg1", sku: "Standard" });
    await createUser("reader1", "reader-Pass1");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "reader1", role: "Reader", scope: "/registries/readable1" });
  });
  const page = await context.newPage();
  {
    await signIn(page, wharf.url, "reader1", "reader-Pass1");
    await expect(page.getByRole("row").filter({ hasText: "readable1" })).toHaveCount(1);
    await expect(page.getByText("hiddenreg1")).toHaveCount(0);
    // The same page as for a registry that does not exist (no name, no settings leak).
    // Answered 404 like a registry that does not exist, status included.
    expect((await page.goto("/registries/hiddenreg1/settings"))?.status()).toBe(404);
    await expect(page.getByText("Page not found")).toBeVisible();
    await expect(page.getByText("hiddenreg1")).toHaveCount(0);
    expect((await page.goto("/registries/hiddenreg1"))?.status()).toBe(404);
    await expect(page.getByText("Page not found")).toBeVisible();
    expect((await page.goto("/registries/nosuchregistry1"))?.status()).toBe(404);

    await page.goto("/registries/readable1/settings");
    await expect(page.getByText("You can view these settings but not change them")).toBeVisible();
    for (const name of ["Allow anonymous pull", "Enable admin user"]) await expect(page.getByRole("switch", { name })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Change SKU" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Save networking" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Add tag" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Delete registry" })).toBeDisabled();
    await expect(page.getByLabel("Type readable1 to confirm")).toBeDisabled();
    const reasons = page.locator("[data-disabled-reason]");
    expect(await reasons.count()).toBeGreaterThanOrEqual(5);
    await expect(reasons.first()).toHaveAttribute("data-disabled-reason", /You need one of the roles .*Owner.* to change policies/);
    // The reason also shows as a tooltip bubble.
    await reasons.first().hover();
    await expect(page.getByRole("tooltip").first()).toBeVisible();
    await page.screenshot({ path: "test-results/settings-reader.png", fullPage: true });
  }
  });
});

test("a save button is busy and disabled while its action runs; a refusal no field owns arrives as a toast and the edits stay", async ({ browser }) => {
  test.setTimeout(180_000);
  await withWharf(browser, async (wharf, context) => {
    await withServerDb(wharf.dataDir, () => createRegistry(LOCAL_OPERATOR, { name: "pendingreg", sku: "Standard" }));
    const page = await context.newPage();
    await signIn(page, wharf.url);
    await page.goto("/registries/pendingreg/settings");
    const save = page.getByRole("button", { name: "Save tags" });

    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 name", { exact: true }).fill("owner");
    await page.getByLabel("Tag 1 value", { exact: true }).fill("platform");
    const release = await holdNextServerAction(page);
    await save.click();
    await expect(save).toHaveAttribute("aria-busy", "true");
    await expect(save).toBeDisabled();
    release();
    await expect(page.getByTestId("toast").filter({ hasText: "Tags saved." })).toBeVisible();
    await expect(save).not.toHaveAttribute("aria-busy");

    // The registry goes away behind the page's back: the refusal belongs to no field, so it is a toast, and nothing typed is lost.
    const cli = await runCli(wharf, ["registry", "delete", "--name", "pendingreg", "--yes"]);
    expect(cli.code, cli.stderr).toBe(0);
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 2 name", { exact: true }).fill("team");
    await save.click();
    const refusal = page.getByTestId("toast").filter({ hasText: "Registry 'pendingreg' not found." });
    await expect(refusal).toBeVisible();
    await expect(refusal).toHaveAttribute("role", "alert");
    await expect(page.getByLabel("Tag 2 name", { exact: true })).toHaveValue("team");
    await expect(save).toBeEnabled();
  });
});
