import { expect, signIn, test, withWharf } from "./fixtures";
import { seedRegistries } from "./seed";


const shot = (name: string) => `test-results/wizard-${name}.png`;

test("the create-registry wizard validates every tab, sends review problems back to their tab, and creates the registry", async ({ browser }) => {
  // Its own server (the shared one keeps its empty state for the sign-in tests); a long walk through, so a longer budget.
  test.setTimeout(180_000);
  await withWharf(browser, async (wharf, context) => {
  const page = await context.newPage();
  await seedRegistries(wharf.dataDir, [{ name: "takenname" }]);
  await signIn(page, wharf.url);
  await page.getByRole("link", { name: "Create registry" }).click();
  await expect(page).toHaveURL(/\/registries\/new$/);

  const tabs = page.getByRole("tablist", { name: "Create registry steps" });
  for (const t of ["Basics", "Networking", "Encryption", "Tags", "Review + create"]) await expect(tabs.getByRole("tab", { name: t })).toBeVisible();
  await expect(tabs.getByRole("tab", { name: "Basics" })).toHaveAttribute("aria-selected", "true");

  // Basics: name rules as you type, then availability from the server.
  const name = page.getByLabel("Registry name");
  const nameError = page.locator("#registry-name-error");
  await name.fill("ab");
  await expect(nameError).toHaveText("The name must be at least 5 characters.");
  await name.fill("my-registry");
  await expect(nameError).toHaveText("Use letters and digits only (no dashes, dots or spaces).");
  await name.fill("a".repeat(51));
  await expect(nameError).toHaveText("The name must be at most 50 characters.");
  await name.fill("");
  await expect(nameError).toHaveText("Enter a registry name.");
  await name.fill("TakenName");
  await expect(nameError).toHaveText("The registry name 'takenname' is already in use.");
  await expect(page.getByTestId("name-status")).toContainText("Taken");
  await name.fill("WizardReg1");
  await expect(page.getByTestId("name-status")).toContainText("Available");
  await expect(nameError).toHaveCount(0);
  await expect(page.getByTestId("login-server-preview")).toContainText(wharf.host);
  await expect(page.getByTestId("login-server-preview")).toContainText(`${wharf.host}/wizardreg1/<repository>:<tag>`);

  // No resource group exists yet: the inline "new" field, with its rules.
  const rg = page.getByLabel("Resource group");
  await rg.fill("bad name!");
  await expect(page.locator("#resource-group-error")).toContainText("Resource group name must be 1–90 characters");
  await rg.fill("e2e-group");
  await expect(page.locator("#resource-group-error")).toHaveCount(0);

  // SKU cards show their configured limits.
  const skus = page.getByRole("group", { name: "SKU" });
  await expect(skus.getByText("500 GiB")).toBeVisible();
  await skus.getByText("Basic", { exact: true }).click();
  await page.screenshot({ path: shot("1-basics"), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: shot("1-basics-dark"), fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // Networking: Premium-only options are disabled on Basic and say why.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(tabs.getByRole("tab", { name: "Networking" })).toHaveAttribute("aria-selected", "true");
  const selected = page.getByRole("radio", { name: /Selected networks/ });
  const disabled = page.getByRole("radio", { name: /^Disabled/ });
  await expect(selected).toBeDisabled();
  await expect(disabled).toBeDisabled();
  await expect(page.getByText("Needs the Premium SKU (this registry is Basic); change the SKU on Basics.").first()).toBeVisible();
  await page.screenshot({ path: shot("2-networking-basic"), fullPage: true });

  // Premium: selected networks with CIDR rows validated as you type.
  await page.getByRole("button", { name: "Previous" }).click();
  await skus.getByText("Premium", { exact: true }).click();
  await page.getByRole("tab", { name: "Networking" }).click();
  await selected.check();
  const rule1 = page.getByLabel("Address range 1", { exact: true });
  await rule1.fill("10.0.0.300/8");
  await expect(page.getByText("Rule 1: '10.0.0.300/8' is not an IPv4 or IPv6 address or CIDR range")).toBeVisible();
  await rule1.fill("10.0.0.0/8");
  await page.getByRole("button", { name: "Add address range" }).click();
  await page.getByLabel("Address range 2", { exact: true }).fill("2001:db8::/129");
  await expect(page.getByText("Rule 2: '2001:db8::/129' is not an IPv4 or IPv6 address or CIDR range")).toBeVisible();
  await page.getByLabel("Address range 2", { exact: true }).fill("2001:db8::/48");
  await expect(page.getByText(/is not an IPv4 or IPv6/)).toHaveCount(0);
  await page.screenshot({ path: shot("2-networking-premium"), fullPage: true });

  // Encryption: customer-managed is offered only with a key source, which this server lacks.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("radio", { name: /Service-managed key/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /Customer-managed key/ })).toBeDisabled();
  await expect(page.getByText("This server has no key vault to hold customer-managed keys")).toBeVisible();
  await page.screenshot({ path: shot("3-encryption"), fullPage: true });

  // Tags: every rule has its message.
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByLabel("Tag 1 name", { exact: true }).fill("env");
  await page.getByLabel("Tag 1 value", { exact: true }).fill("prod");
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByLabel("Tag 2 name", { exact: true }).fill("ENV");
  await expect(page.getByText("Tag 2: Tag name 'ENV' is used twice (names ignore case).")).toBeVisible();
  await page.getByLabel("Tag 2 name", { exact: true }).fill("x".repeat(513));
  await expect(page.getByText("Tag 2: Tag names are at most 512 characters.")).toBeVisible();
  await page.getByLabel("Tag 2 name", { exact: true }).fill("a/b");
  await expect(page.getByText("Tag 2: Tag names cannot contain")).toBeVisible();
  await page.getByLabel("Tag 2 name", { exact: true }).fill("team");
  await page.getByLabel("Tag 2 value", { exact: true }).fill("v".repeat(257));
  await expect(page.getByText("Tag 2: Tag values are at most 256 characters.")).toBeVisible();
  await page.getByLabel("Tag 2 value", { exact: true }).fill("payments");
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByRole("button", { name: "Remove tag 3" }).click();
  await expect(page.getByText(/Tag \d:/)).toHaveCount(0);
  await page.screenshot({ path: shot("4-tags"), fullPage: true });

  // Back to Basic: the review lists the networking problem and links to its tab.
  await page.getByRole("tab", { name: "Basics" }).click();
  await skus.getByText("Basic", { exact: true }).click();
  await page.getByRole("button", { name: "Review + create" }).click();
  await expect(tabs.getByRole("tab", { name: "Review + create" })).toHaveAttribute("aria-selected", "true");
  const problems = page.getByTestId("review-problems");
  await expect(problems).toContainText("Selected networks needs the Premium SKU");
  await expect(page.getByRole("button", { name: "Create", exact: true })).toBeDisabled();
  await page.screenshot({ path: shot("5-review-problems"), fullPage: true });
  await problems.getByRole("button", { name: "Go to Networking" }).click();
  await expect(tabs.getByRole("tab", { name: "Networking" })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("radio", { name: /All networks/ }).check();

  // Keyboard: arrow keys move along the steps.
  await tabs.getByRole("tab", { name: "Networking" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(tabs.getByRole("tab", { name: "Encryption" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("End");
  await expect(tabs.getByRole("tab", { name: "Review + create" })).toHaveAttribute("aria-selected", "true");

  await expect(problems).toHaveCount(0);
  const summary = page.getByRole("region", { name: "Basics summary" });
  await expect(summary).toContainText("e2e-group (new)");
  await expect(summary).toContainText("wizardreg1");
  await expect(page.getByRole("region", { name: "Tags summary" })).toContainText("payments");
  await page.screenshot({ path: shot("5-review-ready"), fullPage: true });
  await page.getByRole("button", { name: "Create", exact: true }).click();

  await expect(page).toHaveURL(/\/registries\/wizardreg1$/);
  await expect(page.getByTestId("toast")).toContainText("Registry wizardreg1 created.");
  await expect(page.getByRole("heading", { name: "wizardreg1", level: 1 })).toBeVisible();
  await expect(page.getByTestId("overview-login-server")).toHaveText(wharf.host);
  await expect(page.getByTestId("overview-tags")).toContainText("env");
  await expect(page.getByTestId("overview-tags")).toContainText("payments");
  await expect(page.getByText("e2e-group").first()).toBeVisible();
  await expect(page.getByText(`docker login ${wharf.host}`)).toBeVisible();
  await expect(page.getByText(`docker push ${wharf.host}/wizardreg1/hello-world:v1`)).toBeVisible();
  await expect(page.getByText(`podman pull --tls-verify=false ${wharf.host}/wizardreg1/hello-world:v1`)).toBeVisible(); // plain HTTP: the flag podman needs
  await expect(page.getByTestId("usage-day")).toHaveCount(7);
  await page.screenshot({ path: shot("6-overview"), fullPage: true });

  // The list shows it with its resource group; search filters.
  await page.goto("/registries");
  const row = page.getByRole("row").filter({ hasText: "wizardreg1" });
  await expect(row).toContainText("e2e-group");
  await expect(row).toContainText("Basic");
  await page.getByLabel("Search registries").fill("takenn");
  await expect(page.getByRole("row").filter({ hasText: "wizardreg1" })).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: "takenname" })).toHaveCount(1);
  await page.getByLabel("Search registries").fill("nothing-like-this");
  await expect(page.getByText("No registry matches")).toBeVisible();

  // A second wizard: the group now exists and is offered; the name is taken.
  await page.goto("/registries/new");
  await expect(page.getByLabel("Resource group")).toHaveValue("e2e-group");
  await page.getByLabel("Registry name").fill("wizardreg1");
  await expect(page.locator("#registry-name-error")).toHaveText("The registry name 'wizardreg1' is already in use.");
  });
});
