import { after, before, describe } from "node:test";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { createRoleAssignment } from "../../lib/services/role-assignments";
import { createScopeMap } from "../../lib/services/scope-maps";
import { createServicePrincipal } from "../../lib/services/service-principals";
import { createToken } from "../../lib/services/tokens";
import { createUser } from "../../lib/services/users";
import { useServerDatabase } from "../helpers/access";
import { hostileSuite, startHostileWharf, stopAndClean, type Expected } from "../helpers/hostile";
import { pushImage } from "../helpers/hostile-v2";
import { actionIds, callAction, pageUrl, signIn } from "../helpers/portal-actions";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";

/**
 * The portal's server actions that create, change or delete, called over HTTP
 * as a browser would: signed out (UNAUTHENTICATED, or the gate's redirect to
 * /login), signed in as a Reader of the registry, who may look but not change
 * (DENIED; authorisation comes before validation, so bad input from a Reader is DENIED too),
 * and as the organisation's Owner with bad input (INVALID, or CONFLICT for a
 * name that is taken), always with a worded message and nothing stored.
 */
const s = hostileSuite("actions");
let w: Wharf;
let cookies: { admin: string; reader: string };
let ids: ReturnType<typeof actionIds>;
let spClientId = "";
let manifestDigest = "";

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  ids = actionIds();
  await createRegistryRow(w, "contoso");
  useServerDatabase(w);
  await createUser("reader", "reader-password");
  await createRoleAssignment(LOCAL_OPERATOR, { assignee: "reader", role: "Reader", scope: "/registries/contoso" });
  await createScopeMap(LOCAL_OPERATOR, { registry: "contoso", name: "pullmap01", actions: ["repositories/hello/content/read"] });
  await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "citoken01", scopeMap: "pullmap01", generatePasswords: false });
  spClientId = (await createServicePrincipal(LOCAL_OPERATOR, { displayName: "ci-pipeline" })).clientId;
  manifestDigest = (await pushImage(w, await token(w, ["repository:contoso/hello:pull,push"]), "contoso/hello", "v1")).digest;
  cookies = { admin: await signIn(w, "admin", ADMIN_PASSWORD), reader: await signIn(w, "reader", "reader-password") };
});
after(() => stopAndClean(w));

const PARAMS = { name: "contoso", path: "hello", map: "pullmap01" };
const call = (who: string | null, action: string, args: unknown[]) => {
  const a = ids.get(action);
  if (!a) throw new Error(`no server action ${action} in the build`);
  return callAction(w, who, { id: a.id, url: pageUrl(a.page, PARAMS) }, args);
};

type Spec = { action: string; valid: () => unknown; bad: [string, () => unknown[], Expected?][] };
const INVALID: Expected = { status: 400, code: "INVALID" };
const reg = "contoso";
const wizard = (over: Record<string, unknown> = {}) => ({
  resourceGroup: { mode: "new", name: "rg-hostile" },
  name: "newreg01",
  location: "local",
  sku: "Standard",
  publicAccess: "all",
  networkRules: [],
  encryption: "service-managed",
  tags: [],
  ...over,
});

const SPECS: Spec[] = [
  {
    action: "createRegistryAction",
    valid: () => wizard(),
    bad: [
      ["a name of 2 characters", () => [wizard({ name: "ab" })]],
      ["a name with a dash", () => [wizard({ name: "con-toso" })]],
      ["a name of 51 characters", () => [wizard({ name: "a".repeat(51) })]],
      ["a name with a unicode letter", () => [wizard({ name: "héllo123" })]],
      ["the name of an existing registry", () => [wizard({ name: "CONTOSO" })]],
      ["an unknown SKU", () => [wizard({ sku: "Ultra" })]],
      ["an invalid network rule on selected networks", () => [wizard({ sku: "Premium", publicAccess: "selected", networkRules: ["999.1.1.1/33"] })]],
      ["501 resource tags", () => [wizard({ tags: Array.from({ length: 501 }, (_, i) => ({ name: `t${i}`, value: "v" })) })]],
      ["networkRules that is a string", () => [wizard({ networkRules: "10.0.0.0/8" })]],
      ["null as the argument", () => [null]],
      ["no argument at all", () => []],
      ["a string as the argument", () => ["newreg01"]],
    ],
  },
  {
    action: "deleteRegistryAction",
    valid: () => ({ registry: reg, confirmName: reg }),
    bad: [
      ["a confirmation that does not match", () => [{ registry: reg, confirmName: "fabrikam" }]],
      ["an empty confirmation", () => [{ registry: reg, confirmName: "" }]],
      ["a confirmation that is not a string", () => [{ registry: reg, confirmName: ["contoso"] }]],
    ],
  },
  { action: "changeRegistrySkuAction", valid: () => ({ registry: reg, sku: "Premium" }), bad: [["an unknown SKU", () => [{ registry: reg, sku: "Gold" }]], ["a null SKU", () => [{ registry: reg, sku: null }]]] },
  { action: "setAdminUserAction", valid: () => ({ registry: reg, enabled: true }), bad: [["enabled as the string 'yes'", () => [{ registry: reg, enabled: "yes" }]]] },
  { action: "setAnonymousPullAction", valid: () => ({ registry: reg, enabled: true }), bad: [["enabled as the number 1", () => [{ registry: reg, enabled: 1 }]]] },
  { action: "regenerateAdminPasswordAction", valid: () => ({ registry: reg, which: 1 }), bad: [["password 3", () => [{ registry: reg, which: 3 }]]] },
  {
    action: "updateRegistryNetworkingAction",
    valid: () => ({ registry: reg, publicAccess: "all", networkRules: [] }),
    bad: [
      ["an unknown public access mode", () => [{ registry: reg, publicAccess: "some", networkRules: [] }]],
      ["a rule that is not an address", () => [{ registry: reg, publicAccess: "selected", networkRules: ["not-a-cidr"] }]],
      ["201 rules", () => [{ registry: reg, publicAccess: "selected", networkRules: Array.from({ length: 201 }, (_, i) => `10.0.${i}.0/24`) }]],
    ],
  },
  {
    action: "updateRegistryTagsAction",
    valid: () => ({ registry: reg, tags: [{ name: "env", value: "prod" }] }),
    bad: [
      ["501 tags", () => [{ registry: reg, tags: Array.from({ length: 501 }, (_, i) => ({ name: `t${i}`, value: "v" })) }]],
      ["a tag value of 2,001 characters", () => [{ registry: reg, tags: [{ name: "env", value: "x".repeat(2001) }] }]],
      ["a tag without a value", () => [{ registry: reg, tags: [{ name: "env" }] }]],
    ],
  },
  {
    action: "createTokenAction",
    valid: () => ({ registry: reg, name: "newtoken1", scopeMap: "_repositories_pull" }),
    bad: [
      ["a name of 2 characters", () => [{ registry: reg, name: "ab", scopeMap: "_repositories_pull" }]],
      ["both a scope map and repositories", () => [{ registry: reg, name: "newtoken1", scopeMap: "_repositories_pull", repositories: [{ repository: "hello", actions: ["content/read"] }] }]],
      ["an action that does not exist", () => [{ registry: reg, name: "newtoken1", repositories: [{ repository: "hello", actions: ["content/evil"] }] }]],
      ["a repository with '..'", () => [{ registry: reg, name: "newtoken1", repositories: [{ repository: "../hello", actions: ["content/read"] }] }]],
      ["a registry name with punctuation", () => [{ registry: "CON!TOSO", name: "newtoken1", scopeMap: "_repositories_pull" }]],
      ["the name of an existing token", () => [{ registry: reg, name: "citoken01", scopeMap: "_repositories_pull" }], { status: 409, code: "CONFLICT" }],
    ],
  },
  {
    action: "generateTokenPasswordAction",
    valid: () => ({ registry: reg, name: "citoken01", password: 1 }),
    bad: [
      ["password 3", () => [{ registry: reg, name: "citoken01", password: 3 }]],
      ["an expiry that is not a date", () => [{ registry: reg, name: "citoken01", password: 1, expiry: "next tuesday" }]],
      ["an expiry in the past", () => [{ registry: reg, name: "citoken01", password: 1, expiry: "2001-01-01T00:00:00Z" }]],
    ],
  },
  { action: "setTokenStatusAction", valid: () => ({ registry: reg, name: "citoken01", status: "disabled" }), bad: [["an unknown status", () => [{ registry: reg, name: "citoken01", status: "paused" }]]] },
  { action: "deleteTokenAction", valid: () => ({ registry: reg, name: "citoken01" }), bad: [["a token name of 1 character", () => [{ registry: reg, name: "x" }]]] },
  {
    action: "createScopeMapAction",
    valid: () => ({ registry: reg, name: "newmap01", rules: [{ repository: "hello", actions: ["content/read"] }] }),
    bad: [
      ["no rules", () => [{ registry: reg, name: "newmap01", rules: [] }]],
      ["an action that does not exist", () => [{ registry: reg, name: "newmap01", rules: [{ repository: "hello", actions: ["content/evil"] }] }]],
      ["a repository with '..'", () => [{ registry: reg, name: "newmap01", rules: [{ repository: "hello/../x", actions: ["content/read"] }] }]],
      ["a description of 300 characters", () => [{ registry: reg, name: "newmap01", description: "d".repeat(300), rules: [{ repository: "hello", actions: ["content/read"] }] }]],
    ],
  },
  {
    action: "updateScopeMapAction",
    valid: () => ({ registry: reg, name: "pullmap01", rules: [{ repository: "*", actions: ["content/read", "content/write", "content/delete"] }] }),
    bad: [["an action that does not exist", () => [{ registry: reg, name: "pullmap01", rules: [{ repository: "hello", actions: ["content/evil"] }] }]]],
  },
  { action: "deleteScopeMapAction", valid: () => ({ registry: reg, name: "pullmap01" }), bad: [["a scope map name with a space", () => [{ registry: reg, name: "pull map" }]]] },
  {
    action: "createRoleAssignmentAction",
    valid: () => ({ assignee: "reader", role: "Owner", scope: "/" }),
    bad: [
      ["a role that does not exist", () => [{ assignee: "reader", role: "God", scope: "/" }]],
      ["a scope without a leading slash", () => [{ assignee: "reader", role: "Owner", scope: "registries/contoso" }]],
      ["a scope with '..'", () => [{ assignee: "reader", role: "Owner", scope: "/registries/contoso/repositories/../../x" }]],
      ["an empty assignee", () => [{ assignee: "", role: "Owner", scope: "/" }]],
      ["an assignee who does not exist", () => [{ assignee: "ghost", role: "Owner", scope: "/" }], { status: 404, code: "NOT_FOUND" }],
    ],
  },
  {
    action: "deleteRoleAssignmentAction",
    valid: () => ({ assignee: "reader", role: "Reader", scope: "/registries/contoso" }),
    bad: [["a scope that is not a scope", () => [{ assignee: "reader", role: "Reader", scope: "/nowhere/at/all" }]]],
  },
  {
    action: "createUserAction",
    valid: () => ({ username: "newuser1", password: "password123" }),
    bad: [
      ["a username with a space", () => [{ username: "new user", password: "password123" }]],
      ["a password of 5 characters", () => [{ username: "newuser1", password: "short" }]],
      ["a username of 1 character", () => [{ username: "x", password: "password123" }]],
      ["the username of an existing user", () => [{ username: "READER", password: "password123" }], { status: 409, code: "CONFLICT" }],
    ],
  },
  { action: "resetUserPasswordAction", valid: () => ({ username: "admin" }), bad: [["an empty username", () => [{ username: "" }]]] },
  { action: "setUserDisabledAction", valid: () => ({ username: "admin", disabled: true }), bad: [["disabled as the string 'true'", () => [{ username: "reader", disabled: "true" }]]] },
  {
    action: "createServicePrincipalAction",
    valid: () => ({ displayName: "ci-two" }),
    bad: [
      ["an empty name", () => [{ displayName: "" }]],
      ["a name with markup", () => [{ displayName: "<script>alert(1)</script>" }]],
    ],
  },
  { action: "resetServicePrincipalSecretAction", valid: () => ({ clientId: spClientId }), bad: [["a client id that is not a uuid", () => [{ clientId: "not-a-uuid" }]]] },
  { action: "setServicePrincipalDisabledAction", valid: () => ({ clientId: spClientId, disabled: true }), bad: [["disabled null", () => [{ clientId: spClientId, disabled: null }]]] },
  {
    action: "deleteTagAction",
    valid: () => ({ registry: reg, repository: "hello", tag: "v1" }),
    bad: [
      ["a tag starting with '-'", () => [{ registry: reg, repository: "hello", tag: "-v1" }]],
      ["an empty repository", () => [{ registry: reg, repository: "", tag: "v1" }]],
      ["a repository with '..'", () => [{ registry: reg, repository: "x/../hello", tag: "v1" }]],
    ],
  },
  {
    action: "deleteManifestAction",
    valid: () => ({ registry: reg, repository: "hello", digest: manifestDigest }),
    bad: [
      ["an upper-case digest", () => [{ registry: reg, repository: "hello", digest: manifestDigest.toUpperCase().replace("SHA256", "sha256") }]],
      ["a short digest", () => [{ registry: reg, repository: "hello", digest: "sha256:abc" }]],
    ],
  },
  {
    action: "deleteManifestsAction",
    valid: () => ({ registry: reg, repository: "hello", digests: [manifestDigest] }),
    bad: [
      ["no digests", () => [{ registry: reg, repository: "hello", digests: [] }]],
      ["a digest that is not one", () => [{ registry: reg, repository: "hello", digests: ["sha256:../../etc"] }]],
      ["501 digests", () => [{ registry: reg, repository: "hello", digests: Array.from({ length: 501 }, () => manifestDigest) }]],
      ["digests as a string", () => [{ registry: reg, repository: "hello", digests: manifestDigest }]],
    ],
  },
  {
    action: "deleteRepositoryAction",
    valid: () => ({ registry: reg, repository: "hello", confirmName: "hello" }),
    bad: [["the wrong confirmation", () => [{ registry: reg, repository: "hello", confirmName: "hell" }]]],
  },
  { action: "requestGcAction", valid: () => ({ registry: reg }), bad: [["a registry name with a dash", () => [{ registry: "con-toso" }]]] },
  {
    action: "updateRetentionAction",
    valid: () => ({ registry: reg, status: "enabled", days: 7 }),
    bad: [
      ["366 days", () => [{ registry: reg, status: "enabled", days: 366 }]],
      ["days as a string", () => [{ registry: reg, status: "enabled", days: "7" }]],
      ["an unknown status", () => [{ registry: reg, status: "on", days: 7 }]],
    ],
  },
  {
    action: "updateSoftDeleteAction",
    valid: () => ({ registry: reg, status: "enabled", days: 7 }),
    bad: [
      ["0 days", () => [{ registry: reg, status: "enabled", days: 0 }]],
      ["91 days", () => [{ registry: reg, status: "enabled", days: 91 }]],
    ],
  },
  {
    action: "createTagRuleAction",
    valid: () => ({ registry: reg, tagPattern: "v*" }),
    bad: [
      ["an empty pattern", () => [{ registry: reg, tagPattern: "" }]],
      ["a pattern with a space", () => [{ registry: reg, tagPattern: "v 1" }]],
      ["a pattern of 201 characters", () => [{ registry: reg, tagPattern: "v".repeat(201) }]],
    ],
  },
  {
    action: "runPurgeAction",
    valid: () => ({ registry: reg, filters: ["hello:.*"], fingerprint: "x" }),
    bad: [
      ["no filters", () => [{ registry: reg, filters: [], fingerprint: "x" }]],
      ["a filter with a broken regex", () => [{ registry: reg, filters: ["hello:(v1"], fingerprint: "x" }]],
      ["a filter of 257 characters", () => [{ registry: reg, filters: ["a".repeat(257)], fingerprint: "x" }]],
      ["an ago that is not a duration", () => [{ registry: reg, filters: ["hello:.*"], ago: "yesterday", fingerprint: "x" }]],
    ],
  },
  {
    action: "restoreDeletedAction",
    valid: () => ({ registry: reg, items: [{ repository: "hello", digest: manifestDigest }] }),
    bad: [
      ["no items", () => [{ registry: reg, items: [] }]],
      ["101 items", () => [{ registry: reg, items: Array.from({ length: 101 }, () => ({ repository: "hello", digest: manifestDigest })) }]],
    ],
  },
  {
    action: "deleteDeletedNowAction",
    valid: () => ({ registry: reg, ids: ["00000000-0000-0000-0000-000000000000"] }),
    bad: [["no ids", () => [{ registry: reg, ids: [] }]]],
  },
  {
    action: "setLocksAction",
    valid: () => ({ registry: reg, repository: "hello", locks: { writeEnabled: false } }),
    bad: [
      ["no locks", () => [{ registry: reg, repository: "hello", locks: {} }]],
      ["a lock as the string 'no'", () => [{ registry: reg, repository: "hello", locks: { writeEnabled: "no" } }]],
      ["both a tag and a digest", () => [{ registry: reg, repository: "hello", tag: "v1", digest: manifestDigest, locks: { writeEnabled: false } }]],
    ],
  },
];

describe("hostile server actions: signed out", () => {
  for (const spec of SPECS) {
    s.case(`${spec.action} signed out: UNAUTHENTICATED, nothing stored`, { send: () => call(null, spec.action, [spec.valid()]), want: { status: 401, code: "UNAUTHENTICATED" } });
  }
});

describe("hostile server actions: signed in as a Reader of the registry", () => {
  for (const spec of SPECS) {
    s.case(`${spec.action} as a Reader: DENIED, nothing stored`, { send: () => call(cookies.reader, spec.action, [spec.valid()]), want: { status: 403, code: "DENIED" } });
  }
});

describe("hostile server actions: a Reader with bad input (authorisation first, validation second)", () => {
  const cases: [string, unknown][] = [
    ["createTokenAction", { registry: reg, name: "ab", scopeMap: "_repositories_pull" }],
    ["setUserDisabledAction", { username: "admin", disabled: "true" }],
    ["createRoleAssignmentAction", { assignee: "reader", role: "God", scope: "/" }],
    ["deleteRegistryAction", { registry: reg, confirmName: "wrong" }],
  ];
  for (const [action, input] of cases) {
    s.case(`${action} as a Reader with bad input: DENIED, nothing stored`, { send: () => call(cookies.reader, action, [input]), want: { status: 403, code: "DENIED" } });
  }
});

describe("hostile server actions: the Owner with bad input", () => {
  for (const spec of SPECS) {
    for (const [label, args, want] of spec.bad) {
      s.case(`${spec.action} with ${label}: ${want?.code ?? "INVALID"}, nothing stored`, { send: () => call(cookies.admin, spec.action, args()), want: want ?? INVALID });
    }
  }
});
