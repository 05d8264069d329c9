import { expect, signIn, test } from "./fixtures";
import { discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import { withServerDb } from "./seed";
import { createUserAs } from "../lib/services/users";
import { createRoleAssignment } from "../lib/services/role-assignments";
import { LOCAL_OPERATOR } from "../lib/auth/actor";

/**
 * A person whose only role is AcrPush on one repository: the registry list shows that repository with the commands
 * that work for them and no invitation to create a registry they may not create; My access says what and why.
 */
let wharf: Wharf;

test.beforeAll(async () => {
  // Its own server: the worker's shared one must keep its empty state for other files.
  wharf = await startWharf();
  await createRegistryRow(wharf, "fabrikam");
  await withServerDb(wharf.dataDir, async () => {
    await createUserAs(LOCAL_OPERATOR, { username: "dev", password: "dev-Pass-123" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "dev", role: "AcrPush", scope: "/registries/fabrikam/repositories/team/api" });
  });
});

test.afterAll(async () => {
  await discardWharf(wharf);
});

test("a user with only AcrPush on one repository sees it with push commands, and no Create registry button", async ({ page }) => {
  await signIn(page, wharf.url, "dev", "dev-Pass-123");
  await page.goto(`${wharf.url}/registries`);
  await expect(page.getByRole("heading", { name: "Repositories you can use" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create registry" })).toHaveCount(0);
  await expect(page.getByText("No registries yet")).toHaveCount(0);
  const repo = page.getByTestId("reach-repository").filter({ hasText: "team/api" });
  await expect(repo.getByText("Push images")).toBeVisible();
  await expect(repo).toContainText(`docker push ${wharf.host}/fabrikam/team/api:<tag>`);
  await expect(repo).toContainText(`docker login ${wharf.host}`);
  await expect(repo).toContainText("AcrPush on repository fabrikam/team/api");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My access" }).click();
  await expect(page).toHaveURL(/\/my-access$/);
  await expect(page.getByTestId("reach-registry").filter({ hasText: "fabrikam" }).getByTestId("reach-repository")).toHaveCount(1);
  await page.getByRole("link", { name: "team/api" }).click();
  await expect(page).toHaveURL(/\/registries\/fabrikam\/repositories\/team\/api$/);
});

test("the administrator keeps Create registry, and My access names the organisation-wide Owner", async ({ page }) => {
  await signIn(page, wharf.url);
  await page.goto(`${wharf.url}/registries`);
  await expect(page.getByRole("link", { name: "Create registry" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Repositories you can use" })).toHaveCount(0);
  await page.goto(`${wharf.url}/my-access`);
  const wide = page.getByTestId("reach-wide").filter({ hasText: "The organisation" });
  await expect(wide).toContainText("Create registries");
  await expect(wide).toContainText("Owner");
});
