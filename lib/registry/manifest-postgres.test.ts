import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { closeTempDatabase, untilSomeoneWaitsOnALock, useEngineRepositories } from "../../test/helpers/test-db";
import { manifestService } from "./manifest-service";
import type { Repo } from "./repository-resolver";
import { uploadSessions } from "./upload-session";

/**
 * Deletes and pushes of one manifest or tag at the same moment on PostgreSQL, where transactions run side by side:
 * each case holds the winner's transaction open until the loser waits on its lock, then commits it. The loser must
 * answer from what the winner left (gone, or a tag to create afresh), never fail on the row the winner removed.
 */
const onPostgres = !!process.env.WHARF_TEST_POSTGRES_URL;
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

describe("manifest deletes and pushes racing on PostgreSQL", { skip: !onPostgres && "needs WHARF_TEST_POSTGRES_URL" }, () => {
  let dir: string;
  let repo: Repo;
  let config: { mediaType: string; digest: string; size: number };
  const image = () => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, annotations: { n: crypto.randomUUID() } }));

  before(async () => {
    ({ dataDir: dir, repo } = await useEngineRepositories());
    const cfg = Buffer.from('{"os":"linux"}');
    const s = await uploadSessions.start(repo);
    await uploadSessions.finish(repo, s.id, sha(cfg), Readable.from([cfg]));
    config = { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(cfg), size: cfg.length };
  });
  after(() => closeTempDatabase(dir));

  /** Deletes the manifest in a transaction that commits only once `meanwhile` waits on it; returns what it started. */
  async function whileDeleting<T>(digest: string, meanwhile: () => Promise<T>): Promise<{ started: Promise<T> }> {
    let started: Promise<T> | undefined;
    await db().$transaction(async (tx) => {
      await tx.manifest.delete({ where: { repositoryId_digest: { repositoryId: repo.id, digest } } });
      started = meanwhile();
      started.catch(() => undefined); // awaited by the caller
      await untilSomeoneWaitsOnALock();
    });
    return { started: started! }; // wrapped: an async function's returned promise would be awaited with it
  }

  it("two deletes of one manifest at once: one deletes it, the other is told it is gone", async () => {
    const { digest } = await manifestService.put(repo, "twice", image(), OCI_MANIFEST);
    const { started: second } = await whileDeleting(digest, () => manifestService.delete(repo, digest));
    await assert.rejects(second, (err) => err instanceof WharfError && err.code === "MANIFEST_UNKNOWN");
  });

  it("a push moving a tag off a manifest being deleted creates the tag afresh", async () => {
    const { digest: old } = await manifestService.put(repo, "moving", image(), OCI_MANIFEST);
    const next = image();
    const { started: pushed } = await whileDeleting(old, () => manifestService.put(repo, "moving", next, OCI_MANIFEST));
    assert.equal((await pushed).digest, sha(next));
    const tag = await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: "moving" } }, select: { manifest: { select: { digest: true } } } });
    assert.equal(tag?.manifest.digest, sha(next), "the tag names the pushed manifest");
  });

  it("a tag deleted while its manifest is deleted: the tag's delete is told it is gone", async () => {
    const { digest } = await manifestService.put(repo, "doomed", image(), OCI_MANIFEST);
    const { started: byTag } = await whileDeleting(digest, () => manifestService.delete(repo, "doomed"));
    await assert.rejects(byTag, (err) => err instanceof WharfError && err.code === "MANIFEST_UNKNOWN");
  });
});
