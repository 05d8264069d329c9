import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { submitLogin } from "./fixtures";
import { DEMO_CACHE_RULE, DEMO_GROUP, DEMO_LEAVER, DEMO_REGISTRIES, DEMO_SERVICE_PRINCIPALS, DEMO_TOKENS, DEMO_USERS } from "../lib/services/demo/story";

/**
 * `npm run demo` from the outside: the script seeds its own data dir and serves; each demo user signs in and every
 * page they reach shows the story (never an empty state); the skopeo commands it printed work as printed.
 * The demo always runs on the embedded defaults, so the PostgreSQL + S3 phase has nothing more to show here.
 */
test.skip(!!process.env.WHARF_TEST_POSTGRES_URL, "the demo runs on the embedded defaults only");
test.describe.configure({ mode: "serial" });

const run = promisify(execFile);
const EMPTY = /No (registries|repositories|tags|tokens|webhooks|cache rules|activity|groups|access) yet|No registries you can use yet/;
let demo: ChildProcess;
let dataDir: string;
let banner = "";
let url = "";

/** Two free neighbouring ports: the demo serves on one and runs its webhook receiver on the next. */
async function freePortPair(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.createServer().once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await free(port)) && (await free(port + 1))) return port;
  }
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-demo-"));
  const port = await freePortPair();
  demo = spawn(process.execPath, ["scripts/demo.mjs", "--port", String(port), "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  demo.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    demo.stdout!.on("data", (d) => {
      output += d;
      // The banner ends with the line on rebuilding it.
      if (/Wharf demo is ready at/.test(output) && /Stop it with Ctrl-C\./.test(output)) resolve();
    });
    demo.once("exit", (code) => reject(new Error(`npm run demo stopped (exit ${code}):\n${output.slice(-4000)}`)));
  });
  banner = output;
  url = /Wharf demo is ready at (\S+)/.exec(banner)![1];
});

test.afterAll(async () => {
  if (demo && demo.exitCode === null) {
    demo.kill("SIGINT");
    await new Promise((r) => demo.once("exit", r));
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function signInAs(page: Page, who: { username: string; password: string }) {
  await page.goto(`${url}/login`);
  await submitLogin(page, who.username, who.password);
  await expect(page).toHaveURL(/\/registries$/);
}

/** Opens a page and checks it shows each of `texts` and no empty state. */
async function shows(page: Page, pathname: string, texts: (string | RegExp)[]) {
  await page.goto(`${url}${pathname}`);
  for (const t of texts) await expect(page.getByText(t).locator("visible=true").first(), `${pathname} shows ${t}`).toBeVisible();
  await expect(page.getByText(EMPTY), `${pathname} is not empty`).toHaveCount(0);
}

test("the banner names the sign-ins and commands, and says the week of history was played", async () => {
  for (const u of Object.values(DEMO_USERS)) expect(banner).toContain(`${u.username}`);
  expect(banner).toContain(DEMO_USERS.developer.password);
  expect(banner).toMatch(/docker login 127\.0\.0\.1:\d+ -u dev/);
  expect(banner).toMatch(/The last six days .*were played|Only today was played/);
});

test("the Owner sees every part of the story, page by page", async ({ page }) => {
  test.setTimeout(120_000);
  const prod = DEMO_REGISTRIES.prod.name;
  await signInAs(page, DEMO_USERS.owner);
  await shows(page, "/registries", [prod, DEMO_REGISTRIES.dev.name, DEMO_REGISTRIES.sandbox.name]);
  await shows(page, `/registries/${prod}`, [prod, "Premium"]);
  await shows(page, `/registries/${prod}/repositories`, ["shop/api", "shop/frontend", "release/payments", "mirror/runtime", "shop/web"]);
  await shows(page, `/registries/${prod}/repositories/shop/api`, ["1.6.0", "latest"]);
  await shows(page, `/registries/${prod}/repositories/shop/frontend`, ["1.0.0"]);
  await shows(page, `/registries/${prod}/tokens`, [DEMO_TOKENS.deploy, DEMO_TOKENS.legacy]);
  await shows(page, `/registries/${prod}/webhooks`, ["deploybot", "chatops"]);
  await shows(page, `/registries/${prod}/cache`, [DEMO_CACHE_RULE.name, DEMO_CACHE_RULE.targetRepo]);
  await shows(page, `/registries/${prod}/recycle-bin`, ["2.0.0-rc1"]);
  await shows(page, `/registries/${prod}/settings`, ["release/*"]);
  await shows(page, `/registries/${prod}/access`, [DEMO_SERVICE_PRINCIPALS.scanner]);
  await shows(page, `/registries/${prod}/activity`, [/manifest\.push|Push/]);
  await shows(page, "/activity", ["manifest.push", "pull", "signin", DEMO_SERVICE_PRINCIPALS.pipeline]);
  if (banner.includes("The last six days")) {
    // The history is in the log: the pushes of six days ago are reached by paging back.
    await page.goto(`${url}/activity?action=manifest.push`);
    for (let i = 0; i < 6 && !(await page.getByText("6 d ago").count()); i++) await page.getByRole("link", { name: "Older" }).click();
    await expect(page.getByText("6 d ago").first()).toBeVisible();
  }
  await shows(page, "/access/review", [DEMO_TOKENS.legacy, "Never used", DEMO_LEAVER.username]);
  // The token last used on the setup day, months back, is flagged as stale.
  if (banner.includes("The last six days")) await shows(page, "/access/review", [DEMO_TOKENS.stale, /Unused for 1[12]\d days/]);
  await shows(page, "/groups", [DEMO_GROUP.name]);
  await shows(page, "/users", [DEMO_USERS.lead.username, DEMO_USERS.developer.username]);
  await shows(page, "/service-principals", [DEMO_SERVICE_PRINCIPALS.pipeline, DEMO_SERVICE_PRINCIPALS.scanner]);
});

test("the team lead (Reader) sees every registry and the access review, and may not create a registry", async ({ page }) => {
  await signInAs(page, DEMO_USERS.lead);
  await shows(page, "/registries", [DEMO_REGISTRIES.prod.name, DEMO_REGISTRIES.dev.name, DEMO_REGISTRIES.sandbox.name]);
  await expect(page.getByRole("link", { name: "Create registry" })).toHaveCount(0);
  await shows(page, `/registries/${DEMO_REGISTRIES.prod.name}/access-review`, [DEMO_TOKENS.legacy, "Never used"]);
  await shows(page, `/registries/${DEMO_REGISTRIES.prod.name}/repositories`, ["shop/api"]);
});

test("the developer sees the one repository they may push, with its commands", async ({ page }) => {
  await signInAs(page, DEMO_USERS.developer);
  await shows(page, "/registries", ["Repositories you can use", "team/api"]);
  await shows(page, "/my-access", ["AcrPush", "team/api"]);
});

test("the skopeo commands the banner printed inspect the seeded images", async () => {
  const lines = banner.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("skopeo inspect "));
  expect(lines.length).toBeGreaterThanOrEqual(2);
  for (const line of lines) {
    const [cmd, ...args] = line.split(/\s+/);
    const { stdout } = await run(cmd, args, { env: { ...process.env, HOME: dataDir } });
    const info = JSON.parse(stdout) as { Digest: string; Layers: string[] };
    expect(info.Digest, line).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(info.Layers.length, line).toBeGreaterThan(0);
  }
});
