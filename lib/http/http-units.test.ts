import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseRange } from "./handlers/blobs";
import { matchRoute } from "./routes";
import { unsafePath } from "./data-plane";
import { plainAddress } from "./client-address";
import { parseScopes } from "./token-endpoint";
import { ERRORS } from "../core/errors";

describe("routes", () => {
  it("matches each route with its captures; uploads win over blobs", () => {
    assert.equal(matchRoute("/v2/")?.route.name, "base");
    assert.equal(matchRoute("/v2/_catalog")?.route.name, "catalog");
    assert.deepEqual(matchRoute("/v2/contoso/a/b/manifests/v1")?.params, { name: "contoso/a/b", reference: "v1" });
    assert.equal(matchRoute("/v2/contoso/a/blobs/uploads/")?.route.name, "uploadStart");
    assert.deepEqual(matchRoute("/v2/contoso/a/blobs/uploads/123")?.params, { name: "contoso/a", uuid: "123" });
    assert.deepEqual(matchRoute("/v2/contoso/a/blobs/sha256:ab")?.params, { name: "contoso/a", digest: "sha256:ab" });
    assert.equal(matchRoute("/v2/contoso/a/tags/list")?.route.name, "tags");
    assert.equal(matchRoute("/v2/contoso/a/referrers/sha256:ab")?.route.name, "referrers");
    assert.equal(matchRoute("/v2/contoso/a/nothing"), null);
  });
});

describe("byte ranges", () => {
  it("parses single ranges and flags unsatisfiable ones", () => {
    assert.deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange("bytes=-5", 100), { start: 95, end: 99 });
    assert.deepEqual(parseRange("bytes=50-500", 100), { start: 50, end: 99 });
    assert.equal(parseRange("bytes=100-", 100), "unsatisfiable");
    assert.equal(parseRange("bytes=0-1,5-6", 100), null);
    assert.equal(parseRange("items=0-1", 100), null);
  });
});

describe("token scopes", () => {
  it("merges, skips malformed or invalid names, keeps catalog", () => {
    assert.deepEqual(
      parseScopes(["repository:contoso/a:pull", "repository:contoso/a:push", "repository(plugin):contoso/b:pull", "registry:catalog:*", "repository:Bad:pull", "x", "registry:other:*"]),
      [
        { type: "repository", name: "contoso/a", actions: ["pull", "push"] },
        { type: "repository", name: "contoso/b", actions: ["pull"] },
        { type: "registry", name: "catalog", actions: ["*"] },
      ],
    );
  });
});

describe("OCI error table", () => {
  it("uses the spec's codes and statuses", () => {
    assert.deepEqual([ERRORS.BLOB_UNKNOWN.oci, ERRORS.BLOB_UNKNOWN.status], ["BLOB_UNKNOWN", 404]);
    assert.deepEqual([ERRORS.RANGE_INVALID.oci, ERRORS.RANGE_INVALID.status], ["BLOB_UPLOAD_INVALID", 416]);
    assert.deepEqual([ERRORS.NAME_INVALID.oci, ERRORS.NAME_INVALID.status], ["NAME_INVALID", 400]);
    assert.deepEqual([ERRORS.TOO_MANY_REQUESTS.oci, ERRORS.TOO_MANY_REQUESTS.status], ["TOOMANYREQUESTS", 429]);
    const codes = new Set<string>(Object.values(ERRORS).map((e) => e.oci));
    for (const c of ["BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS"]) {
      assert.ok(codes.has(c), c);
    }
  });
});

describe("raw paths", () => {
  it("refuses dot segments and encoded '.', '/', '\\' anywhere in the path; passes ordinary names and queries", () => {
    for (const p of ["/v2/a/../b/tags/list", "/v2/a/./b/tags/list", "/v2/a/..", "/v2/a/%2e%2e/b/tags/list", "/v2/a%2Fb/tags/list", "/v2/a%5cb/tags/list", "/v2/a\\..\\b/tags/list", "/v2/a/b%2E/tags/list"]) {
      assert.ok(unsafePath(p), p);
    }
    for (const p of ["/v2/", "/v2/contoso/my.app/manifests/v1.0", "/v2/contoso/a..b/tags/list", "/v2/contoso/app/tags/list?last=x/../y&n=%2e", "/v2/c/a/blobs/sha256:ab"]) {
      assert.equal(unsafePath(p), null, p);
    }
  });
});

describe("client addresses", () => {
  it("IPv4-mapped IPv6 peers are reported as IPv4", () => {
    assert.equal(plainAddress("::ffff:10.1.2.3"), "10.1.2.3");
    assert.equal(plainAddress("2001:db8::1"), "2001:db8::1");
    assert.equal(plainAddress("127.0.0.1"), "127.0.0.1");
  });
});
