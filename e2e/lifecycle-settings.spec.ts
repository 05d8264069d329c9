import { expect, signIn, test, withWharf } from "./fixtures";
import { createRegistryRow } from "../test/helpers/registry-fixtures";
import { withServerDb } from "../test/helpers/policy-fixtures";

/** The Retention and Write-once tags cards on a registry's Settings page: set, refused with a message, persisted. */
// A private server: the shared one must stay without registries for the sign-in spec's empty state.
test("retention and write-once rules are set from the settings page", async ({ browser }) => {
  await withWharf(browser, async (wharf, context) => {
    const page = await context.newPage();
    await createRegistryRow(wharf, "lifecycle1");
    await signIn(page, wharf.url);
    await page.goto(`${wharf.url}/registries/lifecycle1/settings`);

    const retention = page.locator("section", { has: page.getByRole("heading", { name: "Retention" }) });
    await expect(retention.getByTestId("retention-status")).toHaveText("Now: disabled.");
    await retention.getByRole("switch", { name: "Delete untagged manifests" }).click();
    const days = retention.getByLabel("Days (0–365)");
    await days.fill("");
    await expect(retention.getByText("Give a whole number of days from 0 to 365.")).toBeVisible();
    await expect(retention.getByRole("button", { name: "Save retention" })).toBeDisabled();
    await days.fill("3");
    await days.press("Enter");
    await expect(retention.getByTestId("retention-status")).toHaveText("Now: enabled, 3 days.");

    const rules = page.locator("section", { has: page.getByRole("heading", { name: "Write-once tags" }) });
    await expect(rules.getByTestId("write-once-empty")).toBeVisible();
    await rules.getByLabel("Tag pattern").fill("v[1]");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await expect(rules.getByText("Tag pattern 'v[1]' contains '['")).toBeVisible();
    await rules.getByLabel("Tag pattern").fill("v*");
    await rules.getByLabel("Tag pattern").press("Enter");
    await expect(rules.getByRole("list", { name: "Write-once rules" }).getByRole("listitem")).toHaveCount(1);
    await rules.getByLabel("Tag pattern").fill("v*");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await expect(rules.getByText(/already exists/)).toBeVisible();

    await page.reload();
    await expect(retention.getByTestId("retention-status")).toHaveText("Now: enabled, 3 days.");
    await expect(rules.getByText("in repositories **")).toBeVisible();
    await retention.screenshot({ path: "test-results/lifecycle-retention-card.png" });
    await rules.screenshot({ path: "test-results/lifecycle-write-once-card.png" });
    const stored = await withServerDb(wharf, (db) => db.registry.findUniqueOrThrow({ where: { name: "lifecycle1" }, select: { retentionEnabled: true, retentionDays: true, tagRules: { select: { tagPattern: true } } } }));
    expect(stored).toEqual({ retentionEnabled: true, retentionDays: 3, tagRules: [{ tagPattern: "v*" }] });

    await rules.getByRole("button", { name: "Remove the rule for tags v* in **" }).click();
    await expect(rules.getByTestId("write-once-empty")).toBeVisible();
  });
});
