import { after, before, describe } from "node:test";
import { hostileSuite, startHostileWharf, stopAndClean, type Expected } from "../helpers/hostile";
import { DOCKER_LIST, DOCKER_MANIFEST, OCI_CONFIG, OCI_INDEX, OCI_LAYER, OCI_MANIFEST, pushBlob, pushImage, sha256, sha512, v2, type Image } from "../helpers/hostile-v2";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import type { Wharf } from "../helpers/wharf";

/**
 * Manifest PUTs that must be refused, and nothing of them kept: no Manifest,
 * Tag or reference row, no stored bytes, no new repository. The rules are the
 * OCI image and distribution specs': a JSON object with schemaVersion 2, a
 * supported media type that agrees with Content-Type, descriptors with a string
 * mediaType, a valid digest and a non-negative safe-integer size that matches
 * the stored blob or child manifest, annotations that are string→string maps,
 * `layers` present in an image manifest, every referenced blob or child in this
 * repository (a `urls` list on an ordinary layer does not excuse a missing blob),
 * at most 4 MiB, and JSON no deeper than a parser can safely walk (Go's
 * encoding/json, which Distribution uses, stops at 10,000 levels).
 */
const s = hostileSuite("manifests");
let w: Wharf;
let bearer: string;
let img: Image;
let arm: Image;
let foreignBlob: { digest: string; size: number };
let otherRegistryBlob: { digest: string; size: number };
const NAME = "contoso/mf";

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  await createRegistryRow(w, "contoso");
  await createRegistryRow(w, "fabrikam");
  bearer = await token(w, [`repository:${NAME}:pull,push,delete`, "repository:contoso/other:pull,push", "repository:fabrikam/app:pull,push", "repository:contoso/fresh1:pull,push", "repository:contoso/fresh2:pull,push"]);
  img = await pushImage(w, bearer, NAME, "base");
  arm = await pushImage(w, bearer, NAME, "arm");
  const f = Buffer.from("a layer only contoso/other has");
  foreignBlob = { digest: await pushBlob(w, bearer, "contoso/other", f), size: f.length };
  const o = Buffer.from("a layer only fabrikam/app has");
  otherRegistryBlob = { digest: await pushBlob(w, bearer, "fabrikam/app", o), size: o.length };
});
after(() => stopAndClean(w));

type Doc = Record<string, unknown>;
/** The valid image manifest, changed by `edit`. */
const image = (edit: (m: Doc) => void = () => undefined): Doc => {
  const m: Doc = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: img.config.digest, size: img.config.size },
    layers: [{ mediaType: OCI_LAYER, digest: img.layer.digest, size: img.layer.size }],
  };
  edit(m);
  return m;
};
const layer0 = (m: Doc) => (m.layers as Doc[])[0];
const config = (m: Doc) => m.config as Doc;
/** A valid index of the two images, changed by `edit`. */
const index = (edit: (m: Doc) => void = () => undefined, type = OCI_INDEX): Doc => {
  const m: Doc = {
    schemaVersion: 2,
    mediaType: type,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: img.digest, size: img.manifest.length, platform: { os: "linux", architecture: "amd64" } },
      { mediaType: OCI_MANIFEST, digest: arm.digest, size: arm.manifest.length, platform: { os: "linux", architecture: "arm64" } },
    ],
  };
  edit(m);
  return m;
};
const child0 = (m: Doc) => (m.manifests as Doc[])[0];
const nested = (depth: number, leaf = '"x"') => "[".repeat(depth) + leaf + "]".repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '"x"' + "}".repeat(depth);
const raw = (text: string) => Buffer.from(text);
const validText = () => JSON.stringify(image());

const INVALID: Expected = { status: 400, code: "MANIFEST_INVALID" };
const BLOB_UNKNOWN: Expected = { status: 400, code: "MANIFEST_BLOB_UNKNOWN" };
const TOO_LARGE: Expected = { status: 413, code: "MANIFEST_INVALID" };

type Row = { label: string; body: () => Doc | Buffer; want: Expected; type?: string; ref?: string; repo?: string; chunked?: boolean; headers?: Record<string, string> };

function put(r: Row) {
  s.case(`${r.label}: ${r.want.status} ${r.want.code ?? ""}, nothing stored`.replace("  ", " "), {
    send: () => {
      const b = r.body();
      const body = Buffer.isBuffer(b) ? b : Buffer.from(JSON.stringify(b));
      return v2(w, "PUT", `/v2/${r.repo ?? NAME}/manifests/${r.ref ?? "hostile"}`, {
        bearer,
        body,
        chunked: r.chunked,
        headers: { "Content-Type": r.type ?? OCI_MANIFEST, ...r.headers },
      });
    },
    want: r.want,
  });
}

describe("hostile manifests: not JSON, or not a JSON object", () => {
  const rows: [string, () => Buffer][] = [
    ["an empty body", () => raw("")],
    ["a lone '{'", () => raw("{")],
    ["plain text", () => raw("not json at all")],
    ["null", () => raw("null")],
    ["an array", () => raw("[]")],
    ["a string", () => raw('"manifest"')],
    ["a number", () => raw("42")],
    ["true", () => raw("true")],
    ["a valid manifest followed by garbage", () => raw(`${validText()}}garbage`)],
    ["two manifests back to back", () => raw(validText() + validText())],
    ["a byte-order mark before the JSON", () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), raw(validText())])],
    ["NaN as schemaVersion", () => raw(validText().replace('"schemaVersion":2', '"schemaVersion":NaN'))],
    ["a comment in the JSON", () => raw(validText().replace("{", "{/* hi */"))],
    ["single-quoted keys", () => raw(validText().replace('"schemaVersion"', "'schemaVersion'"))],
    ["a trailing comma", () => raw(validText().replace(/}$/, ",}"))],
    ["UTF-16 encoded JSON", () => Buffer.from(validText(), "utf16le")],
  ];
  for (const [label, body] of rows) put({ label: `manifest that is ${label}`, body, want: INVALID });
});

describe("hostile manifests: schemaVersion and media types", () => {
  const rows: Row[] = [
    { label: "schemaVersion missing", body: () => image((m) => delete m.schemaVersion), want: INVALID },
    { label: "schemaVersion 1", body: () => image((m) => (m.schemaVersion = 1)), want: INVALID },
    { label: "schemaVersion \"2\" (a string)", body: () => image((m) => (m.schemaVersion = "2")), want: INVALID },
    { label: "schemaVersion 3", body: () => image((m) => (m.schemaVersion = 3)), want: INVALID },
    { label: "schemaVersion 2.5", body: () => image((m) => (m.schemaVersion = 2.5)), want: INVALID },
    { label: "body says index, Content-Type says image manifest", body: () => image((m) => (m.mediaType = OCI_INDEX)), want: INVALID },
    { label: "body says application/json, Content-Type says image manifest", body: () => image((m) => (m.mediaType = "application/json")), want: INVALID },
    { label: "mediaType is a number", body: () => image((m) => (m.mediaType = 42)), want: INVALID },
    { label: "mediaType is null", body: () => image((m) => (m.mediaType = null)), want: INVALID },
    { label: "an unknown vendor media type in body and Content-Type", body: () => image((m) => (m.mediaType = "application/vnd.example.thing+json")), type: "application/vnd.example.thing+json", want: INVALID },
    { label: "Content-Type of a Docker schema 1 manifest with an OCI body", body: () => image(), type: "application/vnd.docker.distribution.manifest.v1+prettyjws", want: INVALID },
    { label: "an index media type with config and layers but no manifests", body: () => image((m) => (m.mediaType = OCI_INDEX)), type: OCI_INDEX, want: INVALID },
    { label: "a Docker manifest list without manifests", body: () => ({ schemaVersion: 2, mediaType: DOCKER_LIST }), type: DOCKER_LIST, want: INVALID },
    { label: "artifactType is a number", body: () => image((m) => (m.artifactType = 42)), want: INVALID },
  ];
  rows.forEach(put);
});

describe("hostile manifests: config descriptor", () => {
  const rows: Row[] = [
    { label: "config missing", body: () => image((m) => delete m.config), want: INVALID },
    { label: "config null", body: () => image((m) => (m.config = null)), want: INVALID },
    { label: "config a digest string", body: () => image((m) => (m.config = img.config.digest)), want: INVALID },
    { label: "config digest in upper-case hex", body: () => image((m) => (config(m).digest = `sha256:${img.config.digest.slice(7).toUpperCase()}`)), want: INVALID },
    { label: "config size negative", body: () => image((m) => (config(m).size = -1)), want: INVALID },
    { label: "config size 1.5", body: () => image((m) => (config(m).size = 1.5)), want: INVALID },
    { label: "config size a string", body: () => image((m) => (config(m).size = String(img.config.size))), want: INVALID },
    { label: "config size 1e300", body: () => image((m) => (config(m).size = 1e300)), want: INVALID },
    { label: "config size 2^53+1", body: () => raw(JSON.stringify(image()).replace(`"size":${img.config.size}`, '"size":9007199254740993')), want: INVALID },
    { label: "config size one more than the blob", body: () => image((m) => (config(m).size = img.config.size + 1)), want: INVALID },
    { label: "config mediaType missing", body: () => image((m) => delete config(m).mediaType), want: INVALID },
    { label: "config mediaType a number", body: () => image((m) => (config(m).mediaType = 7)), want: INVALID },
    { label: "config blob never pushed", body: () => image((m) => (config(m).digest = sha256("no such config"))), want: BLOB_UNKNOWN },
  ];
  rows.forEach(put);
});

describe("hostile manifests: layers", () => {
  const rows: Row[] = [
    // No `layers` (or null, as Go clients send it) is a valid image manifest (OCI image spec, Distribution, regctl):
    // accepted, and tested as such in test/integration/engine-manifests.test.ts.
    { label: "layers an object", body: () => image((m) => (m.layers = {})), want: INVALID },
    { label: "layers a string", body: () => image((m) => (m.layers = "layer")), want: INVALID },
    { label: "layers [null]", body: () => image((m) => (m.layers = [null])), want: INVALID },
    { label: "layers [42]", body: () => image((m) => (m.layers = [42])), want: INVALID },
    { label: "a layer never pushed", body: () => image((m) => (layer0(m).digest = sha256("no such layer"))), want: BLOB_UNKNOWN },
    { label: "a layer only another repository has", body: () => image((m) => (m.layers = [{ mediaType: OCI_LAYER, ...foreignBlob }])), want: BLOB_UNKNOWN },
    { label: "a layer only another registry has", body: () => image((m) => (m.layers = [{ mediaType: OCI_LAYER, ...otherRegistryBlob }])), want: BLOB_UNKNOWN },
    { label: "a sha512 layer never pushed", body: () => image((m) => (layer0(m).digest = sha512("no such layer"))), want: BLOB_UNKNOWN },
    { label: "a layer size negative", body: () => image((m) => (layer0(m).size = -img.layer.size)), want: INVALID },
    { label: "a layer size one less than the blob", body: () => image((m) => (layer0(m).size = img.layer.size - 1)), want: INVALID },
    { label: "a layer size 10.5", body: () => image((m) => (layer0(m).size = 10.5)), want: INVALID },
    { label: "a layer size 2^64", body: () => image((m) => (layer0(m).size = 18446744073709551616)), want: INVALID },
    { label: "a layer digest missing", body: () => image((m) => delete layer0(m).digest), want: INVALID },
    { label: "a layer digest of the wrong length", body: () => image((m) => (layer0(m).digest = "sha256:abc")), want: INVALID },
    {
      label: "an ordinary layer with urls whose blob was never pushed",
      body: () => image((m) => (m.layers = [{ mediaType: OCI_LAYER, digest: sha256("elsewhere"), size: 9, urls: ["https://example.com/layer"] }])),
      want: BLOB_UNKNOWN,
    },
    {
      label: "a Docker layer with urls whose blob was never pushed",
      body: () => ({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST,
        config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: img.config.digest, size: img.config.size },
        layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: sha256("elsewhere"), size: 9, urls: ["https://example.com/layer"] }],
      }),
      type: DOCKER_MANIFEST,
      want: BLOB_UNKNOWN,
    },
    { label: "a layer with urls that is a string", body: () => image((m) => (layer0(m).urls = "https://example.com/layer")), want: INVALID },
  ];
  rows.forEach(put);
});

describe("hostile manifests: annotations and nesting", () => {
  const rows: Row[] = [
    { label: "annotations an array", body: () => image((m) => (m.annotations = ["a", "b"])), want: INVALID },
    { label: "annotations a string", body: () => image((m) => (m.annotations = "a=b")), want: INVALID },
    { label: "an annotation value that is a number", body: () => image((m) => (m.annotations = { a: 1 })), want: INVALID },
    { label: "an annotation value that is null", body: () => image((m) => (m.annotations = { a: null })), want: INVALID },
    { label: "an annotation value that is an object", body: () => image((m) => (m.annotations = { a: { b: "c" } })), want: INVALID },
    { label: "a layer annotation value that is a number", body: () => image((m) => (layer0(m).annotations = { a: 1 })), want: INVALID },
    { label: "config annotations an array", body: () => image((m) => (config(m).annotations = [])), want: INVALID },
    {
      label: "annotations nested 100,000 deep",
      body: () => raw(validText().replace(/}$/, `,"annotations":{"a":${nestedObject(100_000)}}}`)),
      want: INVALID,
    },
    { label: "an unknown field nested 100,000 deep in arrays", body: () => raw(validText().replace(/}$/, `,"x-extra":${nested(100_000)}}`)), want: INVALID },
    { label: "an unknown field nested 20,000 deep in objects", body: () => raw(validText().replace(/}$/, `,"x-extra":${nestedObject(20_000)}}`)), want: INVALID },
    { label: "subject a string", body: () => image((m) => (m.subject = img.digest)), want: INVALID },
    { label: "subject with a malformed digest", body: () => image((m) => (m.subject = { mediaType: OCI_MANIFEST, digest: "sha256:zz", size: 10 })), want: INVALID },
  ];
  rows.forEach(put);
});

describe("hostile manifests: sizes and lengths", () => {
  const pad = (n: number) => raw(validText().replace(/}$/, `,"annotations":{"pad":"${"x".repeat(n)}"}}`));
  /** A valid manifest of exactly `total` bytes. */
  const sized = (total: number) => pad(total - pad(0).length);
  put({ label: "a manifest of 4 MiB + 1 byte", body: () => sized(4 * 1024 * 1024 + 1), want: TOO_LARGE });
  put({ label: "a manifest of 8 MiB sent chunked (no Content-Length)", body: () => pad(8 * 1024 * 1024), chunked: true, want: TOO_LARGE });
  put({ label: "a manifest declaring Content-Length 5 MiB", body: () => pad(5 * 1024 * 1024), want: TOO_LARGE });
  // An answer given before the body is read must reach the client: no reset that swallows it
  // (RFC 9112 §9.6, lingering close). Sent three times, since a lost answer is a race.
  s.case("a manifest of 4 MiB + 1 byte sent with Connection: close, three times: each answered 413 MANIFEST_INVALID, not an empty reply", {
    send: async () => {
      let last = { status: 0, code: null as string | null, text: "" };
      for (let i = 0; i < 3; i++) {
        last = await v2(w, "PUT", `/v2/${NAME}/manifests/hostile`, { bearer, body: sized(4 * 1024 * 1024 + 1), headers: { "Content-Type": OCI_MANIFEST, Connection: "close" } });
        if (last.status !== 413) return last;
      }
      return last;
    },
    want: TOO_LARGE,
  });
  // Bytes past Content-Length are a malformed second request (Node may answer it first): 400 either way.
  put({ label: "a manifest body longer than its Content-Length", body: () => raw(validText()), headers: { "Content-Length": "40" }, want: { status: 400 } });
});

describe("hostile manifests: indexes", () => {
  const rows: Row[] = [
    { label: "an index whose child was never pushed", body: () => index((m) => (child0(m).digest = sha256("no such child"))), type: OCI_INDEX, want: BLOB_UNKNOWN },
    { label: "an index whose child size is one too many", body: () => index((m) => (child0(m).size = img.manifest.length + 1)), type: OCI_INDEX, want: INVALID },
    { label: "an index whose child size is 1", body: () => index((m) => (child0(m).size = 1)), type: OCI_INDEX, want: INVALID },
    { label: "an index whose child size is negative", body: () => index((m) => (child0(m).size = -1)), type: OCI_INDEX, want: INVALID },
    { label: "an index whose child is a layer blob, not a manifest", body: () => index((m) => Object.assign(child0(m), { digest: img.layer.digest, size: img.layer.size })), type: OCI_INDEX, want: BLOB_UNKNOWN },
    { label: "an index whose child digest is malformed", body: () => index((m) => (child0(m).digest = "sha256:nope")), type: OCI_INDEX, want: INVALID },
    { label: "an index whose manifests is an object", body: () => index((m) => (m.manifests = {})), type: OCI_INDEX, want: INVALID },
    { label: "an index whose manifests is [null]", body: () => index((m) => (m.manifests = [null])), type: OCI_INDEX, want: INVALID },
    { label: "an index whose child mediaType is a number", body: () => index((m) => (child0(m).mediaType = 1)), type: OCI_INDEX, want: INVALID },
    { label: "an index whose child platform is a string", body: () => index((m) => (child0(m).platform = "linux/amd64")), type: OCI_INDEX, want: INVALID },
    { label: "an index whose child annotations hold a number", body: () => index((m) => (child0(m).annotations = { a: 1 })), type: OCI_INDEX, want: INVALID },
    { label: "a Docker manifest list whose child size is wrong", body: () => index((m) => (child0(m).size = img.manifest.length + 100), DOCKER_LIST), type: DOCKER_LIST, want: INVALID },
    { label: "an index whose children exist only in another repository", body: () => index(), type: OCI_INDEX, repo: "contoso/other", want: BLOB_UNKNOWN },
  ];
  rows.forEach(put);
});

describe("hostile manifests: reading what a hostile push left", () => {
  s.case("referrers of a subject after a referrer with 100,000-deep annotations was pushed: 200, never 5xx", {
    setup: async () => {
      const subject = await pushImage(w, bearer, NAME, "subject");
      const referrer = JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: img.config.digest, size: img.config.size },
        layers: [],
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
      }).replace(/}$/, `,"annotations":{"a":${nestedObject(100_000)}}}`);
      // Refused once Wharf checks annotations; stored (today) otherwise. Either way the listing must work.
      await v2(w, "PUT", `/v2/${NAME}/manifests/${sha256(referrer)}`, { bearer, body: raw(referrer), headers: { "Content-Type": OCI_MANIFEST } });
      return subject;
    },
    send: (subject) => v2(w, "GET", `/v2/${NAME}/referrers/${subject.digest}`, { bearer }),
    want: { status: 200 },
  });
});

describe("hostile manifests: references", () => {
  const body = () => image();
  put({ label: "PUT by a tag of 129 characters", body, ref: "t".repeat(129), want: INVALID });
  put({ label: "PUT by a tag starting with '-'", body, ref: "-bad", want: INVALID });
  put({ label: "PUT by a tag starting with '.'", body, ref: ".hidden", want: INVALID });
  put({ label: "PUT by a tag with a unicode letter", body, ref: "v%C3%A9", want: INVALID });
  // An encoded slash anywhere in a /v2 path is refused at the edge, before routing.
  put({ label: "PUT by a tag with an encoded slash", body, ref: "v1%2flatest", want: { status: 400, code: "NAME_INVALID" } });
  put({ label: "PUT by a tag with an encoded NUL", body, ref: "v1%00", want: INVALID });
  put({ label: "PUT into a new repository with a manifest that is not JSON (no repository appears)", body: () => raw("{"), repo: "contoso/fresh1", want: INVALID });
  put({ label: "PUT into a new repository with a layer it does not hold (no repository appears)", body: () => image((m) => (layer0(m).digest = sha256("not in fresh2"))), repo: "contoso/fresh2", want: BLOB_UNKNOWN });

  const GETS: [string, string][] = [
    ["a tag starting with '-'", "-bad"],
    ["a tag starting with '.'", ".hidden"],
    ["a tag of 129 characters", "t".repeat(129)],
    ["a tag with an encoded space", "v%201"],
  ];
  for (const [label, ref] of GETS) {
    s.case(`manifest GET by ${label}: 404 MANIFEST_UNKNOWN`, { send: () => v2(w, "GET", `/v2/${NAME}/manifests/${ref}`, { bearer }), want: { status: 404, code: "MANIFEST_UNKNOWN" } });
  }
  s.case("manifest HEAD by a tag starting with '-': 404", { send: () => v2(w, "HEAD", `/v2/${NAME}/manifests/-bad`, { bearer }), want: { status: 404 } });
  s.case("manifest DELETE by a tag starting with '-': 404 MANIFEST_UNKNOWN, nothing removed", {
    send: () => v2(w, "DELETE", `/v2/${NAME}/manifests/-bad`, { bearer }),
    want: { status: 404, code: "MANIFEST_UNKNOWN" },
  });
});
