import http from "node:http";
import type { BrowserContext } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { freePort, discardWharf, startWharf, type Wharf } from "../test/helpers/wharf";
import { createRegistryRow } from "../test/helpers/registry-fixtures";

/**
 * The Webhooks tab against a real receiver (node:http): a webhook made through the dialog, its secret shown once,
 * a Ping delivered and seen in the delivery log with the request and the receiver's answer, then redelivered.
 * Its own Wharf, so the worker's shared server stays registry-free.
 */
test.describe.configure({ mode: "serial" });

const REGISTRY = "hooke2e";

let wharf: Wharf;
let context: BrowserContext;
let receiver: http.Server;
let receiverPort: number;
const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  receiverPort = await freePort();
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(202, { "content-type": "text/plain" }).end("thanks from the receiver");
    });
  });
  await new Promise<void>((r) => receiver.listen(receiverPort, "127.0.0.1", () => r()));
  wharf = await startWharf({ port: 5667, env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
  await createRegistryRow(wharf, REGISTRY);
  context = await browser.newContext({ baseURL: wharf.url });
});

test.afterAll(async () => {
  await context?.close();
  await discardWharf(wharf);
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

test("create a webhook, ping it, see the delivery log, redeliver", async () => {
  test.setTimeout(120_000);
  const page = await context.newPage();
  await signIn(page, wharf.url);
  await page.goto(`/registries/${REGISTRY}`);
  await page.getByRole("link", { name: "Webhooks", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/registries/${REGISTRY}/webhooks$`));
  await expect(page.getByRole("heading", { name: "No webhooks yet" })).toBeVisible();

  await page.getByRole("button", { name: "Create webhook" }).click();
  let dialog = page.getByRole("dialog", { name: "Create webhook" });
  await dialog.getByLabel("Webhook name").fill("bad-name");
  await dialog.getByLabel("Service URI").fill(`http://127.0.0.1:${receiverPort}/hook`);
  await dialog.getByRole("button", { name: "Create webhook" }).click();
  await expect(dialog.getByText(/is not a webhook name/)).toBeVisible();
  await dialog.getByLabel("Webhook name").fill("cihook");
  await dialog.getByRole("button", { name: "Create webhook" }).click();

  dialog = page.getByRole("dialog", { name: "Webhook cihook created" });
  const secret = (await dialog.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(30);
  await dialog.getByRole("button", { name: "Done" }).click();

  const hook = page.getByRole("listitem", { name: "Webhook cihook" });
  await expect(hook.getByText(`http://127.0.0.1:${receiverPort}/hook`)).toBeVisible();
  await expect(hook.getByText("No deliveries yet")).toBeVisible();

  await hook.getByRole("button", { name: "Ping" }).click();
  await expect(page.getByText("Ping delivered (HTTP 202).")).toBeVisible();
  expect(got).toHaveLength(1);
  expect(JSON.parse(got[0].body).action).toBe("ping");

  const log = hook.getByRole("list", { name: "Delivery log of cihook" });
  const first = log.getByRole("listitem").first();
  await expect(first.getByText("delivered")).toBeVisible();
  await first.locator("summary").click();
  await expect(first.getByText("Attempt 1")).toBeVisible();
  await expect(first.getByText(/X-Wharf-Signature: sha256=[0-9a-f]{64}/)).toBeVisible();
  await expect(first.getByText("thanks from the receiver")).toBeVisible();

  await first.getByRole("button", { name: /^Redeliver/ }).click();
  await expect(log.getByRole("listitem")).toHaveCount(2);
  await expect(log.getByText("(redelivery)")).toBeVisible();
  expect(got).toHaveLength(2);
  expect(got[1].body).toBe(got[0].body);

  await hook.getByRole("button", { name: "Disable" }).click();
  await expect(hook.getByText("disabled", { exact: true })).toBeVisible();
});
