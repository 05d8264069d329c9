import { ADMIN_PASSWORD, expect, formAlert, signIn, submitLogin, test } from "./fixtures";

test.describe("signed out", () => {
  test("/ and portal pages send you to the sign-in page, with a way back", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Sign in to Wharf" })).toBeVisible();

    await page.goto("/registries/new");
    const url = new URL(page.url());
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("callbackUrl")).toBe("/registries/new");
  });

  test("a wrong password or an unknown user gets the same message", async ({ page }) => {
    await page.goto("/login");
    await submitLogin(page, "admin", "not-the-password");
    await expect(formAlert(page)).toHaveText("Invalid username or password");
    await expect(page).toHaveURL(/\/login$/);
    // The username stays, the password is cleared and focused for the next try.
    await expect(page.getByLabel("Username")).toHaveValue("admin");
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page.getByLabel("Password")).toBeFocused();

    await submitLogin(page, "nobody", "whatever-1");
    await expect(formAlert(page)).toHaveText("Invalid username or password");
  });

  test("empty fields are pointed out next to the field", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your username.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
  });
});

test.describe("signed in", () => {
  test("admin lands on Registries with the empty state; screenshot", async ({ page, wharf }) => {
    await page.goto("/login");
    await page.screenshot({ path: "test-results/login.png" });
    // Keyboard only: type, Tab, type, Enter.
    await page.getByLabel("Username").fill("admin");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Password")).toBeFocused();
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(`${wharf.url}/registries`);
    await expect(page.getByRole("heading", { level: 1, name: "Registries" })).toBeVisible();
    await expect(page.getByText("No registries yet")).toBeVisible();
    await expect(page.getByText("wharf registry create --name contoso")).toBeVisible();
    await expect(page.getByRole("banner").getByText("admin", { exact: true })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Registries" })).toHaveAttribute("aria-current", "page");
    await page.screenshot({ path: "test-results/registries.png", fullPage: true });

    // Signed in, / and /login both go to Registries.
    await page.goto("/");
    await expect(page).toHaveURL(/\/registries$/);
    await page.goto("/login");
    await expect(page).toHaveURL(/\/registries$/);
  });

  test("Create registry leads to the wizard", async ({ page, wharf }) => {
    await signIn(page, wharf.url);
    await page.getByRole("link", { name: "Create registry" }).click();
    await expect(page).toHaveURL(/\/registries\/new$/);
    await expect(page.getByRole("heading", { level: 1, name: "Create registry" })).toBeVisible();
    await expect(page.getByRole("tab", { name: "Basics" })).toHaveAttribute("aria-selected", "true");
    await page.getByRole("link", { name: "Registries" }).first().click();
    await expect(page).toHaveURL(/\/registries$/);
  });

  test("after signing in you return to the page you asked for", async ({ page }) => {
    await page.goto("/registries/new");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fregistries%2Fnew$/);
    await submitLogin(page, "admin", ADMIN_PASSWORD);
    await expect(page).toHaveURL(/\/registries\/new$/);
  });

  test("a callbackUrl to another site is ignored", async ({ page }) => {
    await page.goto("/login?callbackUrl=https%3A%2F%2Fexample.com%2F");
    await submitLogin(page, "admin", ADMIN_PASSWORD);
    await expect(page).toHaveURL(/\/registries$/);
  });

  test("sign out returns to the sign-in page and ends the session", async ({ page, wharf }) => {
    await signIn(page, wharf.url);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/registries");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fregistries$/);
  });
});
