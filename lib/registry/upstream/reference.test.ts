import { test } from "node:test";
import assert from "node:assert/strict";
import { formatUpstreamReference, parseUpstreamReference } from "./reference";

const D = "sha256:" + "a".repeat(64);

test("host, repository, tag and digest are split as docker splits them", () => {
  assert.deepEqual(parseUpstreamReference("mcr.microsoft.com/dotnet/runtime:8.0"), { host: "mcr.microsoft.com", repository: "dotnet/runtime", tag: "8.0" });
  assert.deepEqual(parseUpstreamReference(`127.0.0.1:5000/team/app@${D}`), { host: "127.0.0.1:5000", repository: "team/app", digest: D });
  assert.deepEqual(parseUpstreamReference(`localhost/app:v1@${D}`), { host: "localhost", repository: "app", tag: "v1", digest: D });
  assert.deepEqual(parseUpstreamReference("Registry.Example.com:443/a/b/c"), { host: "registry.example.com:443", repository: "a/b/c" });
});

test("Docker Hub names: docker.io and no host mean registry-1.docker.io, one-part names get library/", () => {
  assert.deepEqual(parseUpstreamReference("docker.io/nginx:1.27"), { host: "registry-1.docker.io", repository: "library/nginx", tag: "1.27" });
  assert.deepEqual(parseUpstreamReference("nginx"), { host: "registry-1.docker.io", repository: "library/nginx" });
  assert.deepEqual(parseUpstreamReference("bitnami/redis:7"), { host: "registry-1.docker.io", repository: "bitnami/redis", tag: "7" });
  assert.deepEqual(parseUpstreamReference("index.docker.io/library/alpine"), { host: "registry-1.docker.io", repository: "library/alpine" });
});

test("bad references are refused with the form to use", () => {
  for (const [input, words] of [
    ["", /empty/],
    ["https://ghcr.io/a/b:1", /no scheme/],
    ["ghcr.io/Team/App:1", /not a repository name/],
    ["ghcr.io/a/b:-bad", /invalid tag/],
    ["ghcr.io/a/b@sha256:abc", /valid sha256 digest/],
    ["ghcr.io/", /names no repository/],
    ["bad_host.io/a:1", /not a registry host|not a repository name/],
  ] as const) {
    assert.throws(() => parseUpstreamReference(input), (e: Error & { code?: string }) => e.code === "INVALID" && words.test(e.message), input);
  }
});

test("formatting gives back the canonical reference", () => {
  assert.equal(formatUpstreamReference(parseUpstreamReference(`docker.io/nginx:1@${D}`)), `registry-1.docker.io/library/nginx:1@${D}`);
});
