import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ROOT } from "./commands";
import type { GroupSpec } from "./command";
import { buildProgram, runProgram } from "./program";
import { render } from "./output";

/** The real commander tree, run in this process: help, usage errors, parsing and output need no database. */

async function run(argv: string[], root: GroupSpec = ROOT) {
  let stdout = "";
  let stderr = "";
  let prepared = 0;
  const io = {
    out: (t: string) => void (stdout += t),
    err: (t: string) => void (stderr += t),
    prepare: async () => void prepared++,
  };
  const code = await runProgram(buildProgram(root, io), argv, io);
  return { code, stdout, stderr, prepared };
}

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

describe("help", () => {
  test("every group and every command answers --help with its summary, arguments and examples", async () => {
    const program = buildProgram(ROOT, { out: () => {}, err: () => {}, prepare: async () => {} });
    const all = paths(program);
    assert.ok(all.length > 40, `the tree has every command (${all.length})`);
    for (const p of [[], ...all]) {
      const node = p.reduce<Command>((c, name) => c.commands.find((x) => x.name() === name)!, program);
      const r = await run([...p, "--help"]);
      const name = ["wharf", ...p].join(" ");
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      assert.equal(r.prepared, 0, "help never opens the database");
      assert.ok(r.stdout.includes(`    ${name} : ${node.description()}`), `${name} --help names it:\n${r.stdout}`);
      if (node.commands.length) {
        for (const child of node.commands) assert.match(r.stdout, new RegExp(`^    ${child.name()}\\s+: `, "m"), `${name} lists ${child.name()}`);
        continue;
      }
      assert.match(r.stdout, /Global Arguments\n(.*\n)*    --output -o\s+: Output format\.\s+Allowed values: json, jsonc, table, tsv, csv, none\./);
      assert.match(r.stdout, /--query\s+: JMESPath query string/);
      const examples = r.stdout.split("Examples\n")[1] ?? "";
      assert.ok(examples.includes(`        ${name} `), `${name} has an example of itself:\n${r.stdout}`);
      assert.equal((await run([...p, "-h"])).stdout, r.stdout, "-h is --help");
    }
  });

  test("a group that is also a command (wharf import) shows its own arguments and examples, then its subcommands", async () => {
    const r = await run(["import", "--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Command\n    wharf import : /m);
    assert.match(r.stdout, /^Arguments\n(.*\n)*    --source\s+: \(Required\.\) HOST\/REPOSITORY:TAG/m);
    assert.match(r.stdout, /^    --image -t\s+: Target in this registry/m);
    assert.match(r.stdout, /^Global Arguments\n(.*\n)*    --output -o\s+: Output format\./m);
    assert.match(r.stdout, /^Examples\n    .*\n        wharf import /m);
    assert.match(r.stdout, /^Commands:\n(    \S+\s+: .*\n)*    show\s+: /m);
    assert.match(r.stdout, /^Commands:\n(    \S+\s+: .*\n)*    list\s+: /m);
  });

  test("a group typed alone prints its help on stdout, as `az acr` does", async () => {
    const r = await run(["registry"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Subgroups:\n    network-rule : /m);
    assert.match(r.stdout, /^Commands:\n    create\s+: Create a registry\./m);
  });
});

describe("usage errors", () => {
  const cases: [string[], RegExp][] = [
    [["registry", "create"], /^ERROR: the following arguments are required: --name\/-n\. See `wharf registry create --help`\.$/],
    [["registry", "create", "--name"], /^ERROR: argument --name\/-n: expected one argument\./],
    [["registry", "create", "-n", "contoso", "--sku", "Gold"], /^ERROR: argument --sku: invalid choice: 'Gold' \(choose from 'Basic', 'Standard', 'Premium'\)\.$/],
    [["registry", "list", "-o", "yaml"], /^ERROR: argument --output\/-o: invalid choice: 'yaml' \(choose from 'json', 'jsonc', 'table', 'tsv', 'csv', 'none'\)\.$/],
    [["registry", "list", "--query", "[?sku.name=="], /^ERROR: argument --query: invalid JMESPath expression '\[\?sku\.name==' \(.+\)\. Examples: /],
    [["registry", "update", "-n", "contoso", "--admin-enabled", "maybe"], /^ERROR: argument --admin-enabled: invalid choice: 'maybe' \(choose from 'false', 'true'\)\.$/],
    [["registry", "show", "--nmae", "contoso"], /^ERROR: Unrecognised argument '--nmae'\. Did you mean '--name'\? See `wharf registry show --help`\.$/],
    [["registry", "list", "extra"], /^ERROR: Unrecognised argument 'extra'\. See `wharf registry list --help`\.$/],
    [["registy", "list"], /^ERROR: 'registy' is not a command in 'wharf'\. Did you mean 'wharf registry'\? See `wharf --help`\.$/],
    [["registry", "lst"], /^ERROR: 'lst' is not a command in 'wharf registry'\. Did you mean 'wharf registry list'\?/],
    [["token", "create", "-n", "ci-token", "-r", "contoso", "--repository", "--status", "enabled"], /^ERROR: argument --repository: expected one or more arguments\./],
    [["repository", "show-tags", "-n", "contoso", "--repository", "app", "--top", "0"], /^ERROR: argument --top: must be a positive whole number \(got '0'\)\.$/],
  ];
  for (const [argv, message] of cases) {
    test(`wharf ${argv.join(" ")}`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr.trimEnd(), message);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, "one line");
    });
  }
});

describe("parsing", () => {
  const echo: GroupSpec = {
    summary: "Test tree.",
    children: {
      echo: {
        summary: "Prints its arguments.",
        options: [
          { flags: "-n, --name <name>", required: true, help: "A name." },
          { flags: "--sku <sku>", choices: ["Basic", "Premium"], default: "Basic", help: "A SKU." },
          { flags: "--enabled <bool>", bool: true, help: "A switch." },
          { flags: "--repository <words>", words: true, help: "Words." },
          { flags: "--yes", help: "A flag." },
        ],
        examples: [{ title: "Echo.", command: "wharf echo -n x" }],
        run: async (args) => ({ name: args.name, sku: args.sku, enabled: args.enabled, repository: args.repository, yes: args.yes ?? false }),
      },
    },
  };

  test("az's ways of typing options: --opt=value, -n value, case-insensitive choices, true/false, repeated word groups", async () => {
    const r = await run(["echo", "--name=team", "--sku", "premium", "--enabled", "FALSE", "--repository", "hello", "content/read", "metadata/read", "--repository", "team/*", "content/write", "--yes"], echo);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.prepared, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      name: "team",
      sku: "Premium",
      enabled: false,
      repository: [["hello", "content/read", "metadata/read"], ["team/*", "content/write"]],
      yes: true,
    });
    const defaults = await run(["echo", "-n", "x", "-o", "tsv"], echo);
    assert.equal(defaults.stdout, "x\tBasic\tfalse\n", "defaults apply; options not given are left out");
  });
});

describe("output", () => {
  const registries = [
    { name: "contoso1", sku: { name: "Premium", tier: "Premium" }, loginServer: "h:1", rules: ["a", "b"], createdAt: new Date("2026-01-01T00:00:00Z"), size: BigInt(5) },
    { name: "basic1", sku: { name: "Basic", tier: "Basic" }, loginServer: "h:1", rules: [], createdAt: new Date("2026-01-02T00:00:00Z"), size: BigInt(7) },
    { name: "contoso2", sku: { name: "Premium", tier: "Premium" }, loginServer: "h:1", rules: [], createdAt: new Date("2026-01-03T00:00:00Z"), size: BigInt(9) },
  ];

  test("--query is JMESPath: filter projections, functions, and a bare value", () => {
    assert.equal(render(registries, "tsv", { query: "[?sku.name=='Premium'].name" }).stdout, "contoso1\ncontoso2\n");
    assert.equal(render(registries, "json", { query: "length([?sku.name=='Basic'])" }).stdout, "1\n");
    assert.equal(render(registries, "json", { query: "[0].sku.name" }).stdout, '"Premium"\n');
    assert.equal(render(registries, "json", { query: "max_by(@, &size).name" }).stdout, '"contoso2"\n');
  });

  test("tsv: one line per item, scalar values in order; nested objects empty, lists as their length", () => {
    assert.equal(render(registries.slice(0, 1), "tsv").stdout, "contoso1\t\th:1\t2\t2026-01-01T00:00:00.000Z\t5\n");
    assert.equal(render({ on: true, off: false, none: null }, "tsv").stdout, "true\tfalse\t\n");
  });

  test("table: the command's columns, aligned; after --query, generic columns", () => {
    const columns = [
      { header: "NAME", field: "name" },
      { header: "SKU", field: "sku.name" },
    ];
    assert.equal(render(registries, "table", { table: columns }).stdout, ["NAME      SKU", "--------  -------", "contoso1  Premium", "basic1    Basic", "contoso2  Premium", ""].join("\n"));
    assert.equal(render(registries, "table", { table: columns, query: "[].{Name: name, Size: size}" }).stdout, ["Name      Size", "--------  ----", "contoso1  5", "basic1    7", "contoso2  9", ""].join("\n"));
    assert.equal(render(["v2", "v1"], "table").stdout, "Result\n------\nv2\nv1\n");
    const actors = [{ actorName: "ci-pipeline", actor: "6f1c" }, { actorName: null, actor: "admin" }];
    assert.equal(render(actors, "table", { table: [{ header: "ACTOR", field: "actorName", or: "actor" }] }).stdout, "ACTOR\n-----------\nci-pipeline\nadmin\n");
  });

  test("jsonc is coloured JSON; none prints nothing; a query matching nothing prints nothing and says which fields exist", () => {
    const coloured = render(registries[0], "jsonc").stdout;
    assert.match(coloured, /\x1b\[/);
    assert.deepEqual(JSON.parse(coloured.replace(/\x1b\[[0-9;]*m/g, "")).sku, { name: "Premium", tier: "Premium" });
    assert.equal(render(registries, "none").stdout, "");
    const missing = render(registries[0], "json", { query: "colour" });
    assert.equal(missing.stdout, "");
    assert.match(missing.warning!, /--query 'colour' matched nothing\. The result has the fields: name, sku, loginServer/);
  });
});

test("cli/ reaches the backend only through lib/services and core helpers (no Prisma, no engine)", () => {
  const allowed = /^(lib\/services\/|lib\/core\/(config|context|csv|digest|duration|errors|logging|registry-rules|skus)$|lib\/auth\/actor$)/;
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  assert.ok(files.length > 10);
  for (const f of files) {
    const source = fs.readFileSync(path.join(__dirname, f), "utf8");
    for (const [, spec] of source.matchAll(/from "([^"]+)"/g)) {
      if (!spec.startsWith(".")) continue;
      const target = path.relative(path.join(__dirname, ".."), path.resolve(path.dirname(path.join(__dirname, f)), spec));
      if (target.startsWith("cli")) continue;
      assert.match(target, allowed, `${f} imports ${spec}`);
    }
  }
});
