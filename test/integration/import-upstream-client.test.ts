import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { UpstreamClient, UpstreamError } from "../../lib/registry/upstream";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { pushTestImage, startDockerRegistry, type DockerRegistry } from "../helpers/upstreams";
import { ADMIN_PASSWORD, startWharf, type Wharf } from "../helpers/wharf";

/** The upstream client against real registries: Distribution with htpasswd (Basic), and a second Wharf (Bearer). */

const USER = { username: "puller", password: "right-Pass-1" };
let reg: DockerRegistry;
let wharf: Wharf;
let dataDir: string;

async function streamDigest(body: NodeJS.ReadableStream): Promise<string> {
  const h = crypto.createHash("sha256");
  for await (const chunk of body) h.update(chunk as Buffer);
  return "sha256:" + h.digest("hex");
}

before(async () => {
  [reg, wharf] = await Promise.all([startDockerRegistry({ htpasswd: USER }), startWharf()]);
  await createRegistryRow(wharf, "upstreamone");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "upstream-client-"));
  startContext(parseConfig({ WHARF_DATA_DIR: dataDir, WHARF_INSECURE_REGISTRIES: `${reg.host},${wharf.host}`, WHARF_UPSTREAM_TIMEOUT_SECONDS: "10" }));
});
after(async () => {
  await Promise.all([reg?.stop(), wharf?.stop()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("Basic auth (docker-registry with htpasswd)", () => {
  test("manifest, HEAD and blobs are read with the right password, digests verified", async () => {
    const img = await pushTestImage(reg.host, "team/app", "v1", USER);
    const c = new UpstreamClient({ host: reg.host, credentials: USER });
    assert.deepEqual(await c.ping(), { auth: "basic" });
    const m = await c.getManifest("team/app", "v1");
    assert.equal(m.digest, img.digest);
    assert.equal(m.mediaType, img.mediaType);
    assert.deepEqual(m.bytes, img.bytes);
    assert.deepEqual(await c.headManifest("team/app", img.digest), { digest: img.digest, mediaType: img.mediaType, size: img.size });
    assert.equal(await c.headManifest("team/app", "nope"), null);
    for (const d of img.blobs) {
      const b = await c.getBlob("team/app", d);
      assert.ok(b.size > 0);
      assert.equal(await streamDigest(b.body), d);
    }
    // Distribution 2.8 has no referrers API and no fallback tag: unsupported, not an error.
    assert.equal(await c.getReferrers("team/app", img.digest), null);
  });

  test("a wrong password is 'unauthorized' naming the host and user, never the password", async () => {
    const c = new UpstreamClient({ host: reg.host, credentials: { username: USER.username, password: "wrong-secret-9" } });
    for (const call of [() => c.ping(), () => c.getManifest("team/app", "v1")]) {
      await assert.rejects(call, (e: UpstreamError) => {
        assert.ok(e instanceof UpstreamError);
        assert.equal(e.failure, "unauthorized");
        assert.match(e.message, new RegExp(`${reg.host}.*'puller'`));
        assert.ok(!e.message.includes("wrong-secret-9") && !JSON.stringify(e.detail).includes("wrong-secret-9"));
        return true;
      });
    }
    await assert.rejects(new UpstreamClient({ host: reg.host }).getManifest("team/app", "v1"), /needs a username and password/);
  });

  test("a missing tag or blob is 'not_found'; a down upstream is 'unreachable'", async () => {
    const c = new UpstreamClient({ host: reg.host, credentials: USER });
    await assert.rejects(c.getManifest("team/app", "missing"), (e: UpstreamError) => e.failure === "not_found" && e.status === 404);
    await assert.rejects(c.getBlob("team/app", "sha256:" + "0".repeat(64)), (e: UpstreamError) => e.failure === "not_found");
    const closed = await startDockerRegistry();
    await closed.stop();
    await assert.rejects(new UpstreamClient({ host: closed.host }).ping(), (e: UpstreamError) => e.failure === "unreachable" && e.message.includes(closed.host));
  });

  test("HTTPS is required unless the host is listed as insecure", async () => {
    const c = new UpstreamClient({ host: "127.0.0.1:1" });
    await assert.rejects(c.ping(), (e: UpstreamError) => e.failure === "unreachable");
    const plain = await startDockerRegistry();
    try {
      await assert.rejects(new UpstreamClient({ host: `localhost:${plain.host.split(":")[1]}` }).ping(), /WHARF_INSECURE_REGISTRIES/);
    } finally {
      await plain.stop();
    }
  });
});

describe("Bearer token auth (a second Wharf)", () => {
  test("index, children and referrers are read with a token from the realm", async () => {
    const admin = { username: "admin", password: ADMIN_PASSWORD };
    const idx = await pushTestImage(wharf.host, "upstreamone/multi", "v1", { ...admin, kind: "index" });
    const ref = await pushTestImage(wharf.host, "upstreamone/multi", null, { ...admin, kind: "artifact", subject: { digest: idx.digest, size: idx.size, mediaType: idx.mediaType } });
    const c = new UpstreamClient({ host: wharf.host, credentials: admin });
    const m = await c.getManifest("upstreamone/multi", "v1");
    assert.equal(m.digest, idx.digest);
    assert.equal(m.mediaType, "application/vnd.oci.image.index.v1+json");
    for (const child of idx.children) assert.equal((await c.getManifest("upstreamone/multi", child.digest)).digest, child.digest);
    const referrers = await c.getReferrers("upstreamone/multi", idx.digest);
    assert.deepEqual(referrers?.manifests.map((d) => d.digest), [ref.digest]);
    assert.equal(referrers?.manifests[0].artifactType, "application/vnd.example.chart.v1");
  });

  test("a wrong password is refused by the token service; no credentials is refused as needing them", async () => {
    await assert.rejects(
      new UpstreamClient({ host: wharf.host, credentials: { username: "admin", password: "not-it-123" } }).getManifest("upstreamone/multi", "v1"),
      (e: UpstreamError) => e.failure === "unauthorized" && /refused the username 'admin'/.test(e.message),
    );
    await assert.rejects(new UpstreamClient({ host: wharf.host }).getManifest("upstreamone/multi", "v1"), (e: UpstreamError) => e.failure === "unauthorized");
  });
});

describe("the outbound policy (WHARF_EGRESS_DENY)", () => {
  test("an upstream on a denied range is refused before a byte is sent, by literal address or by name; an exception lets it through", async () => {
    const port = reg.host.split(":")[1];
    const named = `localhost:${port}`;
    const insecure = `${reg.host},${named}`;
    const policy = (allow = "") => startContext(parseConfig({ WHARF_DATA_DIR: dataDir, WHARF_INSECURE_REGISTRIES: insecure, WHARF_EGRESS_DENY: "link-local,loopback", WHARF_EGRESS_ALLOW: allow }));
    try {
      policy();
      for (const host of [reg.host, named]) {
        await assert.rejects(new UpstreamClient({ host, credentials: USER }).ping(), (e: UpstreamError) =>
          e.failure === "unreachable" && /outbound policy refuses .*WHARF_EGRESS_DENY=link-local,loopback.*WHARF_EGRESS_ALLOW=(127\.0\.0\.1|::1)/.test(e.message),
        );
      }
      policy("127.0.0.1,::1");
      assert.deepEqual(await new UpstreamClient({ host: reg.host, credentials: USER }).ping(), { auth: "basic" });
    } finally {
      startContext(parseConfig({ WHARF_DATA_DIR: dataDir, WHARF_INSECURE_REGISTRIES: `${reg.host},${wharf.host}`, WHARF_UPSTREAM_TIMEOUT_SECONDS: "10" }));
    }
  });
});
