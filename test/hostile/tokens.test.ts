import crypto from "node:crypto";
import { after, before, describe } from "node:test";
import { SignJWT } from "jose";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { createRoleAssignment } from "../../lib/services/role-assignments";
import { updateRegistry } from "../../lib/services/registry-settings";
import { createUser } from "../../lib/services/users";
import { claimsOf, useServerDatabase } from "../helpers/access";
import { hostileSuite, startHostileWharf, stopAndClean, type Observed } from "../helpers/hostile";
import { pushImage, serverSigner, v2, v2Raw } from "../helpers/hostile-v2";
import { rawHttp } from "../helpers/raw-http";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, basicAuth, type Wharf } from "../helpers/wharf";

/**
 * Bearer tokens on /v2 and the token endpoint /oauth2/token (Docker token spec,
 * DESIGN §4). An access token counts only when it is an ES256 JWT signed by this
 * server's key, issued by "wharf" for this login server (aud), inside its
 * nbf/exp window (exp required), and only for the access it lists: anything
 * else is 401 UNAUTHORIZED with a Bearer challenge. The token endpoint refuses
 * bad credentials with 401 (OAuth error invalid_grant), a foreign service with
 * 400, and grants for scopes only what was asked ∩ what the caller may do:
 * malformed scopes are granted nothing (not an error).
 */
const s = hostileSuite("tokens");
let w: Wharf;
let good: string;
let goodClaims: Record<string, unknown>;
let signer: Awaited<ReturnType<typeof serverSigner>>;
let refresh: string;
const NAME = "contoso/hello";
const TARGET = `/v2/${NAME}/tags/list`;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  await createRegistryRow(w, "contoso");
  await createRegistryRow(w, "fabrikam");
  await createRegistryRow(w, "northwind");
  useServerDatabase(w);
  // Anonymous pull from the start, before the server has cached anything about northwind.
  await pushImage(w, await token(w, ["repository:northwind/app:pull,push"]), "northwind/app", "v1");
  await updateRegistry(LOCAL_OPERATOR, "northwind", { anonymousPullEnabled: true });
  await createUser("puller", "puller-password");
  await createRoleAssignment(LOCAL_OPERATOR, { assignee: "puller", role: "AcrPull", scope: "/registries/contoso" });
  await createUser("nobody", "nobody-password");
  good = await token(w, [`repository:${NAME}:pull,push`]);
  goodClaims = claimsOf(good);
  await pushImage(w, good, NAME, "v1");
  signer = await serverSigner(w);
  const r = await fetch(`${w.url}/oauth2/token?service=${w.host}&scope=repository:${NAME}:pull&offline_token=true`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } });
  refresh = ((await r.json()) as { refresh_token: string }).refresh_token;
  if (!refresh) throw new Error("no refresh token issued");
});
after(() => stopAndClean(w));

/** The claims of the good token with changes; `null` drops a claim. */
const claims = (changes: Record<string, unknown> = {}) => ({ ...goodClaims, jti: crypto.randomUUID(), ...changes });
const now = () => Math.floor(Date.now() / 1000);
const UNAUTHORIZED = { status: 401, code: "UNAUTHORIZED" } as const;

/** GET the tag list with this Authorization header; the challenge must name the realm. */
async function withAuth(authorization: string | null): Promise<Observed> {
  const r = await v2Raw(w, "GET", TARGET, { headers: authorization === null ? {} : { Authorization: authorization } });
  const challenge = r.headers["www-authenticate"] ?? "";
  const ok = r.status !== 401 || challenge.startsWith(`Bearer realm="${w.url}/oauth2/token"`);
  return { status: r.status, code: ok ? r.code : `${r.code} without a Bearer challenge`, text: `${r.status} ${challenge} ${r.body}` };
}

describe("hostile bearer tokens on /v2", () => {
  const forged: [string, () => Promise<string>][] = [
    ["alg none, no signature", async () => `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`],
    ["alg 'None', no signature", async () => `${b64({ alg: "None", typ: "JWT" })}.${b64(claims())}.`],
    ["alg none carrying the good signature", async () => `${b64({ alg: "none" })}.${b64(claims())}.${good.split(".")[2]}`],
    [
      "HS256 signed with the server's public JWK as the secret",
      async () => new SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).sign(Buffer.from(JSON.stringify(signer.publicJwk))),
    ],
    [
      "HS256 signed with the server's public key PEM as the secret",
      async () => {
        const pem = crypto.createPublicKey({ key: signer.publicJwk as crypto.JsonWebKey, format: "jwk" }).export({ type: "spki", format: "pem" });
        return new SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).sign(Buffer.from(pem));
      },
    ],
    [
      "ES256 signed by another key with the server's kid",
      async () => {
        const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
        return new SignJWT(claims()).setProtectedHeader({ alg: "ES256", kid: JSON.parse(Buffer.from(good.split(".")[0], "base64url").toString()).kid }).sign(privateKey);
      },
    ],
    [
      "ES256 by another key, announced with an embedded jwk header",
      async () => {
        const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
        return new SignJWT(claims()).setProtectedHeader({ alg: "ES256", jwk: publicKey.export({ format: "jwk" }) as never }).sign(privateKey);
      },
    ],
    ["the right key, wrong audience", () => signer.sign(claims({ aud: "other.example.com" }))],
    ["the right key, audience of another registry host", () => signer.sign(claims({ aud: `fabrikam.registry.test:${w.port}` }))],
    ["the right key, the refresh audience", () => signer.sign(claims({ aud: `refresh:${w.host}` }))],
    ["the right key, wrong issuer", () => signer.sign(claims({ iss: "evil" }))],
    ["the right key, no issuer", () => signer.sign(claims({ iss: null }))],
    ["the right key, expired a minute ago", () => signer.sign(claims({ exp: now() - 60, iat: now() - 400, nbf: now() - 400 }))],
    ["the right key, not valid for another hour", () => signer.sign(claims({ nbf: now() + 3600, iat: now() + 3600, exp: now() + 7200 }))],
    ["the right key, no expiry at all", () => signer.sign(claims({ exp: null }))],
    ["the right key, expiry a string", () => signer.sign(claims({ exp: "never" }))],
    ["the right key, signed as ES384", async () => good.replace(/^[^.]+/, b64({ ...JSON.parse(Buffer.from(good.split(".")[0], "base64url").toString()), alg: "ES384" }))],
    ["a refresh token used as an access token", async () => refresh],
    ["a token granting only another registry's repository", () => token(w, ["repository:fabrikam/app:pull,push"])],
    ["a token granting only another repository", () => token(w, ["repository:contoso/other:pull,push"])],
    ["the good token's signature on a payload granting everything", async () => `${good.split(".")[0]}.${b64(claims({ access: [{ type: "repository", name: "*", actions: ["*"] }] }))}.${good.split(".")[2]}`],
    ["the good token with its payload swapped for another repository's", async () => `${good.split(".")[0]}.${b64(claims({ access: [{ type: "repository", name: "contoso/secret", actions: ["pull"] }] }))}.${good.split(".")[2]}`],
    ["the right key, access claim a string", () => signer.sign(claims({ access: "repository:contoso/hello:pull" }))],
    ["the right key, actions a string", () => signer.sign(claims({ access: [{ type: "repository", name: NAME, actions: "pull" }] }))],
    ["truncated by ten characters", async () => good.slice(0, -10)],
    ["without its signature", async () => good.split(".").slice(0, 2).join(".") + "."],
    ["with only two parts", async () => good.split(".").slice(0, 2).join(".")],
    ["with a fourth part", async () => `${good}.${good.split(".")[2]}`],
    ["garbage", async () => "garbage"],
    ["base64 garbage in three parts", async () => "AAAA.BBBB.CCCC"],
    ["64 KiB of base64", async () => "A".repeat(12 * 1024)],
  ];
  for (const [label, make] of forged) {
    s.case(`Bearer ${label}: 401 UNAUTHORIZED with a challenge`, { setup: make, send: (t) => withAuth(`Bearer ${t}`), want: UNAUTHORIZED });
  }
  const schemes: [string, () => string][] = [
    ["no Authorization header", () => ""],
    ["an empty Bearer", () => "Bearer "],
    ["Bearer with two tokens", () => `Bearer ${good} ${good}`],
    ["the good token under the Basic scheme", () => `Basic ${good}`],
    ["admin's password as Basic on /v2", () => basicAuth("admin", ADMIN_PASSWORD)],
    ["a Digest scheme", () => 'Digest username="admin", realm="wharf", nonce="x", response="y"'],
    ["a Negotiate scheme", () => "Negotiate YIIFZgYGKwYBBQUCoIIFWjCCBVag"],
    ["the token with no scheme", () => good],
  ];
  for (const [label, make] of schemes) {
    s.case(`${label}: 401 UNAUTHORIZED with a challenge`, { send: () => withAuth(make() || null), want: UNAUTHORIZED });
  }
  s.case("the good token as an access_token query parameter: 401 UNAUTHORIZED", {
    send: () => v2(w, "GET", `${TARGET}?access_token=${good}`),
    want: UNAUTHORIZED,
  });
});

/** The token endpoint's answer: the OAuth error when there is one, else the OCI code. */
async function tokenEndpoint(method: string, query: string, init: { auth?: string; form?: string; headers?: Record<string, string> } = {}): Promise<Observed & { access: unknown; token: string | null }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth) headers.Authorization = init.auth;
  if (init.form !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const r = await rawHttp(w.port, { method, path: `/oauth2/token${query}`, headers, body: init.form });
  const j = (r.json ?? {}) as { error?: string; token?: string };
  let access: unknown = null;
  if (typeof j.token === "string") access = claimsOf(j.token).access;
  return { status: r.status, code: j.error ?? r.code, text: `${r.status} ${r.body.slice(0, 400)}`, access, token: typeof j.token === "string" ? j.token : null };
}
const svc = () => `?service=${encodeURIComponent(w.host)}&scope=repository:${NAME}:pull`;

describe("hostile credentials at /oauth2/token", () => {
  const INVALID_GRANT = { status: 401, code: "invalid_grant" } as const;
  const basics: [string, () => string][] = [
    ["Basic with invalid base64", () => "Basic !!!not-base64!!!"],
    ["Basic without a colon", () => `Basic ${Buffer.from("adminonly").toString("base64")}`],
    ["Basic with nothing after the scheme", () => "Basic "],
    ["Basic with the wrong password", () => basicAuth("admin", "wrong-password")],
    ["Basic with an empty password", () => basicAuth("admin", "")],
    ["Basic with an empty username", () => basicAuth("", ADMIN_PASSWORD)],
    ["Basic with a 4 KiB username", () => basicAuth("a".repeat(4096), ADMIN_PASSWORD)],
    ["Basic with a NUL in the username", () => basicAuth("admin\u0000", ADMIN_PASSWORD)],
    ["Basic with the password in upper case", () => basicAuth("admin", ADMIN_PASSWORD.toUpperCase())],
    ["Basic for a user that does not exist", () => basicAuth("ghost", ADMIN_PASSWORD)],
  ];
  for (const [label, make] of basics) {
    s.case(`GET with ${label}: 401 invalid_grant`, { send: () => tokenEndpoint("GET", svc(), { auth: make() }), want: INVALID_GRANT });
  }
  s.case("GET for another service: 400, no token", {
    send: () => tokenEndpoint("GET", `?service=elsewhere.example.com&scope=repository:${NAME}:pull`, { auth: basicAuth("admin", ADMIN_PASSWORD) }),
    want: { status: 400, code: "UNSUPPORTED" },
  });
  s.case("POST without grant_type: 400 unsupported_grant_type", {
    send: () => tokenEndpoint("POST", "", { form: `service=${w.host}&username=admin&password=${ADMIN_PASSWORD}` }),
    want: { status: 400, code: "unsupported_grant_type" },
  });
  s.case("POST as JSON instead of a form: 400 unsupported_grant_type", {
    send: () => tokenEndpoint("POST", "", { form: JSON.stringify({ grant_type: "password", username: "admin", password: ADMIN_PASSWORD }), headers: { "Content-Type": "application/json" } }),
    want: { status: 400, code: "unsupported_grant_type" },
  });
  s.case("POST grant_type=password with the wrong password: 401 invalid_grant", {
    send: () => tokenEndpoint("POST", "", { form: `grant_type=password&service=${w.host}&username=admin&password=nope-nope` }),
    want: INVALID_GRANT,
  });
  s.case("POST grant_type=password with no username: 401 invalid_grant", {
    send: () => tokenEndpoint("POST", "", { form: `grant_type=password&service=${w.host}&password=${ADMIN_PASSWORD}` }),
    want: INVALID_GRANT,
  });
  s.case("POST grant_type=refresh_token with garbage: 401 invalid_grant", {
    send: () => tokenEndpoint("POST", "", { form: `grant_type=refresh_token&service=${w.host}&refresh_token=garbage` }),
    want: INVALID_GRANT,
  });
  s.case("POST grant_type=refresh_token with an access token: 401 invalid_grant", {
    send: () => tokenEndpoint("POST", "", { form: `grant_type=refresh_token&service=${w.host}&refresh_token=${good}` }),
    want: INVALID_GRANT,
  });
  s.case("POST grant_type=refresh_token with an expired refresh token: 401 invalid_grant", {
    setup: () => signer.sign({ ...claimsOf(refresh), aud: `refresh:${w.host}`, exp: now() - 60, iat: now() - 4000, nbf: null }),
    send: (t) => tokenEndpoint("POST", "", { form: `grant_type=refresh_token&service=${w.host}&refresh_token=${t}` }),
    want: INVALID_GRANT,
  });
  s.case("POST grant_type=refresh_token with a refresh token for another service: 401 invalid_grant", {
    setup: () => signer.sign({ ...claimsOf(refresh), aud: "refresh:elsewhere.example.com" }),
    send: (t) => tokenEndpoint("POST", "", { form: `grant_type=refresh_token&service=${w.host}&refresh_token=${t}` }),
    want: INVALID_GRANT,
  });
  s.case("POST grant_type=refresh_token for a subject that does not exist: 401 invalid_grant", {
    setup: () => signer.sign({ ...claimsOf(refresh), sub: `user:${crypto.randomUUID()}` }),
    send: (t) => tokenEndpoint("POST", "", { form: `grant_type=refresh_token&service=${w.host}&refresh_token=${t}` }),
    want: INVALID_GRANT,
  });
  s.case("POST a form larger than 64 KiB: 400 invalid_request", {
    send: () => tokenEndpoint("POST", "", { form: `grant_type=password&username=admin&password=${ADMIN_PASSWORD}&pad=${"x".repeat(70 * 1024)}` }),
    want: { status: 400, code: "invalid_request" },
  });
  s.case("PUT /oauth2/token: 405 UNSUPPORTED", { send: () => tokenEndpoint("PUT", svc()), want: { status: 405, code: "UNSUPPORTED" } });
  s.case("GET /oauth2/other: 404 UNSUPPORTED", {
    send: async () => {
      const r = await rawHttp(w.port, { method: "GET", path: "/oauth2/other" });
      return { status: r.status, code: r.code, text: r.body };
    },
    want: { status: 404, code: "UNSUPPORTED" },
  });
});

describe("hostile scopes at /oauth2/token", () => {
  const ask = (scopes: string[], auth = basicAuth("admin", ADMIN_PASSWORD)) => {
    const q = new URLSearchParams({ service: w.host });
    for (const sc of scopes) q.append("scope", sc);
    return tokenEndpoint("GET", `?${q}`, { auth });
  };
  const grantsNothing = (scope: string, label: string) =>
    s.case(`scope ${label} (${JSON.stringify(scope).slice(0, 60)}): 200, granted nothing`, {
      send: () => ask([scope]),
      want: { status: 200 },
      verify: async (_s, got) => {
        const a = (got as Observed & { access: unknown }).access;
        if (JSON.stringify(a) !== "[]") throw new Error(`granted ${JSON.stringify(a)}`);
      },
    });
  const MALFORMED: [string, string][] = [
    ["with only a type", "repository"],
    ["with a type and a colon", "repository:"],
    ["without actions", `repository:${NAME}`],
    ["with an empty action list", `repository:${NAME}:`],
    ["with an empty name", "repository::pull"],
    ["with an upper-case name", "repository:Contoso/Hello:pull"],
    ["with a '..' name", "repository:contoso/../contoso/hello:pull"],
    ["with a unicode name", "repository:contoso/héllo:pull"],
    ["of an unknown type", "foo:bar:pull"],
    ["of the registry type for something else than the catalog", "registry:other:*"],
    ["for the catalog with an action that is not '*'", "registry:catalog:pull"],
    ["with only commas for actions", `repository:${NAME}:,,,`],
    ["with a name of 300 characters", `repository:contoso/${"a".repeat(300)}:pull`],
  ];
  for (const [label, scope] of MALFORMED) grantsNothing(scope, label);
  const sameAs = (label: string, asked: string, baseline: string, who: () => string) =>
    s.case(label, {
      setup: async () => (await ask([baseline], who())).access,
      send: () => ask([asked], who()),
      want: { status: 200 },
      verify: async (base, got) => {
        const a = JSON.stringify((got as Observed & { access: unknown }).access);
        if (a !== JSON.stringify(base)) throw new Error(`granted ${a}, want ${JSON.stringify(base)}`);
      },
    });
  const admin = () => basicAuth("admin", ADMIN_PASSWORD);
  const puller = () => basicAuth("puller", "puller-password");
  const nobody = () => basicAuth("nobody", "nobody-password");
  sameAs("scope asking pull plus an action that does not exist: 200, granted what plain pull grants", `repository:${NAME}:pull,evil`, `repository:${NAME}:pull`, admin);
  sameAs("AcrPull user asking pull,push,delete: 200, granted what plain pull grants", `repository:${NAME}:pull,push,delete`, `repository:${NAME}:pull`, puller);
  sameAs("AcrPull user asking '*': 200, granted what plain pull grants", `repository:${NAME}:*`, `repository:${NAME}:pull`, puller);
  sameAs("AcrPull user asking for another registry: 200, granted nothing", "repository:fabrikam/app:pull,push", "repository:Bad:pull", puller);
  sameAs("user without any role asking pull,push: 200, granted nothing", `repository:${NAME}:pull,push`, "repository:Bad:pull", nobody);

  s.case("anonymous caller asking pull,push,delete with anonymous pull off: 200, granted nothing", {
    send: () => ask([`repository:${NAME}:pull,push,delete`], ""),
    want: { status: 200 },
    verify: async (_s, got) => {
      const a = JSON.stringify((got as Observed & { access: unknown }).access);
      if (a !== "[]") throw new Error(`granted ${a}`);
    },
  });
  s.case("anonymous caller asking for the catalog: 200, granted nothing", {
    send: () => ask(["registry:catalog:*"], ""),
    want: { status: 200 },
    verify: async (_s, got) => {
      const a = JSON.stringify((got as Observed & { access: unknown }).access);
      if (a !== "[]") throw new Error(`granted ${a}`);
    },
  });
});

describe("hostile catalog listings (northwind has anonymous pull on)", () => {
  let fabrikamAdmin: string;
  before(async () => {
    await pushImage(w, await token(w, ["repository:fabrikam/app:pull,push"]), "fabrikam/app", "v1");
    const { passwords } = await updateRegistry(LOCAL_OPERATOR, "fabrikam", { adminUserEnabled: true });
    fabrikamAdmin = passwords[0].value;
    await createUser("fabuser", "fabuser-password");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "fabuser", role: "AcrPull", scope: "/registries/fabrikam" });
  });
  /** The catalog as seen with a token from these credentials; the listing must hold exactly `want`. */
  const catalogOf = (label: string, creds: () => { user: string; password: string } | null, want: string[] | null) =>
    s.case(label, {
      setup: async () => {
        const q = `?service=${encodeURIComponent(w.host)}&scope=registry:catalog:*`;
        const c = creds();
        const r = await tokenEndpoint("GET", q, c ? { auth: basicAuth(c.user, c.password) } : {});
        if (!r.token) throw new Error(`no token: ${r.text}`);
        return r.token;
      },
      send: (t) => v2(w, "GET", "/v2/_catalog", { bearer: t }),
      want: want === null ? UNAUTHORIZED : { status: 200 },
      verify: async (t) => {
        if (want === null) return;
        const r = await v2Raw(w, "GET", "/v2/_catalog", { bearer: t });
        const got = (r.json as { repositories: string[] }).repositories;
        if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`listed ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      },
    });
  catalogOf("_catalog with fabrikam's admin user: lists only fabrikam's repositories, not anonymous-pull northwind's", () => ({ user: "fabrikam", password: fabrikamAdmin }), ["fabrikam/app"]);
  catalogOf("_catalog with a user who may pull only fabrikam: lists only fabrikam's repositories", () => ({ user: "fabuser", password: "fabuser-password" }), ["fabrikam/app"]);
  catalogOf("_catalog with a user without any role: lists nothing, not anonymous-pull northwind's", () => ({ user: "nobody", password: "nobody-password" }), []);
  catalogOf("_catalog anonymously: 401 UNAUTHORIZED", () => null, null);
});

describe("hostile headers", () => {
  s.case("an Authorization header of 64 KiB: 431, nothing stored", {
    send: () => v2(w, "GET", TARGET, { headers: { Authorization: `Bearer ${"A".repeat(64 * 1024)}` } }),
    want: { status: 431, code: "UNSUPPORTED" },
  });
  s.case("200 headers of 200 bytes each: 431", {
    send: () => v2(w, "GET", TARGET, { headers: Array.from({ length: 200 }, (_, i) => [`X-Pad-${i}`, "p".repeat(200)] as [string, string]) }),
    want: { status: 431, code: "UNSUPPORTED" },
  });
  s.case("a header folded over two lines (obs-fold): 400 from the HTTP parser", {
    send: () => v2(w, "GET", TARGET, { headers: [["X-Folded", `a\r\n b`]] }),
    want: { status: 400, code: "UNSUPPORTED" },
  });
  s.case("a header name with a space: 400 from the HTTP parser", {
    send: () => v2(w, "GET", TARGET, { headers: [["Bad Name", "x"]] }),
    want: { status: 400, code: "UNSUPPORTED" },
  });
  s.case("two Authorization headers, a forged one first: 401 UNAUTHORIZED", {
    send: () => v2(w, "GET", TARGET, { headers: [["Authorization", "Bearer forged"], ["Authorization", `Bearer ${good}`]] }),
    want: UNAUTHORIZED,
  });
  // A Host that is not host[:port] names no login server: refuse it (400), never build a challenge
  // realm or a token audience from it, never fail on it (5xx).
  const HOSTS: [string, string][] = [
    ["with a space", "exa mple"],
    ["with an unclosed IPv6 bracket", "[::1"],
    ["with a port past 65535", "127.0.0.1:99999"],
    ["that is empty", ""],
    ["with a percent escape", "%00"],
    ["with a bracketed non-address", "[zz]:80"],
    ["with user info", "evil@127.0.0.1:1"],
    ["with a path", "evil.example/x"],
  ];
  for (const [label, host] of HOSTS) {
    s.case(`GET /v2/ with a Host header ${label} (${JSON.stringify(host)}): 400`, {
      send: () => v2(w, "GET", "/v2/", { headers: [["Host", host]] }),
      want: { status: 400 },
    });
  }
  for (const [label, host] of HOSTS.filter((_, i) => i % 2 === 0)) {
    s.case(`GET /oauth2/token with a Host header ${label} (${JSON.stringify(host)}): 400, no token`, {
      send: () => v2(w, "GET", `/oauth2/token?scope=repository:${NAME}:pull`, { headers: [["Host", host], ["Authorization", basicAuth("admin", ADMIN_PASSWORD)]] }),
      want: { status: 400 },
    });
  }
  s.case("a manifest PUT with Content-Encoding gzip: the bytes are not a manifest, 400 MANIFEST_INVALID", {
    send: async () => {
      const zlib = await import("node:zlib");
      const push = await token(w, [`repository:${NAME}:pull,push`]);
      const body = zlib.gzipSync(Buffer.from('{"schemaVersion":2}'));
      return v2(w, "PUT", `/v2/${NAME}/manifests/gz`, { bearer: push, body, headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json", "Content-Encoding": "gzip" } });
    },
    want: { status: 400, code: "MANIFEST_INVALID" },
  });
});
