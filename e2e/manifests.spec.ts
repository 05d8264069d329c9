import type { Page } from "@playwright/test";
import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { withServerDb } from "./seed";
import { Skopeo } from "./skopeo-client";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { api, createRegistryRow, pushPull, token } from "../test/helpers/registry-fixtures";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { setLocks } from "../lib/services/locks";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { createUser } from "../lib/services/users";

/**
 * The repository page's Manifests view (untagged manifests, multi-select delete), Delete repository, and the
 * registry overview's garbage-collection panel, against images pushed with skopeo. Each test pushes into its own
 * repository (the GC test into its own registry), so any one can run alone.
 */

let skopeo: Skopeo;
let wharf: Wharf;
const creds = `admin:${ADMIN_PASSWORD}`;
const REGISTRY = "manifestsreg";

test.beforeAll(async () => {
  // Its own server: collection frees at once (no grace period) and runs only on request, so the panel's numbers
  // change only when the test says "Run now".
  wharf = await startWharf({ env: { WHARF_GC_GRACE_SECONDS: "0", WHARF_GC_INTERVAL_SECONDS: "0" } });
  skopeo = new Skopeo();
  await createRegistryRow(wharf, REGISTRY);
});

test.afterAll(async () => {
  skopeo?.cleanup();
  await discardWharf(wharf);
});

const image = (text: string) => skopeo.layout.image({ fileContent: `${text} ${Math.random()}\n` });
const row = (page: Page, digest: string) => page.locator(`tr[data-digest="${digest}"]`);

test("an untagged manifest is listed in the Manifests view with an untagged badge, and the view survives a reload", async ({ page }) => {
  const old = image("old");
  const current = image("current");
  await skopeo.push(wharf.host, `${REGISTRY}/retag`, { v1: old }, creds);
  // Pushing v1 again over another image leaves the first one untagged.
  await skopeo.push(wharf.host, `${REGISTRY}/retag`, { v1: current }, creds);

  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/${REGISTRY}/repositories/retag`);
  await expect(page.getByRole("tab", { name: /Tags/ })).toHaveAttribute("aria-selected", "true");
  // Keyboard: the arrow key moves to the Manifests tab and opens it.
  await page.getByRole("tab", { name: /Tags/ }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(/view=manifests/);
  await expect(page.getByRole("tab", { name: /Manifests/ })).toHaveAttribute("aria-selected", "true");

  await expect(row(page, old.digest).getByText("untagged", { exact: true })).toBeVisible();
  await expect(row(page, current.digest).getByText("v1", { exact: true })).toBeVisible();
  await expect(row(page, current.digest).getByText("untagged", { exact: true })).toHaveCount(0);
  await expect(row(page, old.digest)).toContainText(old.digest.slice(0, 19));

  await page.getByLabel("Show", { exact: true }).selectOption("untagged");
  await expect(row(page, current.digest)).toHaveCount(0);
  await expect(row(page, old.digest)).toBeVisible();
  await expect(page).toHaveURL(/show=untagged/);
  await page.reload();
  await expect(page.getByLabel("Show", { exact: true })).toHaveValue("untagged");
  await expect(row(page, old.digest)).toBeVisible();
  await expect(row(page, current.digest)).toHaveCount(0);
  await page.screenshot({ path: "test-results/manifests-untagged.png", fullPage: true });
});

test("multi-select delete removes two manifests and reports the one locked after the page loaded", async ({ page }) => {
  const a = image("a");
  const b = image("b");
  const locked = image("locked");
  await skopeo.push(wharf.host, `${REGISTRY}/multi`, { a, b, keep: locked }, creds);

  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/${REGISTRY}/repositories/multi?view=manifests`);
  await expect(page.getByRole("button", { name: "Delete manifests", exact: true })).toBeDisabled();
  // Locked while the page is open: its tick box is still there, and the engine refuses it.
  await withServerDb(wharf.dataDir, () => setLocks(LOCAL_OPERATOR, { registry: REGISTRY, repository: "multi", digest: locked.digest }, { deleteEnabled: false }));
  await row(page, a.digest).getByRole("checkbox").check();
  await row(page, b.digest).getByRole("checkbox").check();
  await row(page, locked.digest).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete 3 manifests" }).click();

  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Delete 3 manifests?" })).toBeVisible();
  const listed = dialog.getByRole("list", { name: "Manifests to delete" });
  await expect(listed.getByRole("listitem")).toHaveCount(3);
  await expect(dialog.getByText("Their tags go with them")).toContainText("keep");
  await expect(dialog.getByText("no recycle bin")).toBeVisible();
  await page.screenshot({ path: "test-results/manifests-delete-dialog.png" });
  await dialog.getByRole("button", { name: "Delete 3 manifests" }).click();

  await expect(dialog.getByRole("heading", { name: "Some manifests were not deleted" })).toBeVisible();
  await expect(dialog.getByTestId("delete-failures")).toContainText(locked.digest.slice(0, 19));
  await expect(dialog.getByTestId("delete-failures")).toContainText(/locked/i);
  await expect(row(page, a.digest)).toHaveCount(0);
  await expect(row(page, b.digest)).toHaveCount(0);
  await page.screenshot({ path: "test-results/manifests-delete-failures.png" });
  await dialog.getByRole("button", { name: "Done" }).click();
  // Loaded again, the locked manifest offers no tick box that would fail, and says why.
  await page.reload();
  await expect(row(page, locked.digest).getByRole("checkbox")).toBeDisabled();
  await expect(row(page, locked.digest).getByRole("checkbox")).toHaveAttribute("title", /delete-locked \(deleteEnabled=false\): unlock it under Locks/);

  // What skopeo sees: the two are gone, the locked one still pulls.
  const inspect = (d: string) => skopeo.run("inspect", "--raw", "--creds", creds, "--tls-verify=false", `docker://${wharf.host}/${REGISTRY}/multi@${d}`).then(() => true, () => false);
  expect(await inspect(a.digest)).toBe(false);
  expect(await inspect(b.digest)).toBe(false);
  expect(await inspect(locked.digest)).toBe(true);
});

test("Delete repository needs the name typed, then goes back to the repository list", async ({ page }) => {
  await skopeo.push(wharf.host, `${REGISTRY}/doomed`, { v1: image("doomed") }, creds);
  await skopeo.push(wharf.host, `${REGISTRY}/stays`, { v1: image("stays") }, creds);

  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/${REGISTRY}/repositories/doomed`);
  await page.getByRole("button", { name: "Delete repository" }).click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "Delete repository" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type doomed to confirm").fill("doome");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type doomed to confirm").fill("doomed");
  await page.screenshot({ path: "test-results/manifests-delete-repository.png" });
  await confirm.click();

  await expect(page).toHaveURL(new RegExp(`/registries/${REGISTRY}/repositories$`));
  await expect(page.getByRole("status").filter({ hasText: "Deleted repository doomed" })).toBeVisible();
  await expect(page.getByRole("link", { name: "stays", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "doomed", exact: true })).toHaveCount(0);
  const tags = skopeo.run("list-tags", "--creds", creds, "--tls-verify=false", `docker://${wharf.host}/${REGISTRY}/doomed`);
  await expect(tags).rejects.toThrow(/unknown|not found|not known/i);
});

test("the garbage-collection panel's Run now frees what a delete left and shows the finished run", async ({ page }) => {
  const registry = "gcpanelreg";
  await createRegistryRow(wharf, registry);
  const img = image("collect me");
  await skopeo.push(wharf.host, `${registry}/app`, { v1: img }, creds);
  // Deleted over the data plane, as a client would: its layer and config now wait for collection.
  const bearer = await token(wharf, [pushPull(`${registry}/app`)]);
  const r = await api(wharf, bearer).fetch(`/v2/${registry}/app/manifests/${img.digest}`, { method: "DELETE" });
  expect(r.status).toBe(202);

  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/${registry}`);
  const panel = page.getByTestId("gc-panel");
  await expect(panel.getByTestId("gc-freed-in-total")).toHaveText("0 B");
  await expect(panel.getByTestId("gc-waiting")).not.toHaveText("0 B");
  await expect(panel.getByTestId("gc-last-run")).toHaveText("never");

  await panel.getByRole("button", { name: "Run now" }).click();
  await expect(panel.getByTestId("gc-state")).toContainText("Finished", { timeout: 30_000 });
  await expect(panel.getByTestId("gc-freed-in-total")).not.toHaveText("0 B");
  await expect(panel.getByTestId("gc-waiting")).toHaveText("0 B");
  await expect(panel.getByTestId("gc-last-run")).toHaveText("just now");
  await expect(panel.getByTestId("gc-removed")).toContainText(/[1-9]\d* blobs/);
  await expect(panel.getByRole("button", { name: "Run now" })).toBeEnabled();
  await page.screenshot({ path: "test-results/gc-panel.png", fullPage: true });
});

test("a Reader sees the manifests but no tick boxes, and Delete repository and Run now disabled with the reason", async ({ page }) => {
  await skopeo.push(wharf.host, `${REGISTRY}/viewonly`, { v1: image("view only") }, creds);
  await withServerDb(wharf.dataDir, async () => {
    await createUser("gcreader1", "reader-Pass1");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "gcreader1", role: "Reader", scope: `/registries/${REGISTRY}` });
  });
  await signIn(page, wharf.url, "gcreader1", "reader-Pass1");
  await page.goto(`${wharf.url}/registries/${REGISTRY}/repositories/viewonly?view=manifests`);
  await expect(page.locator("tr[data-digest]")).toHaveCount(1);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete .*manifest/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete repository" })).toBeDisabled();
  await expect(page.locator("[data-disabled-reason]").filter({ has: page.getByRole("button", { name: "Delete repository" }) })).toHaveAttribute("data-disabled-reason", /.+/);

  await page.goto(`${wharf.url}/registries/${REGISTRY}`);
  const panel = page.getByTestId("gc-panel");
  await expect(panel.getByRole("button", { name: "Run now" })).toBeDisabled();
  await expect(panel.locator("[data-disabled-reason]")).toHaveAttribute("data-disabled-reason", /.+/);
});
