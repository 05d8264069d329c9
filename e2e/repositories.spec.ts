import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { Skopeo } from "./skopeo-client";
import { api, createRegistryRow, pushPull, sha256, token } from "../test/helpers/registry-fixtures";
import type { Desc } from "../test/helpers/oci-layout";

/**
 * The repository browser against images pushed with skopeo: an image, a
 * two-platform index and an SBOM referrer; then delete and lock through the UI
 * and check what skopeo sees.
 */
test.describe.configure({ mode: "serial" });

let skopeo: Skopeo;
let wharf: Wharf;
let image: Desc;
let index: Desc;
let sbomDigest: string;
const creds = `admin:${ADMIN_PASSWORD}`;

test.beforeAll(async () => {
  // Its own server: the worker's shared one must keep its empty state for other files.
  wharf = await startWharf();
  skopeo = new Skopeo();
  await createRegistryRow(wharf, "contoso");
  image = skopeo.layout.image({ fileContent: "hello from the portal test\n" });
  const amd = skopeo.layout.image({ arch: "amd64", fileContent: "amd64\n" });
  const arm = skopeo.layout.image({ arch: "arm64", fileContent: "arm64\n" });
  index = skopeo.layout.index([amd, arm]);
  await skopeo.push(wharf.host, "contoso/hello", { v1: image, v2: image, multi: index }, creds);
  await skopeo.push(wharf.host, "contoso/other", { v1: image }, creds);

  // A referrer: an SBOM artifact whose subject is the v1 image.
  const a = api(wharf, await token(wharf, [pushPull("contoso/hello")]));
  const emptyConfig = Buffer.from("{}");
  const cfg = await a.pushBlob("contoso/hello", emptyConfig);
  const sbom = Buffer.from(JSON.stringify({ spdxVersion: "SPDX-2.3", name: "hello" }));
  const layer = await a.pushBlob("contoso/hello", sbom);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: "application/spdx+json",
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: cfg, size: emptyConfig.length },
    layers: [{ mediaType: "application/spdx+json", digest: layer, size: sbom.length }],
    subject: { mediaType: image.mediaType, digest: image.digest, size: image.size },
    annotations: { "org.opencontainers.image.created": "2026-01-01T00:00:00Z" },
  };
  const body = Buffer.from(JSON.stringify(manifest));
  sbomDigest = sha256(body);
  const r = await a.pushManifest("contoso/hello", sbomDigest, body);
  expect(r.status).toBe(201);
});

test.afterAll(async () => {
  skopeo?.cleanup();
  await discardWharf(wharf);
});

test("browse repositories, tags, an image with layers and referrers, and an index with platforms", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories`);
  await expect(page.getByText("2 repositories")).toBeVisible();
  await expect(page.getByRole("link", { name: "hello", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "other", exact: true })).toBeVisible();
  await page.getByLabel("Search repositories").fill("oth");
  await page.getByLabel("Search repositories").press("Enter");
  await expect(page.getByText("1 matching")).toBeVisible();
  await expect(page.getByRole("link", { name: "hello", exact: true })).toHaveCount(0);
  await page.screenshot({ path: "test-results/portal3-repositories.png", fullPage: true });

  await page.goto(`${wharf.url}/registries/contoso/repositories/hello`);
  await expect(page.getByRole("heading", { name: "hello" })).toBeVisible();
  const multi = page.locator('tr[data-tag="multi"]');
  await expect(multi.getByText("linux/amd64")).toBeVisible();
  await expect(multi.getByText("linux/arm64")).toBeVisible();
  await expect(page.locator('tr[data-tag="v1"]')).toContainText(image.digest.slice(0, 19));
  await page.screenshot({ path: "test-results/portal3-tags.png", fullPage: true });
  // Sortable by name, both ways, and filterable.
  const tagOrder = () => page.locator("tr[data-tag]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-tag")));
  await page.getByRole("columnheader", { name: "Tag" }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=name/);
  await expect.poll(tagOrder).toEqual(["multi", "v1", "v2"]);
  await expect(page.getByRole("columnheader", { name: "Tag" })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("columnheader", { name: "Tag" }).getByRole("link").click();
  await expect.poll(tagOrder).toEqual(["v2", "v1", "multi"]);
  await page.getByLabel("Filter tags").fill("v");
  await page.getByLabel("Filter tags").press("Enter");
  await expect.poll(tagOrder).toEqual(["v2", "v1"]);

  await page.locator('tr[data-tag="v1"]').getByRole("link", { name: "v1" }).click();
  await expect(page.getByRole("heading", { name: "Layers" })).toBeVisible();
  await expect(page.getByText("1 layer,")).toBeVisible();
  await expect(page.getByText('["/hello"]')).toBeVisible(); // Cmd from the config
  await expect(page.locator("dd").filter({ hasText: "linux/amd64" })).toBeVisible();
  await expect(page.getByText("SBOM (SPDX)")).toBeVisible();
  await expect(page.getByRole("link", { name: sbomDigest.slice(0, 19) })).toBeVisible();
  await expect(page.getByText(`docker pull ${wharf.host}/contoso/hello@${image.digest}`)).toBeVisible();
  await page.screenshot({ path: "test-results/portal3-manifest.png", fullPage: true });

  // The referrer's own page names its subject.
  await page.getByRole("link", { name: sbomDigest.slice(0, 19) }).click();
  await expect(page.locator("dd").filter({ hasText: "application/spdx+json" })).toBeVisible();
  await expect(page.locator("dt").filter({ hasText: "org.opencontainers.image.created" })).toBeVisible();
  await expect(page.locator("dd").filter({ hasText: image.digest.slice(0, 19) })).toBeVisible(); // subject

  await page.goto(`${wharf.url}/registries/contoso/repositories/hello/-/manifests/multi`);
  await expect(page.getByText("Multi-platform index")).toBeVisible();
  await expect(page.getByText("2 images in this index")).toBeVisible();
  await page.screenshot({ path: "test-results/portal3-index.png", fullPage: true });
});

test("deleting a tag in the portal removes it from skopeo list-tags", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories/hello`);
  await page.locator('tr[data-tag="v2"]').getByRole("button", { name: "Delete tag v2" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Delete tag v2?")).toBeVisible();
  await page.screenshot({ path: "test-results/portal3-delete-dialog.png" });
  await dialog.getByRole("button", { name: "Delete tag" }).click();
  await expect(page.locator('tr[data-tag="v2"]')).toHaveCount(0);
  const tags = JSON.parse(await skopeo.run("list-tags", "--creds", creds, "--tls-verify=false", `docker://${wharf.host}/contoso/hello`)).Tags;
  expect(tags).not.toContain("v2");
  expect(tags).toContain("v1");
});

test("a tag locked for writing in the portal refuses a push over it with DENIED", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/contoso/repositories/hello`);
  await page.locator('tr[data-tag="v1"]').getByRole("button", { name: "Locks of tag v1" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Lock write").check();
  await page.screenshot({ path: "test-results/portal3-locks-dialog.png" });
  await dialog.getByRole("button", { name: "Save locks" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('tr[data-tag="v1"]').getByTitle("Locked: write")).toBeVisible();

  const other = skopeo.layout.image({ fileContent: "something else\n" });
  skopeo.layout.tag({ v1: other });
  const err = await skopeo
    .run("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${skopeo.layout.dir}:v1`, `docker://${wharf.host}/contoso/hello:v1`)
    .then(() => null, (e: Error) => e.message);
  expect(err).toMatch(/denied/i);
  expect(err).toMatch(/locked/i);

  // Delete is not offered as if it would work: disabled, with the lock named.
  const del = page.locator('tr[data-tag="v1"]').getByRole("button", { name: /^Delete tag v1: unavailable\. .*write-locked/ });
  await expect(del).toBeDisabled();
  await expect(page.locator('tr[data-tag="v1"]').getByTitle(/Tag 'v1' is write-locked \(writeEnabled=false, immutable\): unlock it under Locks/)).toBeVisible();
});
