import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { basicAuth, startWharf, withServerLog, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";
import { portalSignInForm } from "../helpers/portal-session";

/**
 * A CI fleet logs in with one account from many runners at the same moment. The
 * failure budgets (login-guard.ts) used to count attempts still being checked as
 * if they had failed, so a burst of RIGHT passwords beyond the budget's size got
 * 429 "Too many failed logins" though nothing failed. Right passwords must all be
 * answered, however many arrive at once; a burst of wrong ones is still refused.
 */
const BURST = 50;
// 50 connections from one address at once: above the default per-address cap (a separate protection).
const ENV = { WHARF_MAX_CONNECTIONS_PER_ADDRESS: String(BURST * 4) };

let w: Wharf;
before(async () => {
  w = await startWharf({ env: ENV });
});
after(async () => {
  await w?.stop();
});

async function tokenBurst(urls: string[], password: (i: number) => string): Promise<{ status: number; message: string }[]> {
  return Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const base = urls[i % urls.length];
      const host = new URL(base).host; // each node is its own login server here
      const r = await fetch(`${base}/oauth2/token?service=${host}&scope=repository:x/y:pull`, { headers: { Authorization: basicAuth("admin", password(i)) } });
      const body = (await r.json()) as { token?: string; errors?: { message: string }[] };
      return { status: r.status, message: body.errors?.[0]?.message ?? "" };
    }),
  );
}

const statuses = (answers: { status: number; message: string }[]) =>
  [...new Set(answers.map((a) => `${a.status} ${a.message}`))].map((s) => `${answers.filter((a) => `${a.status} ${a.message}` === s).length} × ${s}`).join("\n");

describe("a burst of logins with the right password", () => {
  it(`${BURST} token requests at once, all with the right password, all get a token`, withServerLog(() => [w], async () => {
    const answers = await tokenBurst([w.url], () => ADMIN_PASSWORD);
    assert.equal(answers.filter((a) => a.status === 200).length, BURST, statuses(answers));
  }));

  it("a second burst right after is answered too (the first spent nothing)", withServerLog(() => [w], async () => {
    const answers = await tokenBurst([w.url], () => ADMIN_PASSWORD);
    assert.equal(answers.filter((a) => a.status === 200).length, BURST, statuses(answers));
  }));

  it("20 portal sign-ins at once (the address's budget is 5), all with the right password, all get a session", withServerLog(() => [w], async () => {
    const forms = await Promise.all(Array.from({ length: 20 }, () => portalSignInForm(w)));
    const answers = await Promise.all(forms.map((post) => post("admin", ADMIN_PASSWORD)));
    const signedIn = answers.filter((a) => a.session !== null).length;
    assert.equal(signedIn, 20, answers.map((a) => a.location).join("\n"));
  }));

  it("/v2 takes no Basic credentials, so it has no login budget to spend: a burst is challenged, never throttled", withServerLog(() => [w], async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST }, async () => {
        const r = await fetch(`${w.url}/v2/`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } });
        await r.arrayBuffer();
        return { status: r.status, challenge: r.headers.get("www-authenticate") ?? "" };
      }),
    );
    assert.ok(answers.every((a) => a.status === 401 && a.challenge.startsWith("Bearer ")), JSON.stringify(answers.slice(0, 3)));
  }));
});

describe("a burst of wrong passwords (after the right ones: it blocks the address)", () => {
  it("is checked only up to the address's budget of 30, the rest refused with 429, and then the address is blocked", withServerLog(() => [w], async () => {
    const answers = await tokenBurst([w.url], (i) => `wrong-${i}`);
    const wrong = answers.filter((a) => a.status === 401).length;
    const refused = answers.filter((a) => a.status === 429).length;
    assert.equal(wrong + refused, BURST, statuses(answers));
    assert.ok(wrong <= 30, `${wrong} wrong passwords were checked; the address's budget is 30`);
    assert.ok(refused >= BURST - 30, statuses(answers));
    const right = await fetch(`${w.url}/oauth2/token?service=${w.host}`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } });
    assert.equal(right.status, 429, "a blocked address is refused even with the right password");
  }));

  it("on the portal is checked only up to the address's budget of 5", withServerLog(() => [w], async () => {
    const forms = await Promise.all(Array.from({ length: 20 }, () => portalSignInForm(w)));
    const answers = await Promise.all(forms.map((post, i) => post("admin", `wrong-${i}`)));
    const wrong = answers.filter((a) => a.location.includes("error=CredentialsSignin") && !a.location.includes("code=throttled")).length;
    const throttled = answers.filter((a) => a.location.includes("code=throttled")).length;
    assert.equal(wrong + throttled, 20, answers.map((a) => a.location).join("\n"));
    assert.ok(wrong <= 5, `${wrong} wrong passwords were checked; WHARF_LOGIN_MAX_FAILURES is 5`);
    assert.ok(answers.every((a) => a.session === null));
  }));
});

// Several nodes share the budgets in PostgreSQL: a burst split over two nodes must not add up to a refusal either.
describe("a burst split over two nodes", { skip: process.env.WHARF_TEST_POSTGRES_URL ? false : "WHARF_TEST_POSTGRES_URL is not set" }, () => {
  const nodes: Wharf[] = [];
  before(async () => {
    const a = await startWharf({ env: ENV });
    // Node B opens the same database, bucket and Redis prefix (backends.ts reads them from the data dir).
    const dirB = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-test-"));
    fs.copyFileSync(path.join(a.dataDir, "test-backends.json"), path.join(dirB, "test-backends.json"));
    nodes.push(a, await startWharf({ env: ENV, dataDir: dirB }));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it(`${BURST} right passwords through two nodes all get a token; ${BURST} wrong ones are checked only up to the one budget of 30`, withServerLog(() => nodes, async () => {
    const right = await tokenBurst(nodes.map((n) => n.url), () => ADMIN_PASSWORD);
    assert.equal(right.filter((a) => a.status === 200).length, BURST, statuses(right));
    const wrong = await tokenBurst(nodes.map((n) => n.url), (i) => `wrong-${i}`);
    const checked = wrong.filter((a) => a.status === 401).length;
    assert.equal(checked + wrong.filter((a) => a.status === 429).length, BURST, statuses(wrong));
    assert.ok(checked <= 30, `${checked} wrong passwords were checked over two nodes; the address's budget is 30 in all`);
  }));
});
