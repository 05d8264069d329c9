import fs from "node:fs";
import { expect, test as base, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, startWharf, type Wharf } from "../test/helpers/wharf";

export { expect, ADMIN_PASSWORD };

/**
 * `wharf`: one real server per worker, shared by that worker's tests (tests that
 * trip the sign-in throttle or restart the server start their own with
 * withWharf). `baseURL` points at it so tests can use relative URLs.
 */
export const test = base.extend<object, { wharf: Wharf }>({
  wharf: [
    async ({}, use) => {
      const wharf = await startWharf();
      await use(wharf);
      await wharf.stop();
      fs.rmSync(wharf.dataDir, { recursive: true, force: true });
    },
    { scope: "worker", timeout: 90_000 },
  ],
  baseURL: async ({ wharf }, use) => {
    await use(wharf.url);
  },
});

/**
 * A private server and browser context for one test. The context is closed before
 * the server stops: Chromium keeps pre-opened sockets that would otherwise hold
 * the server's graceful shutdown open until Node's headers timeout.
 */
export async function withWharf<T>(browser: Browser, fn: (wharf: Wharf, context: BrowserContext) => Promise<T>): Promise<T> {
  const wharf = await startWharf();
  const context = await browser.newContext({ baseURL: wharf.url });
  try {
    return await fn(wharf, context);
  } finally {
    await context.close();
    await wharf.stop();
    fs.rmSync(wharf.dataDir, { recursive: true, force: true });
  }
}

/** The sign-in form's message (Next also renders an empty role=alert route announcer). */
export function formAlert(page: Page): Locator {
  return page.locator("form").getByRole("alert");
}

/** Fills and submits the sign-in form and waits for the server's answer. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

export async function signIn(page: Page, baseUrl: string, username = "admin", password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await submitLogin(page, username, password);
  await expect(page).toHaveURL(/\/registries$/);
}

/**
 * Holds the page's next server-action request (a POST with a `Next-Action` header)
 * until the returned function is called, so a test can look at the page while the
 * action runs. The request itself is real and reaches the server once released.
 */
export async function holdNextServerAction(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let armed = true;
  await page.route("**/*", async (route) => {
    const request = route.request();
    if (armed && request.method() === "POST" && request.headers()["next-action"]) {
      armed = false;
      await released;
    }
    await route.fallback();
  });
  return release;
}
