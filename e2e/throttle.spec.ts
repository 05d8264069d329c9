import { ADMIN_PASSWORD, expect, formAlert, submitLogin, test, withWharf } from "./fixtures";

// Its own server: the block would otherwise lock every other test out (all come from 127.0.0.1).
test("more than WHARF_LOGIN_MAX_FAILURES bad sign-ins in a minute block the address, even for the right password", async ({ browser }) => {
  await withWharf(browser, async (wharf, context) => {
    const page = await context.newPage();
    await page.goto(`${wharf.url}/login`);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await submitLogin(page, "admin", `wrong-${attempt}`);
      await expect(formAlert(page)).toHaveText("Invalid username or password");
    }
    await submitLogin(page, "admin", "wrong-6");
    const blocked = "Too many failed sign-in attempts from your address. Try again in 5 minutes.";
    await expect(formAlert(page)).toHaveText(blocked);
    await page.screenshot({ path: "test-results/login-throttled.png" });

    await submitLogin(page, "admin", ADMIN_PASSWORD);
    await expect(formAlert(page)).toHaveText(blocked);
    await expect(page).toHaveURL(/\/login$/);

    // The next-auth endpoint itself is throttled too, not just the form.
    const csrf = await (await page.request.get(`${wharf.url}/api/auth/csrf`)).json();
    const direct = await page.request.post(`${wharf.url}/api/auth/callback/credentials`, {
      form: { csrfToken: csrf.csrfToken, username: "admin", password: ADMIN_PASSWORD },
      maxRedirects: 0,
    });
    expect(direct.status()).toBe(302);
    expect(direct.headers()["location"]).toContain("code=throttled");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name.includes("session-token"))).toBeUndefined();
  });
});
