import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PathNotFoundError, InvalidPathError, type StorageDriver } from "./driver";

/**
 * The one test suite every StorageDriver must pass. Call it from a driver's
 * own test file with a factory giving a fresh, empty driver, and a cleanup.
 */
export function runStorageDriverSuite(
  label: string,
  factory: () => Promise<{ driver: StorageDriver; cleanup: () => Promise<void> }>,
  opts: { redirects?: boolean } = {},
): void {
  describe(`StorageDriver suite: ${label}`, () => {
    let d: StorageDriver;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ driver: d, cleanup } = await factory());
    });
    after(async () => cleanup());

    const readAll = async (r: Readable) => {
      const parts: Buffer[] = [];
      for await (const c of r) parts.push(c as Buffer);
      return Buffer.concat(parts);
    };

    it("puts and gets small content, and stats it", async () => {
      await d.putContent("a/b/c", Buffer.from("hello"));
      assert.equal((await d.getContent("a/b/c")).toString(), "hello");
      const s = await d.stat("a/b/c");
      assert.equal(s?.size, 5);
      assert.equal(s?.isDirectory, false);
      await d.putContent("a/b/c", Buffer.from("replaced"));
      assert.equal((await d.getContent("a/b/c")).toString(), "replaced");
    });

    it("reports missing paths", async () => {
      assert.equal(await d.stat("missing/file"), null);
      await assert.rejects(d.getContent("missing/file"), PathNotFoundError);
      await assert.rejects(d.reader("missing/file"), PathNotFoundError);
      await assert.rejects(d.move("missing/file", "x/y"), PathNotFoundError);
      assert.deepEqual(await d.list("missing"), []);
      await d.delete("missing/file"); // no error
    });

    it("refuses paths that could escape the root", async () => {
      for (const bad of ["../x", "a/../../x", "/abs", "a//b", "a/./b", "", "a/"]) {
        await assert.rejects(d.stat(bad), InvalidPathError, bad);
        await assert.rejects(d.putContent(bad, Buffer.from("x")), InvalidPathError, bad);
      }
    });

    it("reads a whole file and ranges of it as streams", async () => {
      const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
      await d.putContent("r/file", data);
      assert.ok((await readAll(await d.reader("r/file"))).equals(data));
      assert.ok((await readAll(await d.reader("r/file", { start: 10 }))).equals(data.subarray(10)));
      assert.ok((await readAll(await d.reader("r/file", { start: 5, end: 9 }))).equals(data.subarray(5, 10)));
      assert.ok((await readAll(await d.reader("r/file", { start: data.length - 1 }))).equals(data.subarray(data.length - 1)));
    });

    it("copies ranges into a slow writable without touching a chunk before it is flushed (when it has copyTo)", async () => {
      if (!d.copyTo) return;
      const data = crypto.randomBytes(5 * 1024 * 1024 + 3);
      await d.putContent("c/file", data);
      // Keeps each chunk as it is when its write completes: a chunk reused too early would show up as wrong bytes.
      const sink = () => {
        const parts: Buffer[] = [];
        const w = new Writable({
          highWaterMark: 1,
          write(chunk: Buffer, _enc, cb) {
            setTimeout(() => (parts.push(Buffer.from(chunk)), cb()), 2);
          },
        });
        return { w, bytes: () => Buffer.concat(parts) };
      };
      for (const range of [{ start: 0, end: data.length - 1 }, { start: 7, end: 3 * 1024 * 1024 }, { start: data.length - 1, end: data.length - 1 }]) {
        const s = sink();
        let opened = 0;
        await d.copyTo("c/file", range, s.w, () => opened++);
        assert.equal(opened, 1);
        assert.ok(s.bytes().equals(data.subarray(range.start, range.end + 1)), `${range.start}-${range.end}`);
      }
      let opened = 0;
      await assert.rejects(d.copyTo("missing/file", { start: 0, end: 0 }, sink().w, () => opened++), PathNotFoundError);
      assert.equal(opened, 0, "nothing is announced for missing bytes");
      const early = new Writable({ write: (_c, _e, cb) => setTimeout(cb, 5) });
      setTimeout(() => early.destroy(), 1);
      await d.copyTo("c/file", { start: 0, end: data.length - 1 }, early); // a closed destination ends the copy, not hangs it
    });

    it("appends with a writer across several sessions, and cancels", async () => {
      const a = crypto.randomBytes(100_000);
      const b = crypto.randomBytes(200_001);
      let w = await d.writer("up/1/data");
      assert.equal(w.startSize, 0);
      await pipeline(Readable.from([a]), w.stream);
      assert.equal(await w.close(), a.length);
      w = await d.writer("up/1/data");
      assert.equal(w.startSize, a.length);
      await pipeline(Readable.from([b.subarray(0, 1000), b.subarray(1000)]), w.stream);
      assert.equal(await w.close(), a.length + b.length);
      assert.ok((await d.getContent("up/1/data")).equals(Buffer.concat([a, b])));

      const c = await d.writer("up/2/data");
      c.stream.write(Buffer.from("partial"));
      await c.cancel();
      assert.equal(await d.stat("up/2/data"), null);
    });

    it("aborts a writer: the bytes it appended go, what was stored before stays (also after close)", async () => {
      const first = crypto.randomBytes(70_000);
      let w = await d.writer("ab/1/data");
      await pipeline(Readable.from([first]), w.stream);
      assert.equal(await w.close(), first.length);

      w = await d.writer("ab/1/data");
      await pipeline(Readable.from([crypto.randomBytes(3 * 1024 * 1024 + 5)]), w.stream);
      await w.close();
      await w.abort();
      assert.ok((await d.getContent("ab/1/data")).equals(first), "after close");

      w = await d.writer("ab/1/data");
      await new Promise<void>((resolve) => w.stream.write(crypto.randomBytes(2 * 1024 * 1024 + 1), () => resolve()));
      await w.abort();
      assert.ok((await d.getContent("ab/1/data")).equals(first), "mid-stream");

      w = await d.writer("ab/1/data");
      const failing = new Readable({
        read() {
          this.push(crypto.randomBytes(10_000));
          this.destroy(new Error("client went away"));
        },
      });
      await assert.rejects(pipeline(failing, w.stream), /client went away/);
      await w.abort();
      assert.ok((await d.getContent("ab/1/data")).equals(first), "after a failed pipeline");

      w = await d.writer("ab/1/data");
      await pipeline(Readable.from([Buffer.from("more")]), w.stream);
      assert.equal(await w.close(), first.length + 4, "still appendable");
    });

    it("moves atomically, replacing the target", async () => {
      await d.putContent("m/src", Buffer.from("new"));
      await d.putContent("m/dst/data", Buffer.from("old"));
      await d.move("m/src", "m/dst/data");
      assert.equal(await d.stat("m/src"), null);
      assert.equal((await d.getContent("m/dst/data")).toString(), "new");
      await d.move("m/dst/data", "elsewhere/deep/path");
      assert.equal((await d.getContent("elsewhere/deep/path")).toString(), "new");
    });

    it("lists direct children and deletes subtrees", async () => {
      await d.putContent("l/x/1", Buffer.from("1"));
      await d.putContent("l/x/2", Buffer.from("2"));
      await d.putContent("l/y", Buffer.from("3"));
      assert.deepEqual(await d.list("l"), ["x", "y"]);
      assert.deepEqual(await d.list("l/x"), ["1", "2"]);
      await d.delete("l/x");
      assert.deepEqual(await d.list("l"), ["y"]);
      await d.delete("l/y");
      assert.equal(await d.stat("l/y"), null);
    });

    it("stats directory-like prefixes", async () => {
      await d.putContent("s/d/f", Buffer.from("x"));
      for (const dir of ["s", "s/d"]) assert.equal((await d.stat(dir))?.isDirectory, true, dir);
      assert.equal((await d.stat("s/d/f"))?.isDirectory, false);
      assert.equal(await d.stat("s/d/f/g"), null);
      assert.equal(await d.stat("s/d/f2"), null);
    });

    it("reads ranges across the bytes of several writer sessions, and lists the file once", async () => {
      const pieces = [crypto.randomBytes(1000), crypto.randomBytes(0), crypto.randomBytes(70_001), crypto.randomBytes(5)];
      for (const piece of pieces) {
        const w = await d.writer("seg/f");
        await pipeline(Readable.from(piece.length ? [piece] : []), w.stream);
        await w.close();
      }
      const all = Buffer.concat(pieces);
      assert.equal((await d.stat("seg/f"))?.size, all.length);
      assert.ok((await d.getContent("seg/f")).equals(all));
      for (const r of [{ start: 999, end: 1000 }, { start: 500 }, { start: 71_000, end: 71_003 }, { start: all.length - 2 }, { start: 0, end: 0 }]) {
        const got = await readAll(await d.reader("seg/f", r));
        assert.ok(got.equals(all.subarray(r.start, r.end === undefined ? undefined : r.end + 1)), JSON.stringify(r));
      }
      assert.deepEqual(await d.list("seg"), ["f"]);
    });

    it("moves a file written in several sessions, small and large, into one readable file", async () => {
      const big = [crypto.randomBytes(5 * 1024 * 1024 + 11), crypto.randomBytes(6 * 1024 * 1024), crypto.randomBytes(123)];
      const small = [crypto.randomBytes(10), crypto.randomBytes(70_000), crypto.randomBytes(3)];
      for (const [name, pieces] of [["big", big], ["small", small]] as const) {
        for (const piece of pieces) {
          const w = await d.writer(`mv/${name}/data`);
          await pipeline(Readable.from([piece]), w.stream);
          await w.close();
        }
        await d.move(`mv/${name}/data`, `mv/done/${name}`);
        assert.equal(await d.stat(`mv/${name}/data`), null, name);
        assert.deepEqual(await d.list(`mv/${name}`), [], name);
        const all = Buffer.concat(pieces);
        assert.equal((await d.stat(`mv/done/${name}`))?.size, all.length, name);
        assert.ok((await d.getContent(`mv/done/${name}`)).equals(all), name);
        assert.ok((await readAll(await d.reader(`mv/done/${name}`, { start: all.length - 20 }))).equals(all.subarray(all.length - 20)), name);
      }
      assert.deepEqual(await d.list("mv/done"), ["big", "small"]);
    });

    it("hands out a redirect URL that serves the bytes, expires, and refuses tampering (or none at all)", async () => {
      const data = crypto.randomBytes(100_000);
      await d.putContent("red/x", data);
      await d.putContent("red/y", crypto.randomBytes(10));
      const url = d.redirectUrl ? await d.redirectUrl("red/x", { expiresInSeconds: 60 }) : null;
      if (!opts.redirects) return assert.equal(url, null, "this driver streams through us");
      assert.ok(url && /^https?:\/\//.test(url), "a URL");
      let res = await fetch(url);
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(data), "the bytes, fetched over real HTTP");
      res = await fetch(url, { headers: { Range: "bytes=10-19" } });
      assert.equal(res.status, 206);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(data.subarray(10, 20)), "a range of them");
      // The signature covers the path and the lifetime: another object, or a longer life, is refused.
      for (const tampered of [url.replace("red/x", "red/y"), url.replace(/X-Amz-Expires=60/, "X-Amz-Expires=3600")]) {
        assert.notEqual(tampered, url);
        res = await fetch(tampered);
        await res.arrayBuffer();
        assert.equal(res.status, 403, tampered);
      }
      const shortLived = (await d.redirectUrl!("red/x", { expiresInSeconds: 1 }))!;
      await new Promise((r) => setTimeout(r, 2500));
      res = await fetch(shortLived);
      await res.arrayBuffer();
      assert.equal(res.status, 403, "expired");
    });
  });
}
