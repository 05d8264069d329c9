import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { basicAuth, startWharf, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";
import { portalSignInForm } from "../helpers/portal-session";

/**
 * Issue 11, item 1: a flood of wrong passwords, no credentials needed. Every
 * attempt used to be hashed (300 × 401, no 429). Now the budgets are taken before
 * hashing: beyond them the answer is 429 at once.
 */
let w: Wharf;
before(async () => {
  w = await startWharf();
});
after(async () => {
  await w?.stop();
});

const FLOOD = 100;

describe("a flood of wrong passwords", () => {
  it("on /oauth2/token gets 429 TOOMANYREQUESTS with Retry-After beyond the failure budget", async () => {
    const answers = await Promise.all(
      Array.from({ length: FLOOD }, async (_, i) => {
        const r = await fetch(`${w.url}/oauth2/token?service=${w.host}`, { headers: { Authorization: basicAuth("admin", `wrong${i}`) } });
        const body = (await r.json()) as { errors?: { code: string }[] };
        return { status: r.status, retryAfter: r.headers.get("retry-after"), code: body.errors?.[0]?.code };
      }),
    );
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    assert.equal(count(401) + count(429), FLOOD, `statuses: ${answers.map((a) => a.status).join(",")}`);
    assert.ok(count(401) <= 30, `${count(401)} wrong passwords were checked; the address's budget is 30`);
    assert.ok(count(429) >= FLOOD - 30, `${count(429)} refused`);
    for (const a of answers.filter((x) => x.status === 429)) {
      assert.equal(a.code, "TOOMANYREQUESTS");
      assert.ok(Number(a.retryAfter) >= 1, `Retry-After: ${a.retryAfter}`);
    }
    // The flooding address stays refused for a while, even with the right password.
    const right = await fetch(`${w.url}/oauth2/token?service=${w.host}`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } });
    assert.equal(right.status, 429);
  });

  it("on the portal's sign-in is refused beyond the address's budget, without checking", async () => {
    const forms = await Promise.all(Array.from({ length: 30 }, () => portalSignInForm(w)));
    const answers = await Promise.all(forms.map((post, i) => post("mallory", `wrong${i}`)));
    const throttled = answers.filter((a) => a.location.includes("code=throttled")).length;
    const wrong = answers.filter((a) => a.location.includes("error=CredentialsSignin") && !a.location.includes("code=throttled")).length;
    assert.equal(throttled + wrong, 30, answers.map((a) => a.location).join("\n"));
    assert.ok(wrong <= 5, `${wrong} wrong passwords were checked; WHARF_LOGIN_MAX_FAILURES is 5`);
    assert.ok(answers.every((a) => a.session === null));
  });
});
