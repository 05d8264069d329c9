import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { freePort, runCli, startWharf, type Wharf } from "../helpers/wharf";

type Check = { check: string; status: "OK" | "error"; detail: string; fix: string | null };

/** `wharf check-health` against a real server's setup: all OK when it is healthy, each broken part named with a fix. */
describe("wharf check-health", () => {
  let w: Wharf;
  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
  });
  after(async () => {
    await w?.stop();
  });

  const run = (args: string[], env: Record<string, string> = {}) => runCli({ env: { ...w.env, ...env } }, ["check-health", ...args]);

  it("reports every check OK on a healthy setup, the registry reachable through the server's URL", async () => {
    const r = await run(["--name", "contoso", "--url", w.url, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const checks = JSON.parse(r.stdout) as Check[];
    const names = checks.map((c) => c.check);
    for (const c of ["data directory", "database", "database migrations", "storage", "token signing key", "secrets key", "registry", "registry endpoint", "token endpoint"]) assert.ok(names.includes(c), `${c} missing: ${names}`);
    assert.ok(checks.every((c) => c.status === "OK" && c.fix === null), r.stdout);
    assert.match(r.stderr, /^OK {5}token endpoint: /m);
    assert.match(checks.find((c) => c.check === "outbound policy")!.detail, /^WHARF_EGRESS_DENY=link-local: .* refused those addresses/);
  });

  it("states an open outbound policy, and how to close it", async () => {
    const r = await run(["-o", "json"], { WHARF_EGRESS_DENY: "none" });
    assert.equal(r.code, 0, r.stderr);
    const egress = (JSON.parse(r.stdout) as Check[]).find((c) => c.check === "outbound policy")!;
    assert.match(egress.detail, /^WHARF_EGRESS_DENY=none: .*any address, cloud metadata \(169\.254\.169\.254\) included; set WHARF_EGRESS_DENY=link-local/);
  });

  it("exits 1 with a fix-it line when the database does not answer, and never prints its password", async () => {
    const port = await freePort();
    const r = await run(["-o", "json"], { WHARF_DATABASE_URL: `postgres://wharf:hunter2-secret@127.0.0.1:${port}/wharf` });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const checks = JSON.parse(r.stdout) as Check[];
    const database = checks.find((c) => c.check === "database")!;
    assert.equal(database.status, "error");
    assert.match(database.fix!, /Start PostgreSQL or correct WHARF_DATABASE_URL/);
    assert.match(r.stderr, /^ERROR {2}database: .*\n {7}Fix: Start PostgreSQL/m);
    assert.match(r.stderr, /^ERROR: 1 check\(s\) failed: database\./m);
    // The other local checks still ran.
    assert.equal(checks.find((c) => c.check === "data directory")?.status, "OK");
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
  });

  it("exits 1 when the server's URL does not answer, saying how to reach it", async () => {
    const port = await freePort();
    const r = await run(["--name", "contoso", "--url", `http://127.0.0.1:${port}`, "-o", "json"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const checks = JSON.parse(r.stdout) as Check[];
    const endpoint = checks.find((c) => c.check === "registry endpoint")!;
    assert.equal(endpoint.status, "error");
    assert.match(endpoint.detail, new RegExp(`127\\.0\\.0\\.1:${port}/v2/ cannot be reached`));
    assert.match(endpoint.fix!, /--url/);
    assert.equal(checks.find((c) => c.check === "database")?.status, "OK");
  });

  it("names a registry the database does not hold", async () => {
    const r = await run(["--name", "nosuchregistry", "--url", w.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR {2}registry: no registry named nosuchregistry.*\n {7}Fix: List registries with `wharf registry list`/);
  });
});
