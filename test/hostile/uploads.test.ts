import crypto from "node:crypto";
import { after, before, describe } from "node:test";
import { hostileSuite, startHostileWharf, stopAndClean } from "../helpers/hostile";
import { openSession, pushBlob, sha256, v2, v2Raw } from "../helpers/hostile-v2";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import type { Wharf } from "../helpers/wharf";

/**
 * Ranges and lengths of blob uploads. A chunk must start where the stored bytes
 * end and carry exactly the bytes its Content-Range and Content-Length say: an
 * out-of-order or malformed range is 416 BLOB_UPLOAD_INVALID (OCI spec), headers
 * that disagree with each other are 416 too (Wharf's rule), a body that turns out
 * longer or shorter than its range is 400 SIZE_INVALID (as Distribution answers).
 * In every case the session keeps exactly the bytes it had: a refused chunk adds
 * nothing, so the client can ask for the status and resume.
 * Framing the HTTP parser refuses (two lengths, a length and chunked together,
 * a length that is not a number) is a bare 400 from Node: no OCI body.
 */
const s = hostileSuite("uploads");
let w: Wharf;
let bearer: string;
let otherBearer: string;
const NAME = "contoso/up";
const TEN = Buffer.from("0123456789");
const bytes = (n: number) => crypto.randomBytes(n);

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  await createRegistryRow(w, "contoso");
  bearer = await token(w, [`repository:${NAME}:pull,push,delete`, "repository:contoso/other:pull,push"]);
  otherBearer = bearer;
  await pushBlob(w, bearer, NAME, Buffer.from("a blob that exists"));
});
after(() => stopAndClean(w));

const session10 = () => openSession(w, bearer, NAME, TEN);
const RANGE_INVALID = { status: 416, code: "BLOB_UPLOAD_INVALID" } as const;
const patch = (p: string, range: string | null, body: Buffer, extra: Record<string, string> = {}, chunked = false) =>
  v2(w, "PATCH", p, { bearer, body, chunked, headers: { "Content-Type": "application/octet-stream", ...(range === null ? {} : { "Content-Range": range }), ...extra } });

describe("hostile Content-Range on PATCH (session holds 10 bytes)", () => {
  const ranges: [string, string, number][] = [
    ["the same range again", "0-9", 10],
    ["overlapping the stored bytes", "5-14", 10],
    ["overlapping by one byte", "9-18", 10],
    ["leaving a gap", "20-29", 10],
    ["leaving a one-byte gap", "11-20", 10],
    ["far beyond the data", "1000000-1000009", 10],
    ["ending before it starts", "10-5", 10],
    ["with a negative start", "-5-4", 10],
    ["with a negative end", "10--1", 10],
    ["that is garbage", "garbage", 10],
    ["that is empty", "", 10],
    ["with two ranges", "10-14,15-19", 10],
    ["with trailing junk", "10-19x", 10],
    ["in exponent notation", "1e1-19", 10],
    ["in hex", "0xa-0x13", 10],
    ["with an end past 2^53", "10-99999999999999999999", 10],
    ["of only a start", "10-", 10],
    ["with a wrong unit", "items 10-19", 10],
  ];
  for (const [label, range, n] of ranges) {
    s.case(`PATCH with a Content-Range ${label} (${range || "empty"}): 416 BLOB_UPLOAD_INVALID, the session keeps its 10 bytes`, {
      setup: session10,
      send: (sess) => patch(sess.path, range, bytes(n)),
      want: RANGE_INVALID,
    });
  }
});

describe("hostile lengths on PATCH", () => {
  s.case("Content-Range 10-19 with Content-Length 20 and 20 bytes: 416, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => patch(sess.path, "10-19", bytes(20)),
    want: RANGE_INVALID,
  });
  s.case("Content-Range 10-19 with Content-Length 5 and 5 bytes: 416, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => patch(sess.path, "10-19", bytes(5)),
    want: RANGE_INVALID,
  });
  s.case("Content-Range 0-9 on an empty session with 20 chunked bytes: 400 SIZE_INVALID, the session keeps 0 bytes", {
    setup: () => openSession(w, bearer, NAME),
    send: (sess) => patch(sess.path, "0-9", bytes(20), {}, true),
    want: { status: 400, code: "SIZE_INVALID" },
  });
  s.case("Content-Range 10-19 with 20 chunked bytes: 400 SIZE_INVALID, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => patch(sess.path, "10-19", bytes(20), {}, true),
    want: { status: 400, code: "SIZE_INVALID" },
  });
  s.case("Content-Range 10-19 with 5 chunked bytes: 400 SIZE_INVALID, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => patch(sess.path, "10-19", bytes(5), {}, true),
    want: { status: 400, code: "SIZE_INVALID" },
  });
  s.case("Content-Range 10-1048585 (1 MiB) with 2 MiB chunked bytes: 400 SIZE_INVALID, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => patch(sess.path, "10-1048585", bytes(2 * 1024 * 1024), {}, true),
    want: { status: 400, code: "SIZE_INVALID" },
  });
  // A refusal given before a large body is read must reach the client (RFC 9112 §9.6, lingering
  // close), not vanish in a reset. Sent three times, since a lost answer is a race.
  s.case("an out-of-order PATCH with a 20 MiB body, three times: each answered 416, not an empty reply; the session keeps its 10 bytes", {
    setup: session10,
    send: async (sess) => {
      const body = bytes(20 * 1024 * 1024);
      let last = await patch(sess.path, `0-${body.length - 1}`, body);
      for (let i = 0; i < 2 && last.status === 416; i++) last = await patch(sess.path, `0-${body.length - 1}`, body);
      return last;
    },
    want: RANGE_INVALID,
  });
  s.case("Content-Range 10-19 with an empty body: 416, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => patch(sess.path, "10-19", Buffer.alloc(0)),
    want: RANGE_INVALID,
  });
  s.case("two different Content-Length headers: 400 from the HTTP parser, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => v2(w, "PATCH", sess.path, { bearer, body: bytes(10), headers: [["Content-Length", "10"], ["Content-Length", "20"]] }),
    want: { status: 400, code: "UNSUPPORTED" },
  });
  s.case("Content-Length and Transfer-Encoding together: 400 from the HTTP parser, the session keeps its 10 bytes", {
    setup: session10,
    send: (sess) => v2(w, "PATCH", sess.path, { bearer, body: bytes(10), chunked: true, headers: [["Content-Length", "10"]] }),
    want: { status: 400, code: "UNSUPPORTED" },
  });
  for (const [label, len] of [["negative", "-1"], ["not a number", "ten"], ["in exponent notation", "1e1"], ["larger than 2^64", "99999999999999999999999"]] as const) {
    s.case(`Content-Length ${label} (${len}): 400 from the HTTP parser, the session keeps its 10 bytes`, {
      setup: session10,
      send: (sess) => v2(w, "PATCH", sess.path, { bearer, body: bytes(10), headers: [["Content-Length", len]] }),
      want: { status: 400, code: "UNSUPPORTED" },
    });
  }
});

describe("hostile sessions", () => {
  s.case("PATCH to a session that never existed: 404 BLOB_UPLOAD_UNKNOWN, nothing stored", {
    send: () => patch(`/v2/${NAME}/blobs/uploads/${crypto.randomUUID()}`, null, bytes(10)),
    want: { status: 404, code: "BLOB_UPLOAD_UNKNOWN" },
  });
  s.case("PATCH to another repository's session: 404 BLOB_UPLOAD_UNKNOWN, that session keeps its bytes", {
    setup: () => openSession(w, otherBearer, "contoso/other", TEN),
    send: (sess) => patch(`/v2/${NAME}/blobs/uploads/${sess.uuid}`, "10-19", bytes(10)),
    want: { status: 404, code: "BLOB_UPLOAD_UNKNOWN" },
  });
  // Dot segments and encoded slashes anywhere in a /v2 path are refused at the edge, before routing.
  s.case("PATCH to a traversal upload id (..%2f..%2fkeys): 400 NAME_INVALID, nothing stored", {
    send: () => patch(`/v2/${NAME}/blobs/uploads/..%2f..%2fkeys`, null, bytes(10)),
    want: { status: 400, code: "NAME_INVALID" },
  });
  s.case("PATCH to an upper-case form of a live session id: 404 BLOB_UPLOAD_UNKNOWN, the session keeps its bytes", {
    setup: session10,
    send: (sess) => patch(`/v2/${NAME}/blobs/uploads/${sess.uuid.toUpperCase()}`, "10-19", bytes(10)),
    want: { status: 404, code: "BLOB_UPLOAD_UNKNOWN" },
  });
  s.case("PUT to a finished session: 404 BLOB_UPLOAD_UNKNOWN, nothing stored", {
    setup: async () => {
      const sess = await openSession(w, bearer, NAME, TEN);
      const r = await v2Raw(w, "PUT", `${sess.path}?digest=${sha256(TEN)}`, { bearer });
      if (r.status !== 201) throw new Error(`finish: ${r.status} ${r.body}`);
      return sess;
    },
    send: (sess) => v2(w, "PUT", `${sess.path}?digest=${sha256(Buffer.concat([TEN, TEN]))}`, { bearer, body: TEN }),
    want: { status: 404, code: "BLOB_UPLOAD_UNKNOWN" },
  });
  s.case("GET status of a cancelled session: 404 BLOB_UPLOAD_UNKNOWN", {
    setup: async () => {
      const sess = await openSession(w, bearer, NAME, TEN);
      await v2Raw(w, "DELETE", sess.path, { bearer });
      return sess;
    },
    send: (sess) => v2(w, "GET", sess.path, { bearer }),
    want: { status: 404, code: "BLOB_UPLOAD_UNKNOWN" },
  });
});

describe("hostile finishing PUTs", () => {
  s.case("PUT without ?digest=: 400 DIGEST_INVALID, the session keeps its bytes", {
    setup: session10,
    send: (sess) => v2(w, "PUT", sess.path, { bearer }),
    want: { status: 400, code: "DIGEST_INVALID" },
  });
  s.case("PUT whose digest is of other bytes: 400 DIGEST_INVALID, the failed session is gone and no blob appears", {
    setup: session10,
    send: (sess) => v2(w, "PUT", `${sess.path}?digest=${sha256("other")}`, { bearer }),
    want: (sess) => ({ status: 400, code: "DIGEST_INVALID", changes: { removed: (l) => l.includes(sess.uuid) } }),
  });
  s.case("PUT with a last chunk whose Content-Range overlaps the stored bytes: 416, nothing stored", {
    setup: session10,
    send: (sess) => {
      const last = bytes(10);
      return v2(w, "PUT", `${sess.path}?digest=${sha256(Buffer.concat([TEN, last]))}`, { bearer, body: last, headers: { "Content-Range": "0-9" } });
    },
    want: RANGE_INVALID,
  });
  s.case("PUT with a last chunk whose Content-Range leaves a gap: 416, nothing stored", {
    setup: session10,
    send: (sess) => {
      const last = bytes(10);
      return v2(w, "PUT", `${sess.path}?digest=${sha256(Buffer.concat([TEN, last]))}`, { bearer, body: last, headers: { "Content-Range": "20-29" } });
    },
    want: RANGE_INVALID,
  });
  s.case("PUT with a last chunk whose Content-Range is garbage: 416, nothing stored", {
    setup: session10,
    send: (sess) => {
      const last = bytes(10);
      return v2(w, "PUT", `${sess.path}?digest=${sha256(Buffer.concat([TEN, last]))}`, { bearer, body: last, headers: { "Content-Range": "garbage" } });
    },
    want: RANGE_INVALID,
  });
  // The bytes past Content-Length are a malformed second request, which Node may answer (400) before the
  // handler does; either way the answer is 400 and nothing may be stored.
  s.case("PUT with a last chunk longer than its Content-Length (digest of all bytes sent): 400, the failed session is gone, no blob", {
    setup: session10,
    send: (sess) => {
      const last = bytes(20);
      return v2(w, "PUT", `${sess.path}?digest=${sha256(Buffer.concat([TEN, last]))}`, { bearer, body: last, headers: { "Content-Length": "10" } });
    },
    want: (sess) => ({ status: 400, changes: { removed: (l) => l.includes(sess.uuid) } }),
  });
});

describe("hostile monolithic uploads", () => {
  s.case("POST ?digest= with a body longer than its Content-Length: 400, nothing stored", {
    send: () => {
      const body = bytes(20);
      return v2(w, "POST", `/v2/${NAME}/blobs/uploads/?digest=${sha256(body)}`, { bearer, body, headers: { "Content-Length": "10" } });
    },
    want: { status: 400 },
  });
  s.case("POST ?digest= with a chunked body of other bytes: 400 DIGEST_INVALID, nothing stored", {
    send: () => v2(w, "POST", `/v2/${NAME}/blobs/uploads/?digest=${sha256("expected")}`, { bearer, body: bytes(100), chunked: true }),
    want: { status: 400, code: "DIGEST_INVALID" },
  });
  s.case("POST ?digest= whose client hangs up half-way: no blob, no session, no file left behind", {
    send: () => {
      const body = bytes(64 * 1024);
      return v2(w, "POST", `/v2/${NAME}/blobs/uploads/?digest=${sha256(body)}`, { bearer, body: body.subarray(0, 1000), headers: { "Content-Length": String(body.length) }, hangUpAfterMs: 300 });
    },
    want: { status: 0, settleMs: 1000 },
  });
});

describe("hostile Range on blob GET", () => {
  let digest: string;
  const data = Buffer.from("exactly twenty bytes");
  before(async () => {
    digest = await pushBlob(w, bearer, NAME, data);
  });
  s.case("Range beyond the data: 416", { send: () => v2(w, "GET", `/v2/${NAME}/blobs/${digest}`, { bearer, headers: { Range: "bytes=20-30" } }), want: { status: 416 } });
  s.case("Range with a start past 2^64: 416", { send: () => v2(w, "GET", `/v2/${NAME}/blobs/${digest}`, { bearer, headers: { Range: "bytes=99999999999999999999999-" } }), want: { status: 416 } });
  s.case("Range suffix of zero bytes: 416", { send: () => v2(w, "GET", `/v2/${NAME}/blobs/${digest}`, { bearer, headers: { Range: "bytes=-0" } }), want: { status: 416 } });
  s.case("Range in an unknown unit is ignored: 200 with the whole blob", {
    send: () => v2(w, "GET", `/v2/${NAME}/blobs/${digest}`, { bearer, headers: { Range: "items=0-5" } }),
    want: { status: 200 },
    verify: async () => {
      const r = await v2Raw(w, "GET", `/v2/${NAME}/blobs/${digest}`, { bearer, headers: { Range: "items=0-5" } });
      if (r.body !== data.toString()) throw new Error(`got ${JSON.stringify(r.body)}`);
    },
  });
});
