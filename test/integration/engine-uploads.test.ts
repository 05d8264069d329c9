import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { setLocks } from "../../lib/services/locks";
import { api, createRegistryRow, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { startWharf, type Wharf } from "../helpers/wharf";

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Upload defects found by an attacker (issues 10 and 11), against the real server. */
describe("engine: chunked uploads", () => {
  let w: Wharf;
  let a: Api;
  let bearer: string;

  /** A request whose body goes out with Transfer-Encoding: chunked (no Content-Length), as streaming clients send it. */
  const chunked = (method: string, url: string, headers: Record<string, string>, parts: Buffer[]): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const u = new URL(url, w.url);
      const req = http.request({ host: "127.0.0.1", port: w.port, method, path: u.pathname + u.search, headers: { Authorization: `Bearer ${bearer}`, ...headers } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      for (const p of parts) req.write(p);
      req.end();
    });
  const start = async (name: string) => {
    const r = await a.fetch(`/v2/${name}/blobs/uploads/`, { method: "POST" });
    assert.equal(r.status, 202);
    return r.headers.get("location")!;
  };
  const held = async (loc: string) => {
    const r = await a.fetch(loc);
    assert.equal(r.status, 204);
    return r.headers.get("range");
  };
  const code = (r: Reply) => (JSON.parse(r.body) as { errors: { code: string }[] }).errors[0].code;

  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
    startContext(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir }));
    bearer = await token(w, [pushPull("contoso/chunks"), pushPull("contoso/locked")]);
    a = api(w, bearer);
    await a.pushBlob("contoso/chunks", Buffer.from("makes the repository"));
    await a.pushBlob("contoso/locked", Buffer.from("makes the repository"));
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  it("a chunk longer or shorter than its Content-Range stores nothing; the session stays usable", async () => {
    const data = crypto.randomBytes(30);
    const loc = await start("contoso/chunks");
    let r = await chunked("PATCH", loc, { "Content-Range": "0-9" }, [data.subarray(0, 20)]);
    assert.ok(r.status >= 400 && r.status < 500, `refused: ${r.status} ${r.body}`);
    assert.equal(code(r), "SIZE_INVALID");
    assert.equal(await held(loc), "0-0", "nothing kept");

    r = await chunked("PATCH", loc, { "Content-Range": "0-9" }, [data.subarray(0, 10)]);
    assert.equal(r.status, 202, r.body);
    assert.equal(await held(loc), "0-9");
    r = await chunked("PATCH", loc, { "Content-Range": "10-19" }, [data.subarray(10, 15)]);
    assert.equal(code(r), "SIZE_INVALID", "too short");
    assert.equal(await held(loc), "0-9");
    r = await chunked("PATCH", loc, { "Content-Range": "10-19" }, [data.subarray(10, 15), data.subarray(15, 30)]);
    assert.equal(code(r), "SIZE_INVALID", "too long, over two writes");
    assert.equal(await held(loc), "0-9");

    r = await chunked("PATCH", loc, { "Content-Range": "10-19" }, [data.subarray(10, 20)]);
    assert.equal(r.status, 202);
    r = await chunked("PUT", `${loc}?digest=${sha256(data)}`, {}, [data.subarray(20)]);
    assert.equal(r.status, 201, r.body);
    const g = await a.fetch(`/v2/contoso/chunks/blobs/${sha256(data)}`);
    assert.ok(Buffer.from(await g.arrayBuffer()).equals(data), "the hash and bytes are those of the accepted chunks only");
  });

  it("a stream PATCH without Content-Range or Content-Length is taken whole", async () => {
    const data = crypto.randomBytes(16);
    const loc = await start("contoso/chunks");
    assert.equal((await chunked("PATCH", loc, { "Content-Range": "0-7" }, [data.subarray(0, 8)])).status, 202);
    const r = await chunked("PATCH", loc, {}, [data.subarray(8, 12)]);
    assert.equal(r.status, 202);
    assert.equal(await held(loc), "0-11");
    const done = await chunked("PUT", `${loc}?digest=${sha256(data)}`, {}, [data.subarray(12)]);
    assert.equal(done.status, 201, done.body);
  });

  it("a write lock set mid-upload refuses the next PATCH and the final PUT; nothing becomes visible", async () => {
    const data = crypto.randomBytes(20);
    const loc = await start("contoso/locked");
    assert.equal((await chunked("PATCH", loc, { "Content-Range": "0-9" }, [data.subarray(0, 10)])).status, 202);
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked" }, { writeEnabled: false });
    try {
      let r = await chunked("PATCH", loc, { "Content-Range": "10-19" }, [data.subarray(10)]);
      assert.equal(r.status, 403, r.body);
      assert.equal(code(r), "DENIED");
      assert.match(r.body, /writeEnabled=false/);
      assert.equal(await held(loc), "0-9");
      r = await chunked("PUT", `${loc}?digest=${sha256(data.subarray(0, 10))}`, {}, []);
      assert.equal(r.status, 403, r.body);
      assert.match(r.body, /writeEnabled/);
      r = await chunked("PUT", `${loc}?digest=${sha256(data)}`, {}, [data.subarray(10)]);
      assert.equal(r.status, 403, r.body);
      for (const d of [sha256(data), sha256(data.subarray(0, 10))]) {
        assert.equal((await a.fetch(`/v2/contoso/locked/blobs/${d}`, { method: "HEAD" })).status, 404);
      }
      assert.equal(await held(loc), "0-9", "the session survives the refusal");
    } finally {
      await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked" }, { writeEnabled: true });
    }
    const r = await chunked("PUT", `${loc}?digest=${sha256(data)}`, {}, [data.subarray(10)]);
    assert.equal(r.status, 201, r.body);
  });
});
