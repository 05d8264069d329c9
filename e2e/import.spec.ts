import fs from "node:fs";
import { expect, signIn, test } from "./fixtures";
import { startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import { withServerDb } from "./seed";
import { db } from "../lib/core/db";
import { createUser } from "../lib/services/users";
import { pushTestImage, startDockerRegistry, type DockerRegistry, type Pushed } from "../test/helpers/upstreams";

/**
 * The Import dialog on the Repositories page against a real Distribution with htpasswd: errors stay in the dialog,
 * then an import with credentials runs with its progress bar to the end and the tag is in the repository browser
 * under the source's digest. This file starts its own Wharf: WHARF_INSECURE_REGISTRIES must name the upstream,
 * and the shared e2e server stays free of upstreams.
 */
test.describe.configure({ mode: "serial" });

const USER = { username: "puller", password: "right-Pass-1" };
let upstream: DockerRegistry;
let wharf: Wharf;
let img: Pushed;

test.beforeAll(async () => {
  upstream = await startDockerRegistry({ htpasswd: USER });
  img = await pushTestImage(upstream.host, "team/app", "v1", { ...USER, layers: 2, layerSize: 2 << 20 });
  wharf = await startWharf({ env: { WHARF_INSECURE_REGISTRIES: upstream.host } });
  await createRegistryRow(wharf, "contoso");
});

test.afterAll(async () => {
  await Promise.all([upstream?.stop(), wharf?.stop()]);
  if (wharf) fs.rmSync(wharf.dataDir, { recursive: true, force: true });
});

test("import through the dialog: errors say what to do, then the progress bar runs to the imported tag", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories`);
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import an image" });
  await expect(dialog).toBeVisible();
  const source = dialog.getByLabel("Source image");
  await expect(source).toBeFocused();

  // Esc closes; the button opens it again.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Import…" }).click();
  await expect(source).toBeFocused();

  // The target defaults from the source.
  await source.fill(`${upstream.host}/team/app:v1`);
  const targets = dialog.getByLabel("Target image(s)");
  await expect(targets).toHaveValue("team/app:v1");

  // Anonymous: the upstream refuses, and the message says what to do; nothing is queued.
  await source.press("Enter");
  await expect(dialog.getByRole("alert")).toContainText(upstream.host);
  await expect(dialog.getByRole("alert")).toContainText(/credentials|username|password|log in|sign in/i);

  // A bad source reference is a field error under the source.
  await source.fill("not a reference");
  await source.press("Enter");
  await expect(dialog.getByText(/is not an image reference/)).toBeVisible();

  // The real import, to a target of our own, with the upstream's credentials; Enter submits.
  await source.fill(`${upstream.host}/team/app:v1`);
  await targets.fill("imported/app:v1");
  await dialog.getByLabel("Username (optional)").fill(USER.username);
  const password = dialog.getByLabel("Password or token (optional)");
  await password.fill(USER.password);
  await password.press("Enter");

  const progress = dialog.getByTestId("import-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(dialog.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(dialog.getByTestId("import-figures")).toContainText(`${img.blobs.length} of ${img.blobs.length} layers`);
  await expect(dialog.getByText(img.digest)).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Done" })).toBeFocused();

  // The recent imports list has it, then the link leads to the tag, under the source's digest.
  const row = page.getByTestId("import-row").filter({ hasText: "imported/app:v1" });
  await expect(row).toContainText("succeeded");
  await dialog.getByRole("link", { name: "imported/app:v1" }).click();
  await expect(page).toHaveURL(/\/registries\/contoso\/repositories\/imported\/app$/);
  await expect(page.getByRole("link", { name: "v1", exact: true }).or(page.getByText("v1", { exact: true })).first()).toBeVisible();
  await expect(page.locator(`a[title="${img.digest}"]`)).toBeVisible();
});

test("the tag already exists: refused without overwrite, imported with it", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories`);
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import an image" });
  await dialog.getByLabel("Source image").fill(`${upstream.host}/team/app:v1`);
  await dialog.getByLabel("Target image(s)").fill("imported/app:v1");
  await dialog.getByLabel("Username (optional)").fill(USER.username);
  await dialog.getByLabel("Password or token (optional)").fill(USER.password);
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(dialog.getByText(/already exists; pass --force/)).toBeVisible();
  await dialog.getByLabel("Overwrite existing tags").check();
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(dialog.getByTestId("import-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
});

test("a caller who may push nowhere in the registry sees Import disabled, with the reason", async ({ page }) => {
  await withServerDb(wharf.dataDir, async () => {
    const u = await createUser("reader1", "reader-Pass-1");
    await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "Reader", scope: "/registries/contoso" } });
  });
  await signIn(page, wharf.url, "reader1", "reader-Pass-1");
  await page.goto(`${wharf.url}/registries/contoso/repositories`);
  await expect(page.getByRole("button", { name: "Import…" })).toBeDisabled();
  await expect(page.locator("[data-disabled-reason]").filter({ has: page.getByRole("button", { name: "Import…" }) })).toHaveAttribute("title", /Importing needs push .* on registry contoso/);
  // Readers still see what was imported.
  await expect(page.getByTestId("import-row").first()).toBeVisible();
});
