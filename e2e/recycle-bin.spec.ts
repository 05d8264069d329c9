import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { Skopeo } from "./skopeo-client";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import type { Desc } from "../test/helpers/oci-layout";

/**
 * The Recycle bin tab against images pushed and deleted with skopeo and in the portal: turn soft delete on in
 * Settings, delete, find the manifest in the bin, restore it (also over a tag that moved), delete one for good.
 */
test.describe.configure({ mode: "serial" });

let skopeo: Skopeo;
let wharf: Wharf;
const images: Record<string, Desc> = {};
const creds = `admin:${ADMIN_PASSWORD}`;
const ref = (image: string) => `docker://${wharf.host}/binreg/${image}`;
const digestOf = async (image: string) => JSON.parse(await skopeo.run("inspect", "--creds", creds, "--tls-verify=false", ref(image))).Digest as string;
const short = (d: string) => d.slice(0, 19);

test.beforeAll(async () => {
  // Its own server: the worker's shared one must keep its empty state for other files.
  wharf = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
  skopeo = new Skopeo();
  await createRegistryRow(wharf, "binreg");
  for (const name of ["v1", "keep", "c1", "c1new", "x"]) images[name] = skopeo.layout.image({ fileContent: `${name} ${Date.now()} ${Math.random()}\n` });
  await skopeo.push(wharf.host, "binreg/app", { v1: images.v1, keep: images.keep, c1: images.c1 }, creds);
  await skopeo.push(wharf.host, "binreg/other", { x: images.x }, creds);
});

test.afterAll(async () => {
  skopeo?.cleanup();
  await discardWharf(wharf);
});

test("the bin says soft delete is off and where to turn it on; Settings turns it on", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/binreg`);
  await page.getByRole("link", { name: "Recycle bin" }).click();
  await expect(page.getByRole("heading", { name: "Soft delete is off" })).toBeVisible();
  await page.getByRole("link", { name: "Settings → Soft delete" }).click();
  await expect(page).toHaveURL(/\/settings#soft-delete$/);
  const card = page.locator("#soft-delete");
  await card.getByLabel("Days in the recycle bin").fill("0");
  await expect(card.getByText("Enter a whole number of days from 1 to 90.")).toBeVisible();
  await expect(card.getByRole("button", { name: "Save soft delete" })).toBeDisabled();
  await card.getByLabel("Days in the recycle bin").fill("3");
  await card.getByRole("switch").click();
  await card.getByRole("button", { name: "Save soft delete" }).click();
  await expect(page.getByText("Soft delete on: deleted manifests are kept 3 days.")).toBeVisible();
  await page.screenshot({ path: "test-results/recycle-bin-settings.png", fullPage: true });
  await page.goto(`${wharf.url}/registries/binreg/recycle-bin`);
  await expect(page.getByRole("heading", { name: "The recycle bin is empty" })).toBeVisible();
  await expect(page.getByText("Soft delete is on: deleted manifests stay here 3 days")).toBeVisible();
});

test("a manifest deleted in the portal is in the bin with its tag, and Restore brings it back for skopeo", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/binreg/repositories/app/-/manifests/v1`);
  await page.getByRole("button", { name: "Delete manifest" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete manifest" }).click();
  await expect.poll(() => digestOf("app:v1").catch((e: Error) => e.message)).toMatch(/manifest unknown/i);

  await page.goto(`${wharf.url}/registries/binreg/recycle-bin`);
  const row = page.getByRole("row").filter({ hasText: short(images.v1.digest) });
  await expect(row).toContainText("app");
  await expect(row).toContainText("v1");
  await expect(row).toContainText("admin");
  await expect(row).toContainText(/in (3 d|7\d h)/);
  await page.screenshot({ path: "test-results/recycle-bin-list.png", fullPage: true });

  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Restore", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Restore 1 manifest?")).toBeVisible();
  await dialog.getByRole("button", { name: "Restore", exact: true }).click();
  await expect(page.getByText("Restored 1 manifest.")).toBeVisible();
  await expect(row).toHaveCount(0);
  expect(await digestOf("app:v1")).toBe(images.v1.digest);
});

test("a restore over a tag that moved names the tag and offers to move it back", async ({ page }) => {
  await skopeo.run("delete", "--creds", creds, "--tls-verify=false", ref("app:c1"));
  await skopeo.push(wharf.host, "binreg/app", { c1: images.c1new }, creds);
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/binreg/recycle-bin`);
  const row = page.getByRole("row").filter({ hasText: short(images.c1.digest) });
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Restore", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Restore", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText(`Tag 'c1' of binreg/app now points at ${images.c1new.digest}`);
  await page.screenshot({ path: "test-results/recycle-bin-conflict.png" });
  expect(await digestOf("app:c1")).toBe(images.c1new.digest);
  await dialog.getByRole("button", { name: "Restore and move the tag" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  expect(await digestOf("app:c1")).toBe(images.c1.digest);
});

test("filter by repository, then Delete now removes entries for good", async ({ page }) => {
  await skopeo.run("delete", "--creds", creds, "--tls-verify=false", ref("app:keep"));
  await skopeo.run("delete", "--creds", creds, "--tls-verify=false", ref("other:x"));
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/binreg/recycle-bin`);
  await expect(page.getByText("2 deleted manifests.")).toBeVisible();
  await page.getByLabel("Filter by repository").fill("other");
  await page.getByLabel("Filter by repository").press("Enter");
  await expect(page).toHaveURL(/repository=other/);
  await expect(page.getByRole("row").filter({ hasText: short(images.x.digest) })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: short(images.keep.digest) })).toHaveCount(0);

  await page.goto(`${wharf.url}/registries/binreg/recycle-bin`);
  await page.getByRole("checkbox", { name: "Select all" }).check();
  await page.getByRole("button", { name: "Delete now" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Delete 2 manifests for good?")).toBeVisible();
  await dialog.getByRole("button", { name: "Delete now" }).click();
  await expect(page.getByText("Deleted 2 manifests for good; garbage collection frees their space.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "The recycle bin is empty" })).toBeVisible();
  await expect.poll(() => digestOf("app:keep").catch((e: Error) => e.message)).toMatch(/manifest unknown/i);
});
