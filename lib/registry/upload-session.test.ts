import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { splitName } from "../core/names";
import { useTempDatabase } from "../../test/helpers/test-db";
import { blobStore } from "./blob-store";
import { blobDataPath, uploadDataPath } from "./paths";
import { ensureRepository, type Repo } from "./repository-resolver";
import { storage } from "./storage";
import { uploadSessions } from "./upload-session";

/** Upload sessions against a real SQLite file and the filesystem driver. */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;

describe("upload sessions", () => {
  let dir: string;
  let repo: Repo;

  const setWriteLock = (locked: boolean) => db().repository.update({ where: { id: repo.id }, data: { writeEnabled: !locked } });

  before(async () => {
    dir = await useTempDatabase();
    await db().registry.create({ data: { name: "contoso" } });
    repo = await ensureRepository(splitName("contoso/app", null));
  });
  after(async () => {
    await db().$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a chunk is all or nothing: too long, too short or broken off, the session keeps its size and hash", async () => {
    const data = crypto.randomBytes(300_000);
    const s = await uploadSessions.start(repo);
    await uploadSessions.append(repo, s.id, Readable.from([data.subarray(0, 100_000)]), { range: { start: 0, end: 99_999 } });
    const tooLong = Readable.from([data.subarray(100_000, 150_000), crypto.randomBytes(150_000)]);
    await assert.rejects(uploadSessions.append(repo, s.id, tooLong, { range: { start: 100_000, end: 199_999 } }), code("SIZE_INVALID"));
    assert.equal((await uploadSessions.status(repo, s.id)).size, 100_000);
    await assert.rejects(uploadSessions.append(repo, s.id, Readable.from([data.subarray(100_000, 100_010)]), { length: 20 }), code("SIZE_INVALID"));
    assert.equal((await uploadSessions.status(repo, s.id)).size, 100_000);
    const broken = new Readable({
      read() {
        this.push(data.subarray(100_000, 200_000));
        this.destroy(new Error("connection reset"));
      },
    });
    await assert.rejects(uploadSessions.append(repo, s.id, broken, { range: { start: 100_000, end: 199_999 } }), /connection reset/);
    assert.equal((await storage().stat(uploadDataPath(s.id)))?.size, 100_000);

    await uploadSessions.append(repo, s.id, Readable.from([data.subarray(100_000, 200_000)]), { range: { start: 100_000, end: 199_999 } });
    const desc = await uploadSessions.finish(repo, s.id, sha(data), Readable.from([data.subarray(200_000)]), { length: 100_000 });
    assert.deepEqual(desc, { digest: sha(data), size: data.length });
    assert.ok((await storage().getContent(blobDataPath(sha(data)))).equals(data));
  });

  it("a write lock refuses every later chunk and the finish; lifted, the session finishes", async () => {
    const data = crypto.randomBytes(2_000);
    const s = await uploadSessions.start(repo);
    await uploadSessions.append(repo, s.id, Readable.from([data.subarray(0, 1_000)]));
    await setWriteLock(true);
    try {
      await assert.rejects(uploadSessions.append(repo, s.id, Readable.from([data.subarray(1_000)])), code("DENIED"));
      await assert.rejects(uploadSessions.finish(repo, s.id, sha(data), Readable.from([data.subarray(1_000)])), code("DENIED"));
      assert.equal((await uploadSessions.status(repo, s.id)).size, 1_000);
    } finally {
      await setWriteLock(false);
    }
    await uploadSessions.finish(repo, s.id, sha(data), Readable.from([data.subarray(1_000)]));
    assert.ok(await blobStore.stat(repo.id, sha(data)));
  });

  it("a lock set while the last chunk streams wins at commit: no blob is visible, the bytes go back to the session", async () => {
    const data = crypto.randomBytes(5_000);
    const s = await uploadSessions.start(repo);
    let sent = false;
    const lastChunk = new Readable({
      read() {
        if (sent) return this.push(null);
        sent = true;
        // The lock lands after the request passed its first check, before the blob is committed.
        void setWriteLock(true).then(() => this.push(data));
      },
    });
    try {
      await assert.rejects(uploadSessions.finish(repo, s.id, sha(data), lastChunk), code("DENIED"));
      assert.equal(await blobStore.stat(repo.id, sha(data)), null);
      assert.equal(await db().blob.count({ where: { digest: sha(data) } }), 0);
      assert.equal(await storage().stat(blobDataPath(sha(data))), null);
      assert.equal((await uploadSessions.status(repo, s.id)).size, data.length);
    } finally {
      await setWriteLock(false);
    }
    assert.equal((await uploadSessions.finish(repo, s.id, sha(data))).digest, sha(data));
    assert.ok(await blobStore.stat(repo.id, sha(data)));
  });

  it("the last chunk of a finish honours Content-Range: a wrong start is refused and changes nothing, the right one finishes", async () => {
    const data = crypto.randomBytes(30);
    const s = await uploadSessions.start(repo);
    await uploadSessions.append(repo, s.id, Readable.from([data.subarray(0, 10)]));
    const last = () => Readable.from([data.subarray(10)]);
    await assert.rejects(uploadSessions.finish(repo, s.id, sha(data), last(), { range: { start: 0, end: 19 } }), code("RANGE_INVALID"));
    await assert.rejects(uploadSessions.finish(repo, s.id, sha(data), last(), { range: { start: 20, end: 39 } }), code("RANGE_INVALID"));
    assert.equal((await uploadSessions.status(repo, s.id)).size, 10);
    assert.equal(await blobStore.stat(repo.id, sha(data)), null);
    assert.equal((await uploadSessions.finish(repo, s.id, sha(data), last(), { range: { start: 10, end: 29 } })).digest, sha(data));
  });

  it("a monolithic upload that fails leaves no session row and no bytes", async () => {
    const before = await db().upload.count();
    const data = crypto.randomBytes(1_000);
    const broken = new Readable({
      read() {
        this.push(data.subarray(0, 500));
        this.destroy(new Error("client hung up"));
      },
    });
    await assert.rejects(uploadSessions.upload(repo, sha(data), broken, { length: data.length }), /client hung up/);
    await assert.rejects(uploadSessions.upload(repo, sha(data), Readable.from([data.subarray(0, 10)]), { length: 20 }), code("SIZE_INVALID"));
    assert.equal(await db().upload.count(), before);
    assert.equal(await blobStore.stat(repo.id, sha(data)), null);
    assert.equal((await uploadSessions.upload(repo, sha(data), Readable.from([data]), { length: data.length })).digest, sha(data));
    assert.equal(await db().upload.count(), before);
  });
});
