import { after, before, describe } from "node:test";
import { describeDiff, diffSnapshots, snapshot, type SnapshotDiff } from "../helpers/storage-snapshot";
import { hostileSuite, startHostileWharf, stopAndClean, type Observed } from "../helpers/hostile";
import { pushImage } from "../helpers/hostile-v2";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { runCli, type Wharf } from "../helpers/wharf";

/**
 * The `wharf` CLI with hostile arguments, on the server's own data dir. Every
 * refusal is exit code 1 (2 for a mistyped command, as az does), nothing on stdout, and one line on stderr that starts
 * "ERROR: " and says what was wrong (never "unexpected failure", never a stack).
 * Each CLI run costs a Node start-up, so the runs go four at a time in before():
 * the storage verdict is then for the whole batch (nothing may change), and
 * each case checks no change mentions the value it tried.
 */
const s = hostileSuite("cli");
let w: Wharf;
let batchDiff: SnapshotDiff = { added: [], removed: [] };
const results = new Map<string, Observed>();

/** [label, argv, what the message must say, the value the case tried ("" when none stands out): no change may mention it] */
const CASES: [string, string[], RegExp, string][] = [
  ["registry create with a 2-character name", ["registry", "create", "--name", "ab"], /name/i, "ab"],
  ["registry create with a 51-character name", ["registry", "create", "--name", "a".repeat(51)], /name/i, "a".repeat(51)],
  ["registry create with a dash in the name", ["registry", "create", "--name", "con-toso"], /name/i, "con-toso"],
  ["registry create with a unicode name", ["registry", "create", "--name", "héllo123"], /name/i, "héllo123"],
  ["registry create with an empty name", ["registry", "create", "--name", ""], /name/i, ""],
  ["registry create with a shell-looking name", ["registry", "create", "--name", "contoso; rm -rf /"], /name/i, "rm -rf"],
  ["registry create without --name", ["registry", "create"], /--name/, ""],
  ["registry create with an unknown SKU", ["registry", "create", "--name", "newreg01", "--sku", "Ultra"], /sku/i, "newreg01"],
  ["registry create of a name that exists (other case)", ["registry", "create", "--name", "CONTOSO"], /exist|taken|already/i, ""],
  ["registry show of a registry that does not exist", ["registry", "show", "--name", "nosuch01"], /not found/i, "nosuch01"],
  ["registry delete without --yes", ["registry", "delete", "--name", "contoso"], /--yes/, ""],
  ["registry delete of a registry that does not exist", ["registry", "delete", "--name", "nosuch01", "--yes"], /not found/i, "nosuch01"],
  ["registry update with an unknown SKU", ["registry", "update", "--name", "contoso", "--sku", "Gold"], /sku/i, "Gold"],
  ["registry update with anonymous pull 'maybe'", ["registry", "update", "--name", "contoso", "--anonymous-pull-enabled", "maybe"], /true.*false|false.*true/, ""],
  ["registry update with admin enabled '1'", ["registry", "update", "--name", "contoso", "--admin-enabled", "1"], /true.*false|false.*true/, ""],
  ["registry update with nothing to change", ["registry", "update", "--name", "contoso"], /nothing to update/i, ""],
  ["network-rule add of an address that is not one", ["registry", "network-rule", "add", "--name", "contoso", "--ip-address", "999.1.1.1/33"], /999\.1\.1\.1/, "999.1.1.1"],
  ["network-rule add with SQL in the address", ["registry", "network-rule", "add", "--name", "contoso", "--ip-address", "10.0.0.0/8'; DROP TABLE Registry;--"], /not an IPv4|address/i, "DROP TABLE"],
  ["repository show-tags with --top -1", ["repository", "show-tags", "--name", "contoso", "--repository", "hello", "--top", "-1"], /--top/, ""],
  ["repository show-tags with --top abc", ["repository", "show-tags", "--name", "contoso", "--repository", "hello", "--top", "abc"], /--top/, ""],
  ["repository show-tags with --top 1.5", ["repository", "show-tags", "--name", "contoso", "--repository", "hello", "--top", "1.5"], /--top/, ""],
  ["repository show-tags of a repository with '..'", ["repository", "show-tags", "--name", "contoso", "--repository", "x/../hello"], /not found|invalid|repository/i, ""],
  ["registry list with --output xml", ["registry", "list", "--output", "xml"], /output/i, ""],
  ["registry list with a broken --query", ["registry", "list", "--query", "[[["], /query/i, ""],
  ["an unknown command", ["registry", "explode"], /explode/, ""],
  ["an unknown option", ["registry", "list", "--bogus"], /--bogus/, ""],
  ["scope-map create with a 2-character name", ["scope-map", "create", "--registry", "contoso", "--name", "ab", "--repository", "hello", "content/read"], /name/i, ""],
  ["scope-map create with an action that does not exist", ["scope-map", "create", "--registry", "contoso", "--name", "evilmap01", "--repository", "hello", "content/evil"], /content\/evil/, "evilmap01"],
  ["token create with neither scope map nor repositories", ["token", "create", "--registry", "contoso", "--name", "newtoken1"], /scope.map|repositor/i, "newtoken1"],
  ["token credential generate with an expiry that is not a date", ["token", "credential", "generate", "--registry", "contoso", "--name", "citoken01", "--password1", "--expiration", "next tuesday"], /expiration|date/i, ""],
  ["token credential generate with a negative expiry in days", ["token", "credential", "generate", "--registry", "contoso", "--name", "citoken01", "--password1", "--expiration-in-days", "-5"], /expiration|days/i, ""],
  ["role assignment create with a role that does not exist", ["role", "assignment", "create", "--assignee", "admin", "--role", "God", "--scope", "/"], /role/i, "God"],
  ["role assignment create for a user that does not exist", ["role", "assignment", "create", "--assignee", "ghost", "--role", "Reader", "--scope", "/"], /ghost/, "ghost"],
  ["role assignment create with a scope without a leading slash", ["role", "assignment", "create", "--assignee", "admin", "--role", "Reader", "--scope", "registries/contoso"], /scope/i, ""],
  ["user create with a space in the name", ["user", "create", "--name", "new user", "--password", "password123"], /name/i, "new user"],
  ["user create with a 5-character password", ["user", "create", "--name", "newuser1", "--password", "short"], /password/i, "newuser1"],
  ["group create with a slash in the name", ["group", "create", "--name", "bad/name"], /name|group/i, "bad/name"],
  ["repository update with an invalid tag in --image", ["repository", "update", "--name", "contoso", "--image", "hello:-bad", "--write-enabled", "false"], /tag|image/i, ""],
  ["repository update with a lock value 'maybe'", ["repository", "update", "--name", "contoso", "--repository", "hello", "--write-enabled", "maybe"], /true.*false|false.*true/, ""],
];

function judge(r: { code: number; stdout: string; stderr: string }, message: RegExp): Observed {
  const text = `exit ${r.code}\nstdout: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr.slice(0, 300)}`;
  if (r.code === 0) return { status: 200, code: "OK", text };
  if (/unexpected failure/.test(r.stderr) || /\n\s+at /.test(r.stderr)) return { status: 500, code: "CRASH", text };
  const shaped = (r.code === 1 || r.code === 2) && r.stdout === "" && /^ERROR: [^\n]+\n$/.test(r.stderr) && message.test(r.stderr);
  return { status: 400, code: shaped ? "ERROR" : "ERROR, badly worded or shaped", text };
}

before(async () => {
  w = await startHostileWharf();
  s.use(w);
  await createRegistryRow(w, "contoso");
  const seed = await runCli(w, ["token", "create", "--registry", "contoso", "--name", "citoken01", "--scope-map", "_repositories_pull", "--no-passwords"]);
  if (seed.code !== 0) throw new Error(`seed token: ${seed.stderr}`);
  await pushImage(w, await token(w, ["repository:contoso/hello:pull,push"]), "contoso/hello", "v1");
  const before = await snapshot(w.dataDir);
  const queue = [...CASES];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) results.set(c[0], judge(await runCli(w, c[1]), c[2]));
    }),
  );
  batchDiff = diffSnapshots(before, await snapshot(w.dataDir));
});
after(() => stopAndClean(w));

describe("hostile CLI arguments", () => {
  for (const [label, , , tried] of CASES) {
    s.case(`wharf ${label}: exit 1 or 2 with one ERROR line, nothing stored`, {
      send: async () => results.get(label)!,
      want: { status: 400, code: "ERROR" },
      verify: async () => {
        if (!tried) return;
        const touched = [...batchDiff.added, ...batchDiff.removed].filter((l) => l.toLowerCase().includes(tried.toLowerCase()));
        if (touched.length) throw new Error(`storage changed:\n${describeDiff({ added: touched, removed: [] })}`);
      },
    });
  }
  s.case("the whole batch of refused CLI commands left storage exactly as it was", {
    send: async () => ({ status: 400, code: "ERROR", text: describeDiff(batchDiff) }),
    want: { status: 400, code: "ERROR" },
    verify: async () => {
      if (batchDiff.added.length || batchDiff.removed.length) throw new Error(`storage changed:\n${describeDiff(batchDiff)}`);
    },
  });
});
