import { after, before, describe } from "node:test";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { updateRegistry } from "../../lib/services/registry-settings";
import { claimsOf, useServerDatabase } from "../helpers/access";
import { hostileSuite, startHostileWharf, stopAndClean, type Observed } from "../helpers/hostile";
import { pushImage, serverSigner, v2 } from "../helpers/hostile-v2";
import { rawHttp } from "../helpers/raw-http";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, basicAuth, type Wharf } from "../helpers/wharf";

/**
 * Forged client addresses with WHARF_TRUST_PROXY=true: Wharf sits behind one
 * proxy it trusts, which appends the address it saw to X-Forwarded-For. Only
 * that last entry is the proxy's word; everything left of it came from the
 * client and may be invented. So the client is the rightmost address, and a
 * forged leftmost entry opens no network rule and dodges no throttle.
 * (Here the test plays the trusted proxy, connecting from 127.0.0.1.)
 */
const s = hostileSuite("proxies-trusted");
let w: Wharf;
let signed: string;
const NAME = "contoso/hello";
const ALLOWED = "203.0.113.9";
const REAL = "198.51.100.7";

before(async () => {
  w = await startHostileWharf({ WHARF_TRUST_PROXY: "127.0.0.1", WHARF_TOKEN_MAX_FAILURES: "3" });
  s.use(w);
  await createRegistryRow(w, "contoso");
  await createRegistryRow(w, "fabrikam");
  const t = await token(w, [`repository:${NAME}:pull,push`]);
  await pushImage(w, t, NAME, "v1");
  useServerDatabase(w);
  await updateRegistry(LOCAL_OPERATOR, "contoso", { sku: "Premium", networkDefaultAction: "Deny", networkRules: ["203.0.113.0/24"] });
  signed = await (await serverSigner(w)).sign(claimsOf(t));
});
after(() => stopAndClean(w));

async function tokenFor(registryRepo: string, forwardedFor: string, password = ADMIN_PASSWORD): Promise<Observed> {
  const r = await rawHttp(w.port, {
    method: "GET",
    path: `/oauth2/token?service=${encodeURIComponent(w.host)}&scope=repository:${registryRepo}:pull`,
    headers: [["Authorization", basicAuth("admin", password)], ["X-Forwarded-For", forwardedFor]],
  });
  return { status: r.status, code: r.code, text: `${r.status} ${r.body}` };
}

describe("hostile X-Forwarded-For chains behind a trusted proxy", () => {
  s.case("the proxy's own entry is honoured: a client the proxy saw at an allowed address gets a token (200)", {
    send: () => tokenFor(NAME, ALLOWED),
    want: { status: 200 },
  });
  const chains: [string, string][] = [
    ["a forged allowed address left of the real one", `${ALLOWED}, ${REAL}`],
    ["two forged allowed addresses left of the real one", `${ALLOWED}, 203.0.113.10, ${REAL}`],
    ["a forged allowed address left of garbage", `${ALLOWED}, not-an-address`],
    ["garbage only", "not-an-address"],
  ];
  for (const [label, xff] of chains) {
    s.case(`token request with ${label}: 403 DENIED`, { send: () => tokenFor(NAME, xff), want: { status: 403, code: "DENIED" } });
    s.case(`/v2 pull with a valid token and ${label}: 403 DENIED`, {
      send: () => v2(w, "GET", `/v2/${NAME}/tags/list`, { bearer: signed, headers: [["X-Forwarded-For", xff]] }),
      want: { status: 403, code: "DENIED" },
    });
  }
  s.case("failed token logins with a new forged leftmost address each time still block the real client: 429 TOOMANYREQUESTS", {
    setup: async () => {
      for (let i = 0; i < 4; i++) await tokenFor("fabrikam/app", `192.0.2.${i + 1}, ${REAL}`, "wrong-password");
    },
    send: () => tokenFor("fabrikam/app", `192.0.2.200, ${REAL}`),
    want: { status: 429, code: "TOOMANYREQUESTS" },
  });
});
