import { podmanKit } from "../test/helpers/podman";
import { ADMIN_PASSWORD, expect, signIn, test, withWharf } from "./fixtures";
import { skopeoKit } from "./skopeo";

/** Runs a podman command copied from the portal ("podman push host/reg/repo:v1"), adding only what a test machine needs. */
function runShown(pod: ReturnType<typeof podmanKit>, command: string, ...extra: string[]) {
  const [bin, verb, ...rest] = command.split(" ");
  expect(bin).toBe("podman");
  return pod.podman(verb, ...extra, ...rest);
}

test("issue 5's journey: a Standard registry through the wizard, the IP rule needs Premium, push with the overview's commands, counted, then anonymous pull", async ({ browser }) => {
  test.setTimeout(240_000);
  await withWharf(browser, async (wharf, context) => {
    const page = await context.newPage();
    const pod = podmanKit();
    const kit = skopeoKit();
    try {
      await signIn(page, wharf.url);
      await page.getByRole("link", { name: "Create registry" }).click();
      const tabs = page.getByRole("tablist", { name: "Create registry steps" });
      await page.getByLabel("Resource group").fill("journey-rg");
      await page.getByLabel("Registry name").fill("JourneyReg1");
      await expect(page.getByTestId("name-status")).toContainText("Available");
      const skus = page.getByRole("group", { name: "SKU" });
      await skus.getByText("Standard", { exact: true }).click();

      // An IP rule on Standard: not offered, and the reason says what to change.
      await page.getByRole("button", { name: "Next" }).click();
      const selected = page.getByRole("radio", { name: /Selected networks/ });
      await expect(selected).toBeDisabled();
      await expect(page.getByText("Needs the Premium SKU (this registry is Standard); change the SKU on Basics.").first()).toBeVisible();

      // Premium: the rule is accepted. It admits this machine, so the pushes below pass the network check.
      await tabs.getByRole("tab", { name: "Basics" }).click();
      await skus.getByText("Premium", { exact: true }).click();
      await tabs.getByRole("tab", { name: "Networking" }).click();
      await selected.check();
      await page.getByLabel("Address range 1", { exact: true }).fill("127.0.0.1/32");
      await expect(page.getByText(/is not an IPv4 or IPv6/)).toHaveCount(0);

      await tabs.getByRole("tab", { name: "Tags" }).click();
      await page.getByRole("button", { name: "Add tag" }).click();
      await page.getByLabel("Tag 1 name", { exact: true }).fill("env");
      await page.getByLabel("Tag 1 value", { exact: true }).fill("prod");
      await page.getByRole("button", { name: "Add tag" }).click();
      await page.getByLabel("Tag 2 name", { exact: true }).fill("team");
      await page.getByLabel("Tag 2 value", { exact: true }).fill("payments");
      await page.getByRole("button", { name: "Review + create" }).click();
      await expect(page.getByTestId("review-problems")).toHaveCount(0);
      await page.getByRole("button", { name: "Create", exact: true }).click();

      await expect(page).toHaveURL(/\/registries\/journeyreg1$/);
      await expect(page.getByTestId("overview-tags")).toContainText("payments");
      await expect(page.getByTestId("overview-tags")).toContainText("env");
      await expect(page.getByText("Selected networks")).toBeVisible();

      // Push with the commands the overview shows (podman's), copied as shown.
      const command = async (text: string) => (await page.getByText(new RegExp(`^podman ${text} `)).first().innerText()).trim();
      const login = await command("login");
      const tag = await command("tag");
      const push = await command("push");
      const pull = await command("pull");
      // Plain HTTP: the shown commands carry the flag podman needs, so they work as copied.
      expect(login).toBe(`podman login --tls-verify=false ${wharf.host}`);
      expect(push).toBe(`podman push --tls-verify=false ${wharf.host}/journeyreg1/hello-world:v1`);
      await pod.build("hello-world", "Hello from Wharf's journey test\n");
      await runShown(pod, login, "-u", "admin", "-p", ADMIN_PASSWORD);
      await runShown(pod, tag);
      await runShown(pod, push);

      // The push is counted on today's bar.
      await page.reload();
      const today = page.getByTestId("usage-day").last();
      await expect(today).toHaveAttribute("title", /: 1 pushes, 0 pulls$/);

      // Anonymous pull: refused, switched on in the portal, then a pull without credentials works.
      await pod.podman("logout", wharf.host);
      await pod.podman("rmi", "--all", "--force");
      const image = `${wharf.host}/journeyreg1/hello-world:v1`;
      expect((await kit.inspectAnonymously(image)).ok).toBe(false);
      await expect(runShown(pod, pull)).rejects.toThrow(/unauthorized|authentication required|denied/i);
      await page.goto("/registries/journeyreg1/settings");
      await page.getByRole("switch", { name: "Allow anonymous pull" }).click();
      await page.getByRole("dialog", { name: "Allow anonymous pull?" }).getByRole("button", { name: "Allow anonymous pull" }).click();
      await expect(page.getByTestId("toast").filter({ hasText: "Anonymous pull enabled." })).toBeVisible();
      await runShown(pod, pull);
      expect((await pod.podman("images", "--format", "{{.Repository}}:{{.Tag}}")).stdout).toContain(image);
      const anonymous = await kit.inspectAnonymously(image);
      expect(anonymous.ok, anonymous.output).toBe(true);

      await page.goto("/registries/journeyreg1");
      await expect(page.getByTestId("usage-day").last()).toHaveAttribute("title", /: 1 pushes, [1-9]\d* pulls$/);
      await page.screenshot({ path: "test-results/journey-overview.png", fullPage: true });
    } finally {
      kit.cleanup();
      await pod.cleanup();
    }
  });
});
