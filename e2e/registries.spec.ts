import { expect, signIn, test, withWharf } from "./fixtures";
import { seedRegistries } from "./seed";

// Its own server, so the shared one keeps its empty state for the other tests.
test("the list shows each registry's name, login server, SKU, location and creation date", async ({ browser }) => {
  await withWharf(browser, async (wharf, context) => {
  const page = await context.newPage();
  await seedRegistries(wharf.dataDir, [
    { name: "contoso", sku: "Premium", location: "westeurope" },
    { name: "fabrikam", sku: "Basic" },
    { name: "northwind" },
  ]);
  await signIn(page, wharf.url);
  await expect(page.getByText("3 registries")).toBeVisible();
  const rows = page.getByRole("row");
  await expect(rows).toHaveCount(4); // header + 3
  const contoso = rows.filter({ hasText: "contoso" });
  await expect(contoso.getByRole("cell").nth(1)).toHaveText(wharf.host); // path-style login server
  await expect(contoso.getByText("Premium")).toBeVisible();
  await expect(contoso.getByText("westeurope")).toBeVisible();
  const year = String(new Date().getFullYear());
  await expect(contoso.getByRole("cell").nth(5)).toContainText(year);
  await expect(rows.filter({ hasText: "northwind" }).getByText("Standard")).toBeVisible();
  await expect(page.getByText("No registries yet")).toHaveCount(0);
  await page.screenshot({ path: "test-results/registries-list.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/registries-list-dark.png", fullPage: true });
  });
});

test("on a narrow screen the navigation folds into a menu button", async ({ browser, wharf }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: wharf.url });
  const page = await context.newPage();
  try {
    await signIn(page, wharf.url);
    const sidebar = page.getByRole("navigation", { name: "Main" });
    await expect(sidebar).toBeHidden();
    await page.screenshot({ path: "test-results/registries-narrow.png", fullPage: true });

    const menu = page.getByRole("button", { name: "Open menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await menu.click();
    await expect(page.getByRole("button", { name: "Close menu" })).toHaveAttribute("aria-expanded", "true");
    await expect(sidebar.getByRole("link", { name: "Registries" })).toBeVisible();
    await page.screenshot({ path: "test-results/registries-narrow-menu.png" });

    await page.keyboard.press("Escape");
    await expect(sidebar).toBeHidden();
    await expect(page.getByRole("button", { name: "Open menu" })).toBeFocused();
  } finally {
    await context.close();
  }
});
