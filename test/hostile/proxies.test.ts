import { after, before, describe } from "node:test";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { updateRegistry } from "../../lib/services/registry-settings";
import { claimsOf, useServerDatabase } from "../helpers/access";
import { hostileSuite, startHostileWharf, stopAndClean, type Observed } from "../helpers/hostile";
import { serverSigner, v2 } from "../helpers/hostile-v2";
import { rawHttp } from "../helpers/raw-http";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, basicAuth, type Wharf } from "../helpers/wharf";

/**
 * Forged client addresses with WHARF_TRUST_PROXY off (the default): the caller
 * is the socket's peer, whatever X-Forwarded-For, X-Real-IP or Forwarded say.
 * So a registry that admits only 203.0.113.0/24 refuses us (403 DENIED) however
 * we claim to be there, and the per-address throttles (failed token logins,
 * anonymous requests) cannot be dodged by inventing a new address each time.
 */
const s = hostileSuite("proxies");
let w: Wharf;
let signed: string;
const NAME = "contoso/hello";
const ALLOWED = "203.0.113.9";

before(async () => {
  w = await startHostileWharf({ WHARF_TOKEN_MAX_FAILURES: "3", WHARF_ANONYMOUS_RATE_PER_MINUTE: "10" });
  s.use(w);
  await createRegistryRow(w, "contoso");
  await createRegistryRow(w, "fabrikam");
  const t = await token(w, [`repository:${NAME}:pull,push`, "repository:fabrikam/app:pull"]);
  useServerDatabase(w);
  await updateRegistry(LOCAL_OPERATOR, "contoso", { sku: "Premium", networkDefaultAction: "Deny", networkRules: ["203.0.113.0/24"] });
  // A token minted before the rule would pass on its own; the rule is checked on every request.
  signed = await (await serverSigner(w)).sign(claimsOf(t));
});
after(() => stopAndClean(w));

const FORGERIES: [string, [string, string][]][] = [
  ["X-Forwarded-For of an allowed address", [["X-Forwarded-For", ALLOWED]]],
  ["X-Forwarded-For chain of allowed addresses", [["X-Forwarded-For", `${ALLOWED}, 203.0.113.10`]]],
  ["two X-Forwarded-For headers", [["X-Forwarded-For", ALLOWED], ["X-Forwarded-For", "203.0.113.10"]]],
  ["X-Real-IP", [["X-Real-IP", ALLOWED]]],
  ["Forwarded: for=", [["Forwarded", `for=${ALLOWED};proto=https`]]],
  ["True-Client-IP and CF-Connecting-IP", [["True-Client-IP", ALLOWED], ["CF-Connecting-IP", ALLOWED]]],
  ["X-Forwarded-For with X-Forwarded-Proto https", [["X-Forwarded-For", ALLOWED], ["X-Forwarded-Proto", "https"]]],
  ["x-wharf-client-ip (the portal's internal header)", [["x-wharf-client-ip", ALLOWED]]],
];

describe("hostile client addresses against network rules (proxy not trusted)", () => {
  for (const [label, headers] of FORGERIES) {
    s.case(`token request with ${label}: 403 DENIED`, {
      send: async () => {
        const r = await rawHttp(w.port, {
          method: "GET",
          path: `/oauth2/token?service=${encodeURIComponent(w.host)}&scope=repository:${NAME}:pull`,
          headers: [["Authorization", basicAuth("admin", ADMIN_PASSWORD)], ...headers],
        });
        return { status: r.status, code: r.code, text: `${r.status} ${r.body}` };
      },
      want: { status: 403, code: "DENIED" },
    });
    s.case(`/v2 pull with a valid token and ${label}: 403 DENIED`, {
      send: () => v2(w, "GET", `/v2/${NAME}/tags/list`, { bearer: signed, headers }),
      want: { status: 403, code: "DENIED" },
    });
  }
  s.case("/v2 push with a valid token and X-Forwarded-For of an allowed address: 403 DENIED, nothing stored", {
    send: () => v2(w, "POST", `/v2/${NAME}/blobs/uploads/`, { bearer: signed, headers: [["X-Forwarded-For", ALLOWED]] }),
    want: { status: 403, code: "DENIED" },
  });
});

/** A token request with Basic credentials from a claimed address. */
async function login(password: string, forwardedFor: string): Promise<Observed> {
  const r = await rawHttp(w.port, {
    method: "GET",
    path: `/oauth2/token?service=${encodeURIComponent(w.host)}&scope=repository:fabrikam/app:pull`,
    headers: [["Authorization", basicAuth("admin", password)], ["X-Forwarded-For", forwardedFor]],
  });
  return { status: r.status, code: r.code, text: `${r.status} ${r.body}` };
}

describe("hostile client addresses against throttles (proxy not trusted; these cases run last)", () => {
  s.case("failed token logins from a new X-Forwarded-For each time still block the socket's address: 429 TOOMANYREQUESTS", {
    setup: async () => {
      for (let i = 0; i < 4; i++) await login("wrong-password", `198.51.100.${i + 1}`);
    },
    send: () => login(ADMIN_PASSWORD, "198.51.100.200"),
    want: { status: 429, code: "TOOMANYREQUESTS" },
  });
  s.case("anonymous requests from a new X-Forwarded-For each time are still limited per socket address: 429 TOOMANYREQUESTS", {
    setup: async () => {
      for (let i = 0; i < 10; i++) await v2(w, "GET", "/v2/", { headers: [["X-Forwarded-For", `192.0.2.${i + 1}`]] });
    },
    send: () => v2(w, "GET", "/v2/", { headers: [["X-Forwarded-For", "192.0.2.200"]] }),
    want: { status: 429, code: "TOOMANYREQUESTS" },
  });
});
