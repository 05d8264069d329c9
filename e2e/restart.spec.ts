import fs from "node:fs";
import { expect, signIn, test } from "./fixtures";
import { startWharf } from "../test/helpers/wharf";
import { seedRegistries } from "./seed";

test("a session and the data survive a server restart", async ({ browser }) => {
  let wharf = await startWharf();
  const dataDir = wharf.dataDir;
  try {
    const before = await browser.newContext();
    await signIn(await before.newPage(), wharf.url);
    await seedRegistries(dataDir, [{ name: "keepme01" }]);
    const session = await before.storageState();
    // Closing the context drops the browser's open sockets so the server can stop promptly.
    await before.close();

    wharf = await wharf.restart();

    const after = await browser.newContext({ storageState: session });
    const page = await after.newPage();
    await page.goto(`${wharf.url}/registries`);
    await expect(page).toHaveURL(/\/registries$/);
    await expect(page.getByRole("banner").getByText("admin", { exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: "keepme01", exact: true })).toBeVisible();
    await after.close();
  } finally {
    await wharf.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
