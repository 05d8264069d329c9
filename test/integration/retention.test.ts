import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startWharf, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout, type Desc } from "../helpers/oci-layout";
import { ageRows, cli, digestOf, push, withServerDb } from "../helpers/policy-fixtures";

/**
 * Retention of untagged manifests, applied by the server's own background collection: an old untagged manifest
 * goes; a tagged one and a locked untagged one stay.
 */
describe("retention policy for untagged manifests", () => {
  let w: Wharf;
  let tmp: string;
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  const img: Record<string, Desc> = {};

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-retention-", () => w?.output() ?? ""));
    const layout = new OciLayout(path.join(tmp, "src"));
    for (const n of ["old", "new", "locked", "locked-next", "tagged"]) img[n] = layout.image({ fileContent: `${n}\n` });
    layout.tag(img);
    // The worker runs every second: the test waits for it rather than calling it.
    w = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "1" } });
    await createRegistryRow(w, "contoso");
    await push(skopeo, w, layout, "old", "contoso/app:latest");
    await push(skopeo, w, layout, "new", "contoso/app:latest"); // "old" is untagged now
    await push(skopeo, w, layout, "locked", "contoso/app:rc");
    await push(skopeo, w, layout, "locked-next", "contoso/app:rc"); // "locked" is untagged now…
    await cli(w, ["repository", "update", "-n", "contoso", "--image", `app@${img.locked.digest}`, "--delete-enabled", "false"]); // …and locked
    await push(skopeo, w, layout, "tagged", "contoso/app:v1");
    const everything = Object.values(img).map((d) => d.digest);
    await ageRows(w, "contoso", "app", 10, { tags: ["latest", "rc", "v1"], digests: everything });
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("is shown and set as az acr config retention does", async () => {
    const shown = JSON.parse((await cli(w, ["config", "retention", "show", "--registry", "contoso"])).stdout);
    assert.deepEqual([shown.status, shown.days, shown.type], ["disabled", 7, "UntaggedManifests"]);
    const bad = await import("../helpers/wharf").then((m) => m.runCli(w, ["config", "retention", "update", "-r", "contoso", "--status", "enabled", "--days", "400"]));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /0 to 365/);
    const set = JSON.parse((await cli(w, ["config", "retention", "update", "--registry", "contoso", "--status", "enabled", "--days", "7", "--type", "UntaggedManifests"])).stdout);
    assert.deepEqual([set.status, set.days], ["enabled", 7]);
  });

  it("the background collection deletes the old untagged manifest and keeps the tagged and the locked ones", async () => {
    const deadline = Date.now() + 60_000;
    while ((await digestOf(skopeo, w, `contoso/app@${img.old.digest}`)) !== null) {
      assert.ok(Date.now() < deadline, `retention did not delete ${img.old.digest} within 60 s:\n${w.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(await digestOf(skopeo, w, `contoso/app@${img.locked.digest}`), img.locked.digest, "locked untagged manifest stays");
    for (const [ref, d] of [["latest", img.new], ["rc", img["locked-next"]], ["v1", img.tagged]] as const) {
      assert.equal(await digestOf(skopeo, w, `contoso/app:${ref}`), d.digest, `tagged ${ref} stays`);
    }
    const stat = await withServerDb(w, (db) => db.gcStat.findFirst({ where: { registry: { name: "contoso" } } }));
    assert.ok((stat?.manifestsDeleted ?? 0) >= 1, "the run counts the manifest it deleted");
  });
});
