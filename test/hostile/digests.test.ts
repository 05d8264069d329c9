import crypto from "node:crypto";
import { after, before, describe } from "node:test";
import { hostileSuite, startHostileWharf, stopAndClean } from "../helpers/hostile";
import { imageManifest, openSession, pushImage, sha256, sha512, v2, v2Raw, type Image } from "../helpers/hostile-v2";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import type { Wharf } from "../helpers/wharf";

/**
 * Digests: `<algorithm>:<encoded>`, where Wharf verifies sha256 (64 lower-case
 * hex) and sha512 (128 lower-case hex). On blob routes, uploads, mounts and
 * referrers a malformed or unsupported digest is 400 DIGEST_INVALID. On manifest
 * reads a reference that is neither a valid tag nor a valid digest names nothing:
 * 404 MANIFEST_UNKNOWN (as Distribution answers). Nothing is stored either way.
 */
const s = hostileSuite("digests");
let w: Wharf;
let bearer: string;
let img: Image;
const NAME = "contoso/hello";

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  await createRegistryRow(w, "contoso");
  bearer = await token(w, [`repository:${NAME}:pull,push,delete`]);
  img = await pushImage(w, bearer, NAME, "v1");
});
after(() => stopAndClean(w));

const hex64 = "a".repeat(64);
const BAD_DIGESTS: [string, string][] = [
  ["too short", "sha256:abc"],
  ["63 hex characters", `sha256:${"a".repeat(63)}`],
  ["65 hex characters", `sha256:${"a".repeat(65)}`],
  ["upper-case hex", `sha256:${"A".repeat(64)}`],
  ["mixed-case hex", `sha256:${"aB".repeat(32)}`],
  ["non-hex characters", `sha256:${"g".repeat(64)}`],
  ["empty encoded part", "sha256:"],
  ["no algorithm", `:${hex64}`],
  ["no colon", `sha256${hex64}`],
  ["upper-case algorithm", `SHA256:${hex64}`],
  ["md5", `md5:${"a".repeat(32)}`],
  ["sha384 (not supported)", `sha384:${"a".repeat(96)}`],
  ["sha512 with a sha256-length hex", `sha512:${hex64}`],
  ["sha256 with a sha512-length hex", `sha256:${"a".repeat(128)}`],
  ["double colon", `sha256::${hex64}`],
  ["trailing encoded space", `sha256:${hex64}%20`],
  ["encoded NUL inside", `sha256:${"a".repeat(32)}%00${"a".repeat(31)}`],
  ["full-width digits", `sha256:${"%EF%BC%91".repeat(64)}`],
  ["10,000 hex characters", `sha256:${"a".repeat(10_000)}`],
  ["unknown algorithm of valid grammar", `sha256+b64u:${"a".repeat(43)}`],
];

// Dot segments and encoded slashes anywhere in a /v2 path are refused at the edge, before routing.
describe("hostile digests: traversal in the encoded part", () => {
  const d = "sha256:..%2f..%2fkeys%2ftoken-signing-key.json";
  s.case("blob GET traversal in the encoded part: 400 NAME_INVALID", { send: () => v2(w, "GET", `/v2/${NAME}/blobs/${d}`, { bearer }), want: { status: 400, code: "NAME_INVALID" } });
  s.case("referrers traversal in the encoded part: 400 NAME_INVALID", { send: () => v2(w, "GET", `/v2/${NAME}/referrers/${d}`, { bearer }), want: { status: 400, code: "NAME_INVALID" } });
});

describe("hostile digests: blob GET", () => {
  for (const [label, d] of BAD_DIGESTS) {
    s.case(`blob GET ${label}: 400 DIGEST_INVALID`, { send: () => v2(w, "GET", `/v2/${NAME}/blobs/${d}`, { bearer }), want: { status: 400, code: "DIGEST_INVALID" } });
  }
});

describe("hostile digests: blob HEAD and DELETE", () => {
  for (const [label, d] of BAD_DIGESTS.slice(0, 8)) {
    s.case(`blob HEAD ${label}: 400`, { send: () => v2(w, "HEAD", `/v2/${NAME}/blobs/${d}`, { bearer }), want: { status: 400 } });
    s.case(`blob DELETE ${label}: 400 DIGEST_INVALID, nothing removed`, { send: () => v2(w, "DELETE", `/v2/${NAME}/blobs/${d}`, { bearer }), want: { status: 400, code: "DIGEST_INVALID" } });
  }
});

describe("hostile digests: uploads", () => {
  const body = Buffer.from("monolithic bytes");
  for (const [label, d] of BAD_DIGESTS.filter((_, i) => i % 2 === 0)) {
    s.case(`monolithic POST ?digest= ${label}: 400 DIGEST_INVALID, nothing stored`, {
      send: () => v2(w, "POST", `/v2/${NAME}/blobs/uploads/?digest=${d}`, { bearer, body }),
      want: { status: 400, code: "DIGEST_INVALID" },
    });
  }
  for (const [label, d] of BAD_DIGESTS.filter((_, i) => i % 3 === 0)) {
    s.case(`mount ?mount= ${label}: 400 DIGEST_INVALID, no session`, {
      send: () => v2(w, "POST", `/v2/${NAME}/blobs/uploads/?mount=${d}&from=${NAME}`, { bearer }),
      want: { status: 400, code: "DIGEST_INVALID" },
    });
  }
  for (const [label, d] of BAD_DIGESTS.filter((_, i) => i % 3 === 1)) {
    s.case(`finishing PUT ?digest= ${label}: 400 DIGEST_INVALID, the session keeps its bytes`, {
      setup: () => openSession(w, bearer, NAME, Buffer.from("first chunk")),
      send: (sess) => v2(w, "PUT", `${sess.path}?digest=${d}`, { bearer }),
      want: { status: 400, code: "DIGEST_INVALID" },
    });
  }
  s.case("monolithic POST with ?digest= empty: 400 DIGEST_INVALID, nothing stored", {
    send: () => v2(w, "POST", `/v2/${NAME}/blobs/uploads/?digest=`, { bearer, body }),
    want: { status: 400, code: "DIGEST_INVALID" },
  });
  s.case("monolithic POST whose sha512 digest is of other bytes: 400 DIGEST_INVALID, nothing stored", {
    send: () => v2(w, "POST", `/v2/${NAME}/blobs/uploads/?digest=${sha512("other bytes")}`, { bearer, body }),
    want: { status: 400, code: "DIGEST_INVALID" },
  });
  s.case("finishing PUT whose sha512 digest is of other bytes: 400 DIGEST_INVALID, the failed session is gone", {
    setup: () => openSession(w, bearer, NAME, Buffer.from("some bytes")),
    send: (sess) => v2(w, "PUT", `${sess.path}?digest=${sha512("not these bytes")}`, { bearer }),
    want: (sess) => ({ status: 400, code: "DIGEST_INVALID", changes: { removed: (l) => l.includes(sess.uuid) } }),
  });
});

describe("hostile digests: referrers", () => {
  for (const [label, d] of BAD_DIGESTS.filter((_, i) => i % 2 === 1)) {
    s.case(`referrers ${label}: 400 DIGEST_INVALID`, { send: () => v2(w, "GET", `/v2/${NAME}/referrers/${d}`, { bearer }), want: { status: 400, code: "DIGEST_INVALID" } });
  }
});

describe("hostile digests: manifest references", () => {
  for (const [label, d] of BAD_DIGESTS.filter((_, i) => i % 2 === 0)) {
    s.case(`manifest GET by ${label}: 404 MANIFEST_UNKNOWN`, { send: () => v2(w, "GET", `/v2/${NAME}/manifests/${d}`, { bearer }), want: { status: 404, code: "MANIFEST_UNKNOWN" } });
  }
  for (const [label, d] of BAD_DIGESTS.slice(0, 6)) {
    s.case(`manifest DELETE by ${label}: 404 MANIFEST_UNKNOWN, nothing removed`, {
      send: () => v2(w, "DELETE", `/v2/${NAME}/manifests/${d}`, { bearer }),
      want: { status: 404, code: "MANIFEST_UNKNOWN" },
    });
  }
  s.case("manifest GET by the upper-case form of a stored digest: 404 MANIFEST_UNKNOWN", {
    send: () => v2(w, "GET", `/v2/${NAME}/manifests/sha256:${img.digest.slice(7).toUpperCase()}`, { bearer }),
    want: { status: 404, code: "MANIFEST_UNKNOWN" },
  });
  s.case("manifest PUT by a sha256 digest of other bytes: 400 DIGEST_INVALID, nothing stored", {
    send: () => v2(w, "PUT", `/v2/${NAME}/manifests/${sha256("other")}`, { bearer, body: img.manifest, headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" } }),
    want: { status: 400, code: "DIGEST_INVALID" },
  });
  s.case("manifest PUT by a sha512 digest of other bytes: 400 DIGEST_INVALID, nothing stored", {
    send: () => v2(w, "PUT", `/v2/${NAME}/manifests/${sha512("other")}`, { bearer, body: img.manifest, headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" } }),
    want: { status: 400, code: "DIGEST_INVALID" },
  });

  // sha512 is a digest Wharf accepts: what is pushed by it must be found by it.
  const sha512Manifest = () => Buffer.from(JSON.stringify(imageManifest(img.config, [img.layer], { annotations: { n: crypto.randomUUID() } })));
  s.case("manifest pushed by its sha512 digest: GET by that digest answers 200 with the same bytes", {
    setup: async () => {
      const m = sha512Manifest();
      const r = await v2Raw(w, "PUT", `/v2/${NAME}/manifests/${sha512(m)}`, { bearer, body: m, headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" } });
      if (r.status !== 201) throw new Error(`push by sha512: ${r.status} ${r.body}`);
      return { m, location: r.headers["location"] ?? "", digest: r.headers["docker-content-digest"] ?? "" };
    },
    send: ({ m }) => v2(w, "GET", `/v2/${NAME}/manifests/${sha512(m)}`, { bearer, headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } }),
    want: { status: 200 },
    verify: async ({ m }) => {
      const r = await v2Raw(w, "GET", `/v2/${NAME}/manifests/${sha512(m)}`, { bearer });
      if (r.body !== m.toString()) throw new Error("GET by the sha512 digest did not return the pushed bytes");
    },
  });
  s.case("manifest pushed by its sha512 digest: HEAD by that digest answers 200 with that Docker-Content-Digest", {
    setup: async () => {
      const m = sha512Manifest();
      const r = await v2Raw(w, "PUT", `/v2/${NAME}/manifests/${sha512(m)}`, { bearer, body: m, headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" } });
      if (r.status !== 201) throw new Error(`push by sha512: ${r.status} ${r.body}`);
      return { m };
    },
    send: ({ m }) => v2(w, "HEAD", `/v2/${NAME}/manifests/${sha512(m)}`, { bearer }),
    want: { status: 200 },
    verify: async ({ m }) => {
      const r = await v2Raw(w, "HEAD", `/v2/${NAME}/manifests/${sha512(m)}`, { bearer });
      if (r.headers["docker-content-digest"] !== sha512(m)) throw new Error(`Docker-Content-Digest ${r.headers["docker-content-digest"]}, want ${sha512(m)}`);
    },
  });
});
