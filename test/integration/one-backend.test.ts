import { databaseUrlOf } from "../helpers/backends";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createDb } from "../../lib/core/db";
import { signIn } from "../helpers/portal-actions";
import { api, createRegistryRow, pushPull, token } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, ROOT, startWharf, type Wharf } from "../helpers/wharf";

/**
 * lib/ is loaded once per process: the portal's server code requires the same
 * compiled files as server.ts (the external package @wharf/lib), so what the data
 * plane holds in memory the portal sees at once, with no globalThis bridge.
 */

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith(".js")) out.push(p);
  }
  return out;
}

describe("one backend per process", () => {
  test("Next's server bundle holds no copy of lib/: it requires @wharf/lib at run time", () => {
    const chunks = walk(path.join(ROOT, ".next", "server"));
    assert.ok(chunks.length > 10, "run `node scripts/build.mjs` first");
    // Slot names appear only in lib/'s compiled code; a bundled copy of lib/ would carry them.
    const marker = /slot\)\("(resolvedNames|usageStats|registryPolicies)"/;
    const bundled = chunks.filter((f) => marker.test(fs.readFileSync(f, "utf8")));
    assert.deepEqual(bundled.map((f) => path.relative(ROOT, f)), []);
    const external = chunks.filter((f) => fs.readFileSync(f, "utf8").includes('require("@wharf/lib'));
    assert.ok(external.length > 0, "the portal should require @wharf/lib as an external package");
  });

  test("server.ts's ./lib and the portal's @wharf/lib resolve to the same files", () => {
    const viaServer = fs.realpathSync(path.join(ROOT, "dist", "lib", "core", "context.js"));
    const viaPackage = require.resolve("@wharf/lib/core/context", { paths: [ROOT] });
    assert.equal(fs.realpathSync(viaPackage), viaServer);
  });

  describe("in a running server", () => {
    let w: Wharf;
    before(async () => {
      w = await startWharf();
    });
    after(async () => {
      await w?.stop();
    });

    test("a push counted in the data plane's memory shows on the portal's overview before it is written", async () => {
      const cookie = await signIn(w, "admin", ADMIN_PASSWORD);
      // Counts are written every few seconds; a flush between push and page would
      // prove nothing, so try again on a fresh registry if one happened.
      for (let attempt = 1; ; attempt++) {
        const name = `onebackend${attempt}`;
        await createRegistryRow(w, name);
        await api(w, await token(w, [pushPull(`${name}/app`)])).pushImage(`${name}/app`, "v1");
        const page = await fetch(`${w.url}/registries/${name}`, { headers: { Cookie: cookie } });
        assert.equal(page.status, 200);
        const html = await page.text();
        const client = createDb(databaseUrlOf(w.dataDir));
        const written = await client.registryDailyStat.count({ where: { registry: { name } } });
        await client.$disconnect();
        if (written && attempt < 3) continue;
        assert.equal(written, 0, "the count was flushed before the page rendered three times in a row");
        const today = new Date().toISOString().slice(0, 10);
        assert.match(html, new RegExp(`${today} 1 pushes, 0 pulls`));
        break;
      }
    });
  });
});
