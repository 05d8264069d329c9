import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startWharf, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout, type Desc } from "../helpers/oci-layout";
import { ageRows, cli, digestOf, push } from "../helpers/policy-fixtures";

/**
 * `wharf purge` against images pushed with skopeo: the dry run lists exactly what the real run then deletes;
 * --ago, --keep and --untagged as acr purge; a locked tag survives.
 */
describe("wharf purge", () => {
  let w: Wharf;
  let tmp: string;
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  const img: Record<string, Desc> = {};

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-purge-", () => w?.output() ?? ""));
    const layout = new OciLayout(path.join(tmp, "src"));
    for (const n of ["one", "two", "three", "four", "dev-old", "dev-new", "other"]) img[n] = layout.image({ fileContent: `${n}\n` });
    layout.tag(img);
    // No background collection: the test decides when anything is deleted.
    w = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
    await createRegistryRow(w, "contoso");
    await push(skopeo, w, layout, "one", "contoso/app:v1");
    await push(skopeo, w, layout, "two", "contoso/app:v2");
    await push(skopeo, w, layout, "three", "contoso/app:v3");
    await push(skopeo, w, layout, "four", "contoso/app:latest");
    await push(skopeo, w, layout, "dev-old", "contoso/app:dev");
    await push(skopeo, w, layout, "dev-new", "contoso/app:dev"); // dev-old is now untagged
    await push(skopeo, w, layout, "other", "contoso/other:v1");
    // v2 locked (as `az acr repository update --write-enabled false`); a lock change counts as an update, so age after.
    await cli(w, ["repository", "update", "-n", "contoso", "--image", "app:v2", "--write-enabled", "false"]);
    await ageRows(w, "contoso", "app", 40, { tags: ["v1"], digests: [img.one.digest, img.two.digest, img.three.digest, img["dev-old"].digest] });
    await ageRows(w, "contoso", "app", 39, { tags: ["v2"] });
    await ageRows(w, "contoso", "app", 38, { tags: ["v3"] });
    await ageRows(w, "contoso", "other", 40, { tags: ["v1"], digests: [img.other.digest] });
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const args = ["purge", "--registry", "contoso", "--filter", "app:v.*", "--ago", "30d", "--keep", "1", "--untagged"];
  type Result = { repositories: { repository: string; tags: { tag: string; digest: string; deleted?: boolean }[]; manifests: { digest: string; deleted?: boolean }[]; skipped: { tag?: string; reason: string }[] }[] };
  const items = (r: Result) => r.repositories.flatMap((p) => [...p.tags.map((t) => `${p.repository}:${t.tag}@${t.digest}`), ...p.manifests.map((m) => `${p.repository}@${m.digest}`)]).sort();
  let dry: Result;

  it("dry run: lists the old unlocked tag beyond --keep and the manifests left untagged; deletes nothing", async () => {
    const { stdout, stderr } = await cli(w, [...args, "--dry-run", "-o", "json"]);
    dry = JSON.parse(stdout);
    // v1 (40 d) and v3 (38 d) are deletable; --keep 1 keeps the newer, v3. v2 is locked. latest and dev are too new or do not match.
    assert.deepEqual(items(dry), [`app:v1@${img.one.digest}`, `app@${img["dev-old"].digest}`, `app@${img.one.digest}`].sort());
    assert.deepEqual(dry.repositories[0].skipped.map((s) => [s.tag, s.reason]).sort(), [["v2", "locked"], ["v3", "keep"]]);
    assert.match(stderr, /^DRY RUN: /m);
    assert.match(stderr, new RegExp(`Would delete: ${w.host}/contoso/app:v1$`, "m"));
    assert.match(stderr, /Number of tags to be deleted: 1\nNumber of manifests to be deleted: 2/);
    assert.equal(await digestOf(skopeo, w, "contoso/app:v1"), img.one.digest);
    assert.equal(await digestOf(skopeo, w, `contoso/app@${img["dev-old"].digest}`), img["dev-old"].digest);
  });

  it("the real run deletes exactly what the dry run listed", async () => {
    const { stdout, stderr } = await cli(w, [...args, "-o", "json"]);
    const run: Result = JSON.parse(stdout);
    assert.deepEqual(items(run), items(dry));
    for (const p of run.repositories) for (const x of [...p.tags, ...p.manifests]) assert.equal(x.deleted, true, JSON.stringify(x));
    assert.match(stderr, /Number of deleted tags: 1\nNumber of deleted manifests: 2/);
    // Through the registry, as a client sees it.
    assert.equal(await digestOf(skopeo, w, "contoso/app:v1"), null);
    assert.equal(await digestOf(skopeo, w, `contoso/app@${img.one.digest}`), null);
    assert.equal(await digestOf(skopeo, w, `contoso/app@${img["dev-old"].digest}`), null);
    assert.equal(await digestOf(skopeo, w, "contoso/app:v2"), img.two.digest, "the locked tag survives");
    assert.equal(await digestOf(skopeo, w, "contoso/app:v3"), img.three.digest, "kept by --keep");
    assert.equal(await digestOf(skopeo, w, "contoso/app:latest"), img.four.digest);
    assert.equal(await digestOf(skopeo, w, "contoso/app:dev"), img["dev-new"].digest);
    assert.equal(await digestOf(skopeo, w, "contoso/other:v1"), img.other.digest, "a repository the filter does not match");
  });

  it("a second run finds nothing more; the table output has one row per item", async () => {
    const { stdout } = await cli(w, [...args, "--dry-run", "-o", "table"]);
    assert.match(stdout, /ACTION\s+REPOSITORY\s+TAG/);
    assert.doesNotMatch(stdout, /would delete/);
    assert.match(stdout, /skip\s+app\s+v2\s.*locked/);
  });

  it("bad input is refused with a message and deletes nothing", async () => {
    for (const [bad, text] of [
      [["--filter", "app"], /REPOSITORY_REGEX:TAG_REGEX/],
      [["--filter", "app:v(1"], /not a valid regular expression/],
      [["--filter", "app:.*", "--ago", "thirty"], /not a duration/],
    ] as const) {
      const r = await import("../helpers/wharf").then((m) => m.runCli(w, ["purge", "-r", "contoso", ...bad]));
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, text);
    }
    assert.equal(await digestOf(skopeo, w, "contoso/app:v3"), img.three.digest);
  });
});
