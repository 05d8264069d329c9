import { expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import { withServerDb } from "./seed";
import { createUserAs } from "../lib/services/users";
import { LOCAL_OPERATOR } from "../lib/auth/actor";

/** A group made in the portal, given a role on a registry's Access control tab: its member then reaches the registry. */
let wharf: Wharf;

test.beforeAll(async () => {
  // Its own server: the worker's shared one must keep its empty state for other files.
  wharf = await startWharf();
  await createRegistryRow(wharf, "fabrikam");
  await withServerDb(wharf.dataDir, () => createUserAs(LOCAL_OPERATOR, { username: "carol", password: "carol-Pass-123" }));
});

test.afterAll(async () => {
  await discardWharf(wharf);
});

test("a group is created, given a member and a role, and the member reaches the registry through it", async ({ page, browser }) => {
  await signIn(page, wharf.url);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Groups" }).click();
  await expect(page.getByText("No groups yet")).toBeVisible();
  await page.getByRole("button", { name: "Create group" }).click();
  const dialog = page.getByRole("dialog", { name: "Create group" });
  await dialog.getByLabel("Name").fill("Bad Name");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText(/lower-case letters/).first()).toBeVisible();
  await dialog.getByLabel("Name").fill("developers");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();

  const group = page.getByTestId("group").filter({ hasText: "developers" });
  await group.getByLabel("Add member").fill("nobody");
  await group.getByRole("button", { name: "Add", exact: true }).click();
  await expect(group.getByText(/No user or service principal named 'nobody'/)).toBeVisible();
  await group.getByLabel("Add member").fill("carol");
  await group.getByRole("button", { name: "Add", exact: true }).click();
  await expect(group.locator('[data-member="carol"]')).toBeVisible();

  await page.goto(`${wharf.url}/registries/fabrikam/access`);
  await page.getByRole("button", { name: "Add role assignment" }).click();
  const add = page.getByRole("dialog");
  await add.getByLabel("Assign to").fill("devel");
  // The list first shows the empty query's matches, then narrows: click once it has, or the row moves under the click.
  await expect(add.getByRole("option")).toHaveText([/developers/]);
  await add.getByRole("option").filter({ hasText: "developers" }).getByRole("button").click();
  await expect(add.getByRole("button", { name: "Change" })).toBeVisible();
  await add.getByRole("radio", { name: /Reader/ }).check();
  await add.getByRole("button", { name: "Assign role" }).click();
  await expect(add).toBeHidden();
  await expect(page.locator('tr[data-principal="developers"]')).toContainText("Group");

  const context = await browser.newContext({ baseURL: wharf.url });
  try {
    const carol = await context.newPage();
    await signIn(carol, wharf.url, "carol", "carol-Pass-123");
    await carol.goto(`${wharf.url}/registries`);
    await expect(carol.getByRole("link", { name: "fabrikam" }).first()).toBeVisible();
    await carol.goto(`${wharf.url}/my-access`);
    await expect(carol.getByTestId("reach-registry").filter({ hasText: "fabrikam" })).toContainText("through group developers");
  } finally {
    await context.close();
  }

  // Changes made in the portal are in the activity log with the caller's address.
  await page.goto(`${wharf.url}/activity?action=group.member.add`);
  await expect(page.getByRole("row").filter({ hasText: "developers" }).first()).toContainText("127.0.0.1");

  await page.goto(`${wharf.url}/groups`);
  await group.getByRole("button", { name: "Delete group" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete group developers?" });
  await expect(confirm).toContainText("Reader on registry fabrikam");
  await confirm.getByRole("button", { name: "Delete group" }).click();
  await expect(page.getByText("No groups yet")).toBeVisible();
});
