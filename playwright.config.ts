import { defineConfig } from "@playwright/test";

/**
 * Portal end-to-end tests: Debian's Chromium (Playwright's own browser downloads are
 * not available here) against the real built server, which each test file starts
 * itself on a free port with a temporary data dir (see e2e/fixtures.ts).
 * Run `node scripts/build.mjs` first.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  reporter: "list",
  // Each worker runs its own server; two keep the suite quick on a 2-core CI box.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: "light",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
