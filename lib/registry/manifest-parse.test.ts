import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WharfError } from "../core/errors";
import { parseManifest } from "./manifest-parse";
import { MAX_JSON_DEPTH, jsonNestingExceeds } from "./manifest-schema";
import { DOCKER_LIST, DOCKER_MANIFEST, OCI_ARTIFACT, OCI_INDEX, OCI_MANIFEST } from "./media-types";

/** Parsing and validation alone: no database, no storage. */
const D = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string, size = 10, mediaType = "application/vnd.oci.image.layer.v1.tar+gzip") => ({ mediaType, digest: D(c), size });
const config = desc("c", 2, "application/vnd.oci.image.config.v1+json");
const bytes = (doc: unknown) => Buffer.from(JSON.stringify(doc));
const parse = (doc: unknown, ct?: string) => parseManifest(Buffer.isBuffer(doc) ? doc : bytes(doc), ct);

function refused(doc: unknown, pattern: RegExp, ct?: string) {
  assert.throws(
    () => parse(doc, ct),
    (err: unknown) => err instanceof WharfError && err.code === "MANIFEST_INVALID" && pattern.test(err.message),
    `expected MANIFEST_INVALID matching ${pattern}`,
  );
}

describe("manifest parsing", () => {
  it("counts nesting in one pass, ignoring brackets inside strings and escaped quotes", () => {
    assert.equal(jsonNestingExceeds(Buffer.from("[[[]]]"), 3), false);
    assert.equal(jsonNestingExceeds(Buffer.from("[[[[]]]]"), 3), true);
    assert.equal(jsonNestingExceeds(Buffer.from(`{"a":"[[[[[[\\"[[[[","b":[{}]}`), 3), false);
    assert.equal(jsonNestingExceeds(Buffer.from(`{"a\\\\":[[[[]]]]}`), 4), true, "an escaped backslash ends before the quote");
    const deep = Buffer.from("[".repeat(1_000_000) + "]".repeat(1_000_000));
    assert.equal(jsonNestingExceeds(deep, MAX_JSON_DEPTH), true);
  });

  it("reads each manifest type: image, index, Docker v2 and list, artifact", () => {
    let p = parse({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [desc("a", 5), desc("b", 7)] });
    assert.equal(p.mediaType, OCI_MANIFEST);
    assert.deepEqual(p.blobs.map((b) => b.at), ["config", "layers[0]", "layers[1]"]);
    assert.equal(p.contentSize, 14);
    assert.equal(p.artifactType, config.mediaType, "referrers fall back to the config's media type");

    p = parse({ schemaVersion: 2, config, layers: [] }, DOCKER_MANIFEST);
    assert.equal(p.mediaType, DOCKER_MANIFEST);
    assert.equal(p.artifactType, null);

    const index = { schemaVersion: 2, manifests: [{ ...desc("d", 300, OCI_MANIFEST), platform: { os: "linux", architecture: "arm64", variant: "v8" } }] };
    p = parse(index);
    assert.equal(p.mediaType, OCI_INDEX, "guessed from 'manifests'");
    assert.deepEqual([p.children[0].at, p.children[0].d.platform?.variant, p.contentSize], ["manifests[0]", "v8", 300]);
    p = parse({ ...index, mediaType: DOCKER_LIST, subject: desc("e", 1, OCI_MANIFEST) }, DOCKER_LIST);
    assert.equal(p.subject, null, "a Docker list has no subject");

    p = parse({ mediaType: OCI_ARTIFACT, artifactType: "application/vnd.example.sbom", blobs: [desc("f", 9)], subject: desc("a", 5, OCI_MANIFEST) }, OCI_ARTIFACT);
    assert.deepEqual([p.mediaType, p.artifactType, p.blobs[0].at, p.subject?.digest], [OCI_ARTIFACT, "application/vnd.example.sbom", "blobs[0]", D("a")]);
    refused({ mediaType: OCI_ARTIFACT, blobs: [] }, /'artifactType' is required/, OCI_ARTIFACT);
  });

  it("takes missing or null layers as none", () => {
    assert.deepEqual(parse({ schemaVersion: 2, mediaType: OCI_MANIFEST, config }).blobs.map((b) => b.at), ["config"]);
    assert.deepEqual(parse({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: null }).blobs.map((b) => b.at), ["config"]);
    refused({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: {} }, /'layers' must be an array of descriptors/);
  });

  it("names the field that is wrong", () => {
    const m = { schemaVersion: 2, mediaType: OCI_MANIFEST, config };
    refused({ ...m, config: undefined }, /'config' is required/);
    refused({ ...m, layers: [desc("a"), { ...desc("b"), size: -1 }] }, /'layers\[1\]\.size' must not be negative/);
    refused({ ...m, layers: [{ ...desc("b"), size: 2 ** 53 }] }, /'layers\[0\]\.size' must be a whole number/);
    refused({ ...m, layers: [{ ...desc("b"), size: 1.5 }] }, /'layers\[0\]\.size' must be a whole number/);
    refused({ ...m, layers: [{ ...desc("b"), digest: "sha256:abc" }] }, /'layers\[0\]\.digest' must be sha256/);
    refused({ ...m, layers: [{ ...desc("b"), mediaType: "not a type" }] }, /'layers\[0\]\.mediaType' must be a media type/);
    refused({ ...m, schemaVersion: 1 }, /'schemaVersion' must be 2 \(got 1\).*schema 1 is obsolete/);
    refused({ schemaVersion: 2, manifests: [{ ...desc("d"), platform: { os: "linux" } }] }, /'manifests\[0\]\.platform\.architecture' is required/);
  });

  it("annotations are maps of string to string, wherever they are", () => {
    const m = { schemaVersion: 2, mediaType: OCI_MANIFEST, config };
    assert.ok(parse({ ...m, annotations: { "org.opencontainers.image.created": "2026-01-01T00:00:00Z" } }));
    refused({ ...m, annotations: { n: 1 } }, /'annotations\.n' must be a string/);
    refused({ ...m, annotations: { "org.example": { deep: "x" } } }, /'annotations\["org\.example"\]' must be a string/);
    refused({ ...m, annotations: ["x"] }, /'annotations' must be a map of string to string/);
    refused({ ...m, layers: [{ ...desc("a"), annotations: { a: true } }] }, /'layers\[0\]\.annotations\.a' must be a string/);
    refused({ schemaVersion: 2, manifests: [], annotations: { a: null } }, /'annotations\.a'/);
  });

  it("refuses documents nested deeper than the limit before parsing them", () => {
    const nested = (n: number) => Buffer.from(`{"schemaVersion":2,"config":${JSON.stringify(config)},"x":${"[".repeat(n)}${"]".repeat(n)}}`);
    assert.ok(parse(nested(MAX_JSON_DEPTH - 1)));
    refused(nested(MAX_JSON_DEPTH), /nests objects or arrays more than 64 levels/);
    refused(nested(100_000), /nests/);
  });

  it("refuses a document that is both a manifest and an index, and sizes that add up past 2^53 - 1", () => {
    refused({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, manifests: [] }, /'manifests' must not be present in an image manifest/);
    refused({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], layers: [] }, /'layers' must not be present in an index/, OCI_INDEX);
    const half = { ...desc("a"), size: 2 ** 52 };
    refused({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [half, half, half] }, /add up to more than 9007199254740991 bytes/);
    const max = { ...desc("a"), size: Number.MAX_SAFE_INTEGER };
    refused({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: Array(1100).fill(max) }, /add up/);
  });

  it("media type: Content-Type and the body must agree; unknown types are refused", () => {
    refused({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config }, /says mediaType .* but was sent as/, OCI_MANIFEST);
    refused({ schemaVersion: 2, mediaType: "application/vnd.example+json", config }, /Unsupported manifest media type/);
    refused(Buffer.from("{not json"), /not valid JSON/);
  });

  it("Docker schema 1 Content-Types are refused even with a valid schema 2 body; a generic Content-Type lets the body decide", () => {
    const body = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [] };
    refused(body, /schema 1 .* not supported/, "application/vnd.docker.distribution.manifest.v1+prettyjws");
    refused(body, /schema 1 .* not supported/, "application/vnd.docker.distribution.manifest.v1+json");
    refused(body, /Unsupported manifest media type/, "application/vnd.example.thing+json");
    assert.equal(parse(body, "application/json").mediaType, OCI_MANIFEST);
    refused(Buffer.from("[]"), /must be a JSON object/);
  });
});
