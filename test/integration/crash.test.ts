import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { startWharf, type Wharf } from "../helpers/wharf";
import { createRegistryRow, token } from "../helpers/registry-fixtures";

const MiB = 1024 * 1024;
const TOTAL = 200 * MiB;
const KEY = Buffer.alloc(16, 7);

/** Deterministic bytes [start, end) of a 200 MiB stream (AES-CTR keystream), made on the fly. */
function* bytes(start: number, end: number, chunk = 4 * MiB): Generator<Buffer> {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(Math.floor(start / 16)), 8);
  const cipher = crypto.createCipheriv("aes-128-ctr", KEY, iv);
  let skip = start % 16;
  for (let pos = start; pos < end; ) {
    const n = Math.min(chunk, end - pos);
    let out = cipher.update(Buffer.alloc(n + skip));
    if (skip) {
      out = out.subarray(skip);
      skip = 0;
    }
    pos += n;
    yield out;
  }
}

function digestOf(start: number, end: number): string {
  const h = crypto.createHash("sha256");
  for (const b of bytes(start, end)) h.update(b);
  return `sha256:${h.digest("hex")}`;
}

/** PATCH a stream; resolves with the response or rejects when the connection dies. */
function patch(w: Wharf, url: string, auth: string, body: Readable, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: "PATCH", headers: { Authorization: auth, ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res));
    });
    req.on("error", reject);
    body.on("error", (e) => req.destroy(e));
    body.pipe(req);
  });
}

describe("crash safety of uploads", () => {
  let w: Wharf;
  let auth: string;
  const name = "contoso/crash";
  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
    auth = `Bearer ${await token(w, [`repository:${name}:pull,push`])}`;
  });
  after(async () => w?.stop());

  it("SIGKILL mid-upload: nothing visible after restart, the session resumes from the bytes on disk", async () => {
    const digest = digestOf(0, TOTAL);
    let r = await fetch(`${w.url}/v2/${name}/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });
    assert.equal(r.status, 202);
    const location = r.headers.get("location")!;

    // First 40 MiB as an in-order chunk.
    const first = await patch(w, location, auth, Readable.from(bytes(0, 40 * MiB)), { "Content-Range": `0-${40 * MiB - 1}`, "Content-Length": String(40 * MiB) });
    assert.equal(first.statusCode, 202);
    assert.equal(first.headers.range, `0-${40 * MiB - 1}`);

    // Then stream the rest and kill the server after ~100 MiB more have been sent.
    const server = w;
    let sent = 40 * MiB;
    const killing = async function* () {
      for (const b of bytes(40 * MiB, TOTAL)) {
        yield b;
        sent += b.length;
        if (sent >= 140 * MiB) {
          await server.kill();
          return;
        }
      }
    };
    await assert.rejects(patch(w, location, auth, Readable.from(killing())));

    w = await w.restart();
    r = await fetch(`${w.url}/v2/${name}/blobs/${digest}`, { method: "HEAD", headers: { Authorization: auth } });
    assert.equal(r.status, 404, "an interrupted upload is not a blob");

    r = await fetch(location, { headers: { Authorization: auth } });
    assert.equal(r.status, 204, "the session survived the restart");
    const m = /^0-(\d+)$/.exec(r.headers.get("range")!)!;
    const have = Number(m[1]) + 1;
    assert.ok(have >= 40 * MiB && have <= 140 * MiB, `bytes on disk: ${have}`);

    // Resume exactly where the server says it is; the running hash is rebuilt from disk.
    const rest = await patch(w, location, auth, Readable.from(bytes(have, TOTAL)), { "Content-Range": `${have}-${TOTAL - 1}` });
    assert.equal(rest.statusCode, 202);
    assert.equal(rest.headers.range, `0-${TOTAL - 1}`);
    r = await fetch(`${location}?digest=${digest}`, { method: "PUT", headers: { Authorization: auth } });
    assert.equal(r.status, 201, await r.text());

    r = await fetch(`${w.url}/v2/${name}/blobs/${digest}`, { method: "HEAD", headers: { Authorization: auth } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-length"), String(TOTAL));
    const res = await fetch(`${w.url}/v2/${name}/blobs/${digest}`, { headers: { Authorization: auth } });
    const h = crypto.createHash("sha256");
    await pipeline(Readable.fromWeb(res.body! as never), async function* (src: AsyncIterable<Buffer>) {
      for await (const c of src) h.update(c);
    });
    assert.equal(`sha256:${h.digest("hex")}`, digest);
  });

  it("SIGKILL right after a session starts: a new session after restart works, the old one is still resumable", async () => {
    const data = Buffer.concat([...bytes(0, 3 * MiB)]);
    let r = await fetch(`${w.url}/v2/${name}/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });
    const location = r.headers.get("location")!;
    await w.kill();
    w = await w.restart();
    r = await fetch(location, { headers: { Authorization: auth } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("range"), "0-0");
    const digest = `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`;
    r = await fetch(`${location}?digest=${digest}`, { method: "PUT", headers: { Authorization: auth }, body: data });
    assert.equal(r.status, 201);
  });
});
