import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createImport, getImport, listImports, type ImportView } from "../../lib/services/import";
import { runImportHere } from "../../lib/services/import-worker";
import { optionalText, registryNameOption, text, words } from "../args";
import type { CommandSpec, GroupSpec } from "../command";
import { CliError, UsageError } from "../errors";
import { formatBytes } from "../views";

/** `wharf import`: `az acr import` — the server pulls an image from another registry; no local container engine. */

const TABLE = [
  { header: "ID", field: "id" },
  { header: "SOURCE", field: "source" },
  { header: "STATUS", field: "status" },
  { header: "TARGETS", field: "targets" },
  { header: "CREATED", field: "createdAt" },
];

type P = ImportView["progress"];
const describe = (p: P) => `${p.layersDone}/${p.layersTotal} layers, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`;

/** A bar redrawn in place on a terminal; elsewhere (logs, CI) one plain line per finished layer. */
function progressPrinter(note: (line: string) => void): { show: (p: P) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastLayers = -1;
  let drawn = false;
  return {
    show: (p) => {
      if (tty) {
        const frac = p.bytesTotal ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
        const width = 30;
        const done = Math.round(frac * width);
        process.stderr.write(`\r[${"#".repeat(done)}${".".repeat(width - done)}] ${Math.round(frac * 100)}% ${describe(p)}   `);
        drawn = true;
      } else if (p.layersTotal && p.layersDone !== lastLayers) {
        lastLayers = p.layersDone;
        note(`Imported ${describe(p)}`);
      }
    },
    end: () => {
      if (drawn) process.stderr.write("\n");
    },
  };
}

// Not marked required: commander checks a parent's required options for its subcommands too (`import show`).
const nameOption = { ...registryNameOption, required: false, help: "The name of the registry (required)." };

const run: CommandSpec = {
  summary: "Import an image, index or artifact from another registry into this one (the server pulls it; digests are kept).",
  options: [
    nameOption,
    { flags: "--source <image>", help: "(Required.) HOST/REPOSITORY:TAG or HOST/REPOSITORY@sha256:…, e.g. docker.io/library/nginx:1.27." },
    { flags: "-t, --image <repository:tag>", words: true, help: "Target in this registry; repeat for several. Default: the source's repository and tag." },
    { flags: "-u, --username <username>", help: "User name for the source registry (with --password)." },
    { flags: "-p, --password <password>", help: "Password or token for the source registry; stored encrypted until the import ends." },
    { flags: "--force", help: "Overwrite a target tag that already exists (never a locked or write-once one)." },
    { flags: "--include-referrers", help: "Also import the source's referrers (signatures, SBOMs, attestations)." },
    { flags: "--no-wait", help: "Return the import's id at once; follow it with `wharf import show --id`." },
  ],
  examples: [
    { title: "Import a public image.", command: "wharf import --name myregistry --source docker.io/library/hello-world:latest --image hello-world:v1" },
    { title: "Import with credentials, in the background.", command: "wharf import -n myregistry --source ghcr.io/team/app@sha256:… --image app:1 -u me -p $TOKEN --no-wait" },
  ],
  table: TABLE,
  run: async (args, { note }) => {
    for (const [flag, v] of [["--name", args.name], ["--source", args.source]] as const) {
      if (typeof v !== "string") throw new UsageError(`the following arguments are required: ${flag}. See \`wharf import --help\`.`);
    }
    const job = await createImport(me, {
      registry: text(args.name),
      source: text(args.source),
      images: words(args.image).flat(),
      username: optionalText(args.username),
      password: optionalText(args.password),
      force: args.force === true,
      includeReferrers: args.includeReferrers === true,
    });
    if (args.wait === false) return job;
    note(`Importing ${job.source} into ${job.registry} as ${job.targets.join(", ")} (import ${job.id})…`);
    const printer = progressPrinter(note);
    // Run it here unless a server already took it; then follow its row.
    await runImportHere(job.id, (p) => printer.show(p));
    let view = await getImport(me, { id: job.id });
    while (view.status === "queued" || view.status === "running") {
      await new Promise((r) => setTimeout(r, 500));
      view = await getImport(me, { id: job.id });
      printer.show(view.progress);
    }
    printer.show(view.progress);
    printer.end();
    if (view.status === "failed") throw new CliError(`Import ${view.id} failed: ${view.error}`);
    note(`Imported ${view.result?.digest} (${view.result?.manifests} manifest(s), ${view.result?.blobs} blob(s)).`);
    return view;
  },
};

const show: CommandSpec = {
  summary: "Show an import: its status, progress, result or error.",
  options: [{ flags: "--id <id>", required: true, help: "The import's id (printed by `wharf import`)." }],
  examples: [{ title: "Follow a background import.", command: "wharf import show --id 6f1c…" }],
  run: async (args) => getImport(me, { id: text(args.id) }),
};

const list: CommandSpec = {
  summary: "List a registry's imports, newest first.",
  options: [registryNameOption],
  examples: [{ title: "Recent imports.", command: "wharf import list --name myregistry -o table" }],
  table: TABLE,
  run: async (args) => listImports(me, { registry: text(args.name) }),
};

export const importGroup: GroupSpec = { summary: "Import images from other registries.", children: { show, list }, self: run };
