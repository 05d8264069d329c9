import { after, before, describe } from "node:test";
import { hostileSuite, startHostileWharf, stopAndClean } from "../helpers/hostile";
import { pushImage, sha256, v2, type Image } from "../helpers/hostile-v2";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import type { Wharf } from "../helpers/wharf";

/**
 * Repository names in /v2 paths. The OCI grammar is lower-case components
 * `[a-z0-9]+([._-][a-z0-9]+)*` joined by '/', at most 255 characters; a path is
 * taken as written, never normalised: '..', '.', '%2e%2e' and an encoded '/' are
 * not names, so they answer 400 NAME_INVALID (before authentication: the answer
 * leaks nothing) and nothing is read or stored through them.
 */
const s = hostileSuite("names");
let w: Wharf;
let bearer: string;
let img: Image;

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  await createRegistryRow(w, "contoso");
  await createRegistryRow(w, "fabrikam");
  bearer = await token(w, ["repository:contoso/hello:pull,push,delete", "repository:contoso/team/app:pull,push,delete", "repository:fabrikam/app:pull,push,delete"]);
  img = await pushImage(w, bearer, "contoso/hello", "v1");
});
after(() => stopAndClean(w));

const NAME_INVALID = { status: 400, code: "NAME_INVALID" } as const;

/** Names (as they appear in the path) that must never be taken for a repository. */
const BAD_NAMES: [string, string][] = [
  ["upper-case registry", "Contoso/hello"],
  ["upper-case repository", "contoso/Hello"],
  ["all upper case", "CONTOSO/HELLO"],
  ["'..' that resolves to a real repository", "contoso/x/../hello"],
  ["leading '..' back into the registry", "contoso/../contoso/hello"],
  ["'.' component", "contoso/./hello"],
  ["'%2e%2e' component", "contoso/x/%2e%2e/hello"],
  ["'%2E%2E' component (upper-case escape)", "contoso/x/%2E%2E/hello"],
  ["'.%2e' mixed component", "contoso/x/.%2e/hello"],
  ["'%2e' component", "contoso/%2e/hello"],
  ["encoded '/' between registry and repository", "contoso%2fhello"],
  ["encoded '/' upper-case escape", "contoso%2Fhello"],
  ["encoded '/' inside the repository", "contoso/team%2fapp"],
  ["encoded '..%2f' traversal", "contoso/x/..%2fhello"],
  ["encoded backslash traversal", "contoso/x%5c..%5chello"],
  ["encoded NUL", "contoso/hello%00"],
  ["encoded space", "contoso/hel%20lo"],
  ["encoded newline", "contoso/hello%0a"],
  ["unicode letter (percent-encoded UTF-8)", "contoso/h%C3%A9llo"],
  ["full-width letters", "contoso/%EF%BD%88ello"],
  ["right-to-left override", "contoso/hello%E2%80%AE"],
  ["empty middle component", "contoso//hello"],
  ["empty first component", "/contoso/hello"],
  ["trailing slash (empty last component)", "contoso/hello/"],
  ["component starting with '-'", "contoso/-hello"],
  ["component ending with '-'", "contoso/hello-"],
  ["component starting with '_'", "contoso/_hello"],
  ["component ending with '.'", "contoso/hello."],
  ["'..' inside a component", "contoso/he..llo"],
  ["three underscores", "contoso/he___llo"],
  ["colon in the name", "contoso/hello:v1"],
  ["'@' in the name", "contoso/hello@v1"],
  ["semicolon (encoded)", "contoso/hello%3bx"],
  ["registry name too short", "abcd/hello"],
  ["registry name too long", `${"a".repeat(51)}/hello`],
  ["registry with a dash", "con-toso/hello"],
  ["no repository part", "contoso"],
  ["name of 256 characters", `contoso/${"a".repeat(248)}`],
  ["name of 10,000 characters", `contoso/${"a/".repeat(4995)}a`],
];

describe("hostile names: GET tags/list", () => {
  for (const [label, name] of BAD_NAMES) {
    s.case(`tags/list with ${label} (${name.slice(0, 40)}): 400 NAME_INVALID`, {
      send: () => v2(w, "GET", `/v2/${name}/tags/list`, { bearer }),
      want: NAME_INVALID,
    });
  }
});

describe("hostile names: PUT manifest (nothing may be stored through them)", () => {
  for (const [label, name] of BAD_NAMES.filter((_, i) => i % 2 === 0 || i < 14)) {
    s.case(`manifest PUT with ${label} (${name.slice(0, 40)}): 400 NAME_INVALID, nothing stored`, {
      send: () => v2(w, "PUT", `/v2/${name}/manifests/evil`, { bearer, body: img.manifest, headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" } }),
      want: NAME_INVALID,
    });
  }
});

describe("hostile names: blob reads and upload starts", () => {
  for (const [label, name] of BAD_NAMES.slice(3, 15)) {
    s.case(`blob GET with ${label} (${name.slice(0, 40)}): 400 NAME_INVALID`, {
      send: () => v2(w, "GET", `/v2/${name}/blobs/${img.layer.digest}`, { bearer }),
      want: NAME_INVALID,
    });
    s.case(`upload POST with ${label} (${name.slice(0, 40)}): 400 NAME_INVALID, no session`, {
      send: () => v2(w, "POST", `/v2/${name}/blobs/uploads/`, { bearer }),
      want: NAME_INVALID,
    });
  }
});

describe("hostile names: traversal around the route, and without a token", () => {
  const cases: [string, string, string][] = [
    ["'..' after /v2", "GET", "/v2/../v2/contoso/hello/tags/list"],
    ["'..' out of manifests/ into the tag", "GET", "/v2/contoso/hello/manifests/../manifests/v1"],
    ["'..' out of blobs/uploads/", "GET", "/v2/contoso/hello/blobs/uploads/../../manifests/v1"],
    ["'%2e%2e' out of blobs/", "GET", `/v2/contoso/hello/blobs/%2e%2e/manifests/v1`],
    ["'..' in a DELETE", "DELETE", `/v2/contoso/x/../hello/manifests/${"sha256:" + "0".repeat(64)}`],
    ["'..' into another registry", "GET", `/v2/contoso/../fabrikam/app/tags/list`],
  ];
  for (const [label, method, p] of cases) {
    s.case(`${method} with ${label}: 400 NAME_INVALID`, { send: () => v2(w, method, p, { bearer }), want: NAME_INVALID });
  }
  for (const [label, name] of [BAD_NAMES[0], BAD_NAMES[3], BAD_NAMES[10], BAD_NAMES[21], BAD_NAMES[37]]) {
    s.case(`no token, ${label}: 400 NAME_INVALID (checked before authentication)`, {
      send: () => v2(w, "GET", `/v2/${name}/manifests/v1`),
      want: NAME_INVALID,
    });
  }
  s.case("'..' traversal with a token for the resolved repository only does not read it", {
    send: async () => v2(w, "GET", `/v2/contoso/hello/x/../blobs/${img.layer.digest}`, { bearer }),
    want: NAME_INVALID,
  });
  s.case("blob digest of one repository read through an encoded-slash name of another: 400 NAME_INVALID", {
    send: () => v2(w, "HEAD", `/v2/fabrikam%2fapp/blobs/${sha256("x")}`, { bearer }),
    want: { status: 400 },
  });
});
