import { ADMIN_PASSWORD, expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { Skopeo } from "./skopeo-client";
import { createRegistryRow, token } from "../test/helpers/registry-fixtures";

/**
 * Credentials and roles made in the portal, used by a real client: a token
 * pulls but may not push and stops working when disabled; a user with AcrPull
 * on one repository pulls it, cannot push, and sees no other repository.
 */
test.describe.configure({ mode: "serial" });

let skopeo: Skopeo;
let wharf: Wharf;
const creds = `admin:${ADMIN_PASSWORD}`;

test.beforeAll(async () => {
  // Its own server: the worker's shared one must keep its empty state for other files.
  wharf = await startWharf();
  skopeo = new Skopeo();
  await createRegistryRow(wharf, "fabrikam");
  const img = skopeo.layout.image({ fileContent: "access test\n" });
  await skopeo.push(wharf.host, "fabrikam/app", { v1: img }, creds);
  await skopeo.push(wharf.host, "fabrikam/secret", { v1: img }, creds);
});

test.afterAll(async () => {
  skopeo?.cleanup();
  await discardWharf(wharf);
});

const pull = (host: string, repo: string, c: string) =>
  skopeo.run("copy", "--src-creds", c, "--src-tls-verify=false", `docker://${host}/${repo}:v1`, `oci:${skopeo.dir}/pulled-${Date.now()}:v1`);
const push = (host: string, repo: string, c: string) =>
  skopeo.run("copy", "--dest-creds", c, "--dest-tls-verify=false", `oci:${skopeo.layout.dir}:v1`, `docker://${host}/${repo}:pushed`).then(
    () => "pushed",
    (e: Error) => e.message,
  );

test("a token made in the portal pulls with skopeo, may not push, and stops logging in once disabled", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/fabrikam/tokens`);
  await expect(page.getByText("No tokens yet")).toBeVisible();
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Token name").fill("ci-puller");
  await dialog.getByLabel("Scope map to use").selectOption("_repositories_pull");
  await page.screenshot({ path: "test-results/portal3-token-create.png" });
  await dialog.getByRole("button", { name: "Create token" }).click();

  // Creating leads straight to generating a password.
  await expect(dialog.getByText("Generate a password for ci-puller")).toBeVisible();
  await dialog.getByRole("button", { name: "Generate" }).click();
  const secret = (await dialog.getByTestId("secret-value").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(20);
  await expect(dialog.getByText(`docker login ${wharf.host} --username ci-puller --password ${secret}`)).toBeVisible();
  await page.screenshot({ path: "test-results/portal3-token-secret.png" });
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.locator('tr[data-token="ci-puller"]');
  await expect(row.getByText("Enabled")).toBeVisible();
  await expect(row.getByText("Password 1:")).toBeVisible();
  await page.screenshot({ path: "test-results/portal3-tokens.png", fullPage: true });

  await pull(wharf.host, "fabrikam/app", `ci-puller:${secret}`);
  expect(await push(wharf.host, "fabrikam/app", `ci-puller:${secret}`)).toMatch(/denied|unauthorized|authentication required/i);

  await row.getByRole("button", { name: "Disable" }).click();
  // The button turns into Enable only with the refreshed, committed state; the badge's text alone is matched early.
  await expect(row.getByRole("button", { name: "Enable" })).toBeVisible();
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
  const err = await pull(wharf.host, "fabrikam/app", `ci-puller:${secret}`).then(() => "pulled", (e: Error) => e.message);
  expect(err).toMatch(/unauthorized|authentication required|invalid username\/password/i);
});

test("a user given AcrPull on one repository in the portal pulls it, cannot push, and sees no other repository", async ({ page, browser }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/users`);
  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Username").fill("alice");
  await dialog.getByLabel("Password (optional)").fill("alice-Pass-1");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.locator('tr[data-principal="alice"]')).toBeVisible();
  await page.screenshot({ path: "test-results/portal3-users.png", fullPage: true });

  await page.goto(`${wharf.url}/registries/fabrikam/access?repository=app`);
  await page.getByRole("button", { name: "Add role assignment" }).click();
  const add = page.getByRole("dialog");
  await add.getByLabel("Assign to").fill("ali");
  // The list first shows the empty query's matches, then narrows: click once it has, or the row moves under the click.
  await expect(add.getByRole("option")).toHaveText([/alice/]);
  await add.getByRole("option").filter({ hasText: "alice" }).getByRole("button").click();
  await expect(add.getByRole("button", { name: "Change" })).toBeVisible();
  await add.getByRole("radio", { name: /AcrPull/ }).check();
  await page.screenshot({ path: "test-results/portal3-add-assignment.png" });
  await add.getByRole("button", { name: "Assign role" }).click();
  await expect(add).toBeHidden();
  await expect(page.getByLabel("AcrPull for alice")).toBeChecked();
  // The admin's Owner comes from the organisation and is not editable here.
  await expect(page.locator('tr[data-principal="admin"]').getByText("inherited from the organisation")).toBeVisible();

  await page.getByLabel("User or service principal").fill("alice");
  await page.getByRole("button", { name: "Check access" }).click();
  const result = page.getByTestId("access-result");
  await expect(result.getByText("Allowed — AcrPull on repository fabrikam/app")).toBeVisible();
  await expect(result.locator("li").filter({ hasText: "Push images" })).toContainText("Not allowed");
  await page.screenshot({ path: "test-results/portal3-access.png", fullPage: true });

  // The real client.
  await pull(wharf.host, "fabrikam/app", "alice:alice-Pass-1");
  expect(await push(wharf.host, "fabrikam/app", "alice:alice-Pass-1")).toMatch(/denied|unauthorized|authentication required/i);
  const t = await token(wharf, ["registry:catalog:*"], "alice", "alice-Pass-1");
  const catalog = (await (await fetch(`${wharf.url}/v2/_catalog`, { headers: { Authorization: `Bearer ${t}` } })).json()) as { repositories: string[] };
  expect(catalog.repositories).toEqual(["fabrikam/app"]);

  // Alice in the portal: her one repository only, and no admin sections.
  const context = await browser.newContext({ baseURL: wharf.url });
  try {
    const alice = await context.newPage();
    await signIn(alice, wharf.url, "alice", "alice-Pass-1");
    await expect(alice.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    await alice.goto(`${wharf.url}/registries/fabrikam/repositories`);
    await expect(alice.getByRole("link", { name: "app", exact: true })).toBeVisible();
    await expect(alice.getByRole("link", { name: "secret", exact: true })).toHaveCount(0);
    await expect(alice.getByText("1 repository")).toBeVisible();
    await alice.goto(`${wharf.url}/registries/fabrikam/repositories/secret`);
    await expect(alice.getByText("You don't have access here")).toBeVisible();
    await alice.goto(`${wharf.url}/registries/fabrikam/repositories/app`);
    await expect(alice.locator('tr[data-tag="v1"]')).toBeVisible();
    await expect(alice.getByRole("button", { name: "Delete tag v1" })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("scope maps: built-ins are read-only, and a new map is edited as a grid and validated", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries/fabrikam/scope-maps`);
  await expect(page.getByRole("link", { name: "_repositories_pull", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Create scope map" }).click();
  await page.getByLabel("Name", { exact: true }).fill("team-read");
  await page.getByLabel("Repository of row 1").fill("Bad Name");
  await page.getByRole("button", { name: "Create scope map" }).click();
  await expect(page.getByText("Use a lower-case repository name, prefix/*, or *.")).toBeVisible();
  await page.getByLabel("Repository of row 1").fill("app");
  await page.getByRole("button", { name: "Add repository" }).click();
  await page.getByLabel("Repository of row 2").fill("team/*");
  await page.getByLabel("content/write on team/*").check();
  await page.screenshot({ path: "test-results/portal3-scope-map-editor.png", fullPage: true });
  await page.getByRole("button", { name: "Create scope map" }).click();
  await expect(page).toHaveURL(/scope-maps\/team-read$/);
  await expect(page.getByLabel("content/write on team/*")).toBeChecked();
  await expect(page.getByLabel("content/read on app")).toBeChecked();

  await page.goto(`${wharf.url}/registries/fabrikam/scope-maps/_repositories_pull`);
  await expect(page.getByText("Built-in, read-only")).toBeVisible();
  await expect(page.getByText("ci-puller")).toBeVisible(); // the token made above uses it
  await expect(page.getByRole("button", { name: "Save changes" })).toHaveCount(0);
});

test("service principals: created with a secret shown once, regenerated, disabled", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/service-principals`);
  await page.getByRole("button", { name: "Create service principal" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Display name").fill("ci-pipeline");
  await dialog.getByRole("button", { name: "Create" }).click();
  const secret = (await page.getByRole("dialog").getByTestId("secret-value").textContent())!.trim();
  const clientId = (await page.getByRole("dialog").locator("p code").first().textContent())!.trim();
  expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  // The secret logs in at the token endpoint (it has no role yet, so it gets an empty grant, not a 401).
  expect((await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}`, { headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` } })).status).toBe(200);

  const row = page.locator('tr[data-principal="ci-pipeline"]');
  await row.getByRole("button", { name: "Regenerate secret" }).click();
  await expect(page.getByRole("dialog", { name: "Regenerate the secret of ci-pipeline?" })).toContainText("every pipeline that logs in with it fails");
  await page.getByRole("dialog").getByRole("button", { name: "Regenerate secret" }).click();
  const fresh = (await page.getByRole("dialog").getByTestId("secret-value").textContent())!.trim();
  expect(fresh).not.toBe(secret);
  await page.screenshot({ path: "test-results/portal3-sp-secret.png" });
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  expect((await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}`, { headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` } })).status).toBe(401);

  await row.getByRole("button", { name: "Disable" }).click();
  // The button turns into Enable only with the refreshed, committed state; the badge's text alone is matched early.
  await expect(row.getByRole("button", { name: "Enable" })).toBeVisible();
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
  expect((await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}`, { headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${fresh}`).toString("base64")}` } })).status).toBe(401);
  await page.screenshot({ path: "test-results/portal3-service-principals.png", fullPage: true });
});
