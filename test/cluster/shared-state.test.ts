import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { startCluster, type Cluster } from "../helpers/cluster";
import { actionIds, callAction, pageUrl, signIn } from "../helpers/portal-actions";
import { sessionUser } from "../helpers/portal-session";
import { api, pushPull, token } from "../helpers/registry-fixtures";
import { pushTestImage, startDockerRegistry, type DockerRegistry } from "../helpers/upstreams";
import { ADMIN_PASSWORD } from "../helpers/wharf";

const BASIC_READS_PER_MINUTE = 12;
const REVOCATION_LIMIT_MS = 5000;

/**
 * What three nodes must share to behave as one registry: the browser session, the SKU budget, a credential's
 * revocation and what the portal shows. Each case acts on one node and observes another.
 */
describe("three nodes behave as one registry", () => {
  let c: Cluster;
  let cookie: string;
  let upstream: DockerRegistry;
  const UPSTREAM_USER = { username: "mirror", password: "mirror-Pass-1" };

  before(async () => {
    upstream = await startDockerRegistry({ htpasswd: UPSTREAM_USER });
    c = await startCluster({
      WHARF_SKU_LIMITS: JSON.stringify({ Basic: { readOpsPerMinute: BASIC_READS_PER_MINUTE } }),
      WHARF_INSECURE_REGISTRIES: upstream.host,
    });
    for (const [name, sku] of [["contoso", "Standard"], ["budget", "Basic"]]) {
      const made = await c.cli(["registry", "create", "--name", name, "--sku", sku]);
      assert.equal(made.code, 0, made.stderr);
    }
    cookie = await signIn(c.front, "admin", ADMIN_PASSWORD);
  });
  after(async () => {
    await c?.down();
    await upstream?.stop();
  });

  it("a session signed in through HAProxy is valid on every node", async () => {
    const session = cookie.split("; ").find((p) => p.includes("session-token"))!;
    for (const n of c.nodes) assert.equal(await sessionUser(n, session), "admin", `${n.name} does not know the session`);
  });

  it("a token issued by one node is accepted by every node", async () => {
    const bearer = await token(c.nodes[0], [pushPull("contoso/shared")]);
    await api(c.nodes[0], bearer).pushImage("contoso/shared", "v1");
    for (const n of c.nodes) assert.equal((await api(n, bearer).fetch("/v2/contoso/shared/manifests/v1", { method: "HEAD" })).status, 200, n.name);
  });

  it("a SKU's read budget is one budget across the three nodes", async () => {
    const bearer = await token(c.front, ["repository:budget/app:pull"]);
    // A budget may count per wall-clock minute: start early in one, so the burst (well under a second) fits in it.
    const second = new Date().getSeconds();
    if (second > 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const statuses: Record<string, number[]> = {};
    // Three times the budget, spread evenly: per-node budgets would accept all of it.
    for (let i = 0; i < 3 * BASIC_READS_PER_MINUTE; i++) {
      const n = c.nodes[i % 3];
      const r = await api(n, bearer).fetch("/v2/budget/app/tags/list");
      await r.arrayBuffer();
      (statuses[n.name] ??= []).push(r.status);
    }
    const all = Object.values(statuses).flat();
    const refused = all.filter((s) => s === 429).length;
    assert.equal(all.length - refused, BASIC_READS_PER_MINUTE, `accepted ${all.length - refused} reads of a budget of ${BASIC_READS_PER_MINUTE}: ${JSON.stringify(statuses)}`);
    assert.ok(all.every((s) => s === 429 || s === 404), JSON.stringify(statuses));
  });

  it(`a token disabled through node A is refused by node B within ${REVOCATION_LIMIT_MS / 1000} s`, async () => {
    const [a, b] = c.nodes;
    await api(a, await token(c.front, [pushPull("contoso/app")])).pushImage("contoso/app", "v1");
    const made = await c.cli(["token", "create", "--name", "ci-revoked", "--registry", "contoso", "--repository", "app", "content/read", "metadata/read"]);
    assert.equal(made.code, 0, made.stderr);
    const password = (JSON.parse(made.stdout) as { passwords: { value: string }[] }).passwords[0].value;
    const access = await token(c.front, ["repository:contoso/app:pull"], "ci-revoked", password);
    const pulls = async () => (await api(b, access).fetch("/v2/contoso/app/manifests/v1", { method: "HEAD" })).status;
    assert.equal(await pulls(), 200, "node B refused the token before it was disabled");
    // Disabled in node A's portal, by an admin signed in through HAProxy.
    const action = actionIds().get("setTokenStatusAction")!;
    const done = await callAction(a, cookie, { id: action.id, url: pageUrl(action.page, { name: "contoso" }) }, [{ registry: "contoso", name: "ci-revoked", status: "disabled" }]);
    assert.equal(done.code, "OK", done.text);
    const start = Date.now();
    let status = await pulls();
    while (status !== 401 && Date.now() - start < REVOCATION_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 100));
      status = await pulls();
    }
    assert.equal(status, 401, `node B still accepted the token ${Date.now() - start} ms after node A disabled it`);
  });

  it("a push through node A appears on node B's repository page at once", async () => {
    const [a, b] = c.nodes;
    const bearer = await token(c.front, [pushPull("contoso/portal")]);
    await api(a, bearer).pushImage("contoso/portal", "first");
    const page = async () => {
      const r = await fetch(`${b.url}/registries/contoso/repositories/portal`, { headers: { Cookie: cookie }, redirect: "manual" });
      assert.equal(r.status, 200, `node B's page answered ${r.status}`);
      return r.text();
    };
    assert.match(await page(), /first/);
    const tag = `fresh-${crypto.randomBytes(4).toString("hex")}`;
    await api(a, bearer).pushImage("contoso/portal", tag);
    assert.ok((await page()).includes(tag), `node B's page does not show ${tag} pushed through node A`);
  });
  it("a credential set made through the CLI opens on every node, and pulls through the cache on all three make one upstream fetch per blob", async () => {
    const img = await pushTestImage(upstream.host, "team/app", "v1", { ...UPSTREAM_USER, layers: 2 });
    for (const args of [
      ["credential-set", "create", "-r", "contoso", "-n", "mirror-login", "-l", upstream.host, "-u", UPSTREAM_USER.username, "-p", UPSTREAM_USER.password],
      ["cache", "create", "-r", "contoso", "-n", "team-mirror", "-s", `${upstream.host}/team/*`, "-t", "hub/*", "-c", "mirror-login"],
    ]) {
      const r = await c.cli(args);
      assert.equal(r.code, 0, r.stderr);
    }
    // Each node opens the sealed password with the cluster's one secrets key; all three pull at once.
    const pulled = await Promise.all(
      c.nodes.map(async (n) => {
        const client = api(n, await token(n, ["repository:contoso/hub/app:pull"]));
        const m = await client.fetch("/v2/contoso/hub/app/manifests/v1", { headers: { Accept: img.mediaType } });
        assert.equal(m.status, 200, `${n.name}: ${m.status} ${await m.clone().text()}`);
        const body = Buffer.from(await m.arrayBuffer());
        for (const d of img.blobs) {
          const b = await client.fetch(`/v2/contoso/hub/app/blobs/${d}`);
          assert.equal(b.status, 200, `${n.name} blob ${d}`);
          assert.equal(`sha256:${crypto.createHash("sha256").update(Buffer.from(await b.arrayBuffer())).digest("hex")}`, d);
        }
        return `sha256:${crypto.createHash("sha256").update(body).digest("hex")}`;
      }),
    );
    for (const d of pulled) assert.equal(d, img.digest);
    for (const d of img.blobs) assert.equal(upstream.requestsFor(new RegExp(`/blobs/${d}$`), { method: "GET", status: 200 }), 1, `blob ${d}: one upstream GET across three nodes`);
  });
});
