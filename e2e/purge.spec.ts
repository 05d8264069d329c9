import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import { ageRows, withServerDb } from "../test/helpers/policy-fixtures";
import { Skopeo } from "./skopeo-client";
import type { Desc } from "../test/helpers/oci-layout";

/**
 * The Purge dialog on the Repositories page: errors and an empty preview, then a preview that lists exactly what
 * goes (and what is skipped and why), then "Delete N items", checked with skopeo.
 */
test.describe.configure({ mode: "serial" });

let skopeo: Skopeo;
let wharf: Wharf;
const img: Record<string, Desc> = {};
const creds = `admin:${ADMIN_PASSWORD}`;
const inspect = (ref: string) => skopeo.run("inspect", "--raw", "--creds", creds, "--tls-verify=false", `docker://${wharf.host}/${ref}`);

test.beforeAll(async () => {
  wharf = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
  skopeo = new Skopeo();
  await createRegistryRow(wharf, "contoso");
  for (const n of ["v1", "v2", "v3", "latest"]) img[n] = skopeo.layout.image({ fileContent: `purge ${n}\n` });
  await skopeo.push(wharf.host, "contoso/hello", img, creds);
  // v1 and v2 are old; v2 is locked; v3 and latest are new.
  await withServerDb(wharf, (db) => db.tag.updateMany({ where: { name: "v2", repository: { name: "hello" } }, data: { deleteEnabled: false } }));
  await ageRows(wharf, "contoso", "hello", 40, { tags: ["v1", "v2"], digests: [img.v1.digest, img.v2.digest] });
});

test.afterAll(async () => {
  skopeo?.cleanup();
  await discardWharf(wharf);
});

test("preview shows exactly what goes, then Delete N items deletes it", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories`);
  await page.getByRole("button", { name: "Purge…" }).click();
  const dialog = page.getByRole("dialog", { name: "Purge tags and manifests" });
  await expect(dialog).toBeVisible();
  const filters = dialog.getByLabel("Filters (one per line)");

  // A bad filter: the message sits under the field, nothing is listed.
  await filters.fill("hello");
  await dialog.getByRole("button", { name: "Preview", exact: true }).click();
  await expect(dialog.getByText(/must be REPOSITORY_REGEX:TAG_REGEX/)).toBeVisible();

  // Nothing matches: an empty preview says so, and offers no delete.
  await filters.fill("hello:nothing-.*");
  await filters.press("Control+Enter");
  await expect(dialog.getByTestId("purge-empty")).toBeVisible();
  await expect(dialog.getByRole("button", { name: /^Delete / })).toHaveCount(0);

  // The real preview, typed with the keyboard.
  await filters.fill("hello:v.*");
  await dialog.getByLabel("Older than").fill("30d");
  await dialog.getByLabel("Also delete untagged manifests").check();
  await dialog.getByLabel("Older than").press("Enter");
  await expect(dialog.getByTestId("purge-summary")).toContainText("Would untag 1 tag and delete 1 manifest");
  const list = dialog.getByTestId("purge-list");
  await expect(list.getByText("hello:v1", { exact: true })).toBeVisible();
  await expect(list.getByText(`hello@${img.v1.digest.slice(0, 19)}`)).toBeVisible();
  await expect(list.getByText("hello:v2", { exact: true })).toBeVisible();
  await expect(list.getByText("Locked", { exact: true })).toBeVisible();
  await expect(list.getByText("hello:v3")).toHaveCount(0);
  // Still there: a preview deletes nothing.
  await inspect("contoso/hello:v1");
  await page.screenshot({ path: "test-results/purge-preview.png", fullPage: true });

  await dialog.getByRole("button", { name: "Delete 2 items" }).click();
  await expect(dialog.getByTestId("purge-summary")).toContainText("Untagged 1 tag, deleted 1 manifest");
  await expect(list.getByText("Deleted")).toHaveCount(2);
  await expect(inspect("contoso/hello:v1")).rejects.toThrow(/manifest unknown/i);
  await expect(inspect(`contoso/hello@${img.v1.digest}`)).rejects.toThrow(/manifest unknown/i);
  await inspect("contoso/hello:v2");
  await inspect("contoso/hello:v3");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
});

test("a change after the preview makes Delete refuse instead of deleting something else", async ({ page }) => {
  await ageRows(wharf, "contoso", "hello", 40, { tags: ["v3"] });
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories`);
  await page.getByRole("button", { name: "Purge…" }).click();
  const dialog = page.getByRole("dialog", { name: "Purge tags and manifests" });
  await dialog.getByLabel("Filters (one per line)").fill("hello:v3");
  await dialog.getByRole("button", { name: "Preview", exact: true }).click();
  await expect(dialog.getByRole("button", { name: "Delete 1 item" })).toBeVisible();
  // Someone locks v3 meanwhile (as the CLI would).
  await withServerDb(wharf, (db) => db.tag.updateMany({ where: { name: "v3", repository: { name: "hello" } }, data: { writeEnabled: false } }));
  await dialog.getByRole("button", { name: "Delete 1 item" }).click();
  await expect(dialog.getByText(/changed since the preview/)).toBeVisible();
  await inspect("contoso/hello:v3");
});
