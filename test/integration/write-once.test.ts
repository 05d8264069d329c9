import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { runCli, startWharf, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout, type Desc } from "../helpers/oci-layout";
import { CREDS, cli, digestOf, push } from "../helpers/policy-fixtures";

/** Write-once tag rules set with the CLI, enforced on /v2 against skopeo. */
describe("write-once tag rules", () => {
  let w: Wharf;
  let tmp: string;
  let layout: OciLayout;
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  const img: Record<string, Desc> = {};
  let ruleId: string;

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-write-once-", () => w?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    for (const n of ["first", "second"]) img[n] = layout.image({ fileContent: `${n}\n` });
    layout.tag(img);
    w = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
    await createRegistryRow(w, "contoso");
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("a rule is created, listed, and a duplicate or a bad pattern is refused", async () => {
    const made = JSON.parse((await cli(w, ["tag-rule", "create", "--registry", "contoso", "--tag-pattern", "v*"])).stdout);
    assert.deepEqual([made.repositoryPattern, made.tagPattern], ["**", "v*"]);
    ruleId = made.id;
    const dup = await runCli(w, ["tag-rule", "create", "--registry", "contoso", "--tag-pattern", "v*", "--repository-pattern", "**"]);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
    const bad = await runCli(w, ["tag-rule", "create", "--registry", "contoso", "--tag-pattern", "v[0-9]"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /contains '\['/);
    const listed = JSON.parse((await cli(w, ["tag-rule", "list", "--registry", "contoso"])).stdout);
    assert.deepEqual(listed.map((r: { id: string }) => r.id), [ruleId]);
  });

  it("v1 is pushed once; pushing another image to v1 is DENIED with a message that says why and what to do", async () => {
    await push(skopeo, w, layout, "first", "contoso/app:v1");
    // The same image again changes nothing and is allowed.
    await push(skopeo, w, layout, "first", "contoso/app:v1");
    await assert.rejects(push(skopeo, w, layout, "second", "contoso/app:v1"), (err: Error) => {
      assert.match(err.message, /denied/i);
      assert.match(err.message, /Tag 'v1' of contoso\/app is write-once \(rule: repositories '\*\*', tags 'v\*'\).*Push a new tag instead/s);
      return true;
    });
    assert.equal(await digestOf(skopeo, w, "contoso/app:v1"), img.first.digest);
  });

  it("deleting v1 (skopeo delete resolves it to its manifest) is refused; the image stays", async () => {
    await assert.rejects(skopeo("delete", "--creds", CREDS, "--tls-verify=false", `docker://${w.host}/contoso/app:v1`), /write-once/);
    assert.equal(await digestOf(skopeo, w, "contoso/app:v1"), img.first.digest);
  });

  it("tags the rule does not cover still move", async () => {
    await push(skopeo, w, layout, "first", "contoso/app:latest");
    await push(skopeo, w, layout, "second", "contoso/app:latest");
    assert.equal(await digestOf(skopeo, w, "contoso/app:latest"), img.second.digest);
  });

  it("after the rule is deleted, v1 moves again", async () => {
    await cli(w, ["tag-rule", "delete", "--registry", "contoso", "--id", ruleId]);
    await push(skopeo, w, layout, "second", "contoso/app:v1");
    assert.equal(await digestOf(skopeo, w, "contoso/app:v1"), img.second.digest);
  });
});
