import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { SKU_NAMES } from "../../lib/core/skus";
import { createRegistry, defaultResourceGroup, deleteRegistry, listRegistries, showRegistry } from "../../lib/services/registries";
import { updateRegistry, updateRegistryTags, type RegistryUpdate } from "../../lib/services/registry-settings";
import { optionalText, registryNameOption, requireYes, tagsOf, text, yesOption } from "../args";
import { UsageError } from "../errors";
import type { CommandSpec, GroupSpec } from "../command";
import { formatBytes, REGISTRY_TABLE, registryView } from "../views";
import { networkRule } from "./network-rule";

/** `wharf registry …`, as `az acr create|list|show|update|delete`. */

const create: CommandSpec = {
  summary: "Create a registry.",
  options: [
    { ...registryNameOption, help: "The name of the registry: 5–50 letters and digits, unique in this Wharf (stored lower case)." },
    { flags: "--sku <sku>", choices: SKU_NAMES, default: "Standard", help: "The SKU (service tier) of the registry." },
    { flags: "-l, --location <location>", help: "Where the registry is hosted: one of the server's WHARF_LOCATIONS. Default: the first of them." },
    {
      flags: "-g, --resource-group <group>",
      help: "An existing resource group to put the registry in (create one with `wharf group create`). Default: as the portal, the first group by name you may create registries in, else a new group 'default'.",
    },
    { flags: "--public-network-enabled <bool>", bool: true, help: "false refuses every client (Premium)." },
    { flags: "--tags <tags>", words: true, help: "Space-separated tags: key[=value] [key[=value] ...]." },
  ],
  examples: [
    { title: "Create a registry with the Standard SKU.", command: "wharf registry create --name myregistry" },
    { title: "Create a Premium registry in a resource group and location.", command: "wharf registry create -n myregistry --sku Premium -g platform -l westeurope" },
  ],
  table: REGISTRY_TABLE,
  run: async (args) => {
    const group = optionalText(args.resourceGroup);
    const created = await createRegistry(me, {
      name: text(args.name),
      sku: text(args.sku),
      location: optionalText(args.location),
      resourceGroup: group === undefined ? await defaultResourceGroup(me) : { mode: "existing", name: group },
      publicAccess: args.publicNetworkEnabled === false ? "disabled" : "all",
      tags: tagsOf(args.tags),
    });
    return registryView(created);
  },
};

const list: CommandSpec = {
  summary: "List registries.",
  options: [{ flags: "-g, --resource-group <group>", help: "Only the registries of this resource group." }],
  examples: [
    { title: "List registries as JSON.", command: "wharf registry list" },
    { title: "List registries as a table.", command: "wharf registry list --output table" },
    { title: "List the names of the Premium registries, one per line.", command: "wharf registry list --query \"[?sku.name=='Premium'].name\" -o tsv" },
  ],
  table: REGISTRY_TABLE,
  run: async (args) => {
    const group = optionalText(args.resourceGroup);
    return (await listRegistries(me)).filter((r) => group === undefined || r.resourceGroupName === group).map(registryView);
  },
};

const show: CommandSpec = {
  summary: "Get the details of a registry.",
  options: [registryNameOption],
  examples: [
    { title: "Get the login server of a registry.", command: "wharf registry show --name myregistry --query loginServer" },
    { title: "Check whether anonymous pull is enabled.", command: "wharf registry show -n myregistry --query anonymousPullEnabled" },
  ],
  table: REGISTRY_TABLE,
  run: async (args) => registryView(await showRegistry(me, text(args.name))),
};

const update: CommandSpec = {
  summary: "Update a registry: SKU, anonymous pull, admin user, public network access, tags.",
  options: [
    registryNameOption,
    { flags: "--sku <sku>", choices: SKU_NAMES, help: "Change the SKU (refused while the registry uses a feature the new SKU lacks)." },
    { flags: "--anonymous-pull-enabled <bool>", bool: true, help: "Let anyone who can reach the server pull every repository (Standard, Premium)." },
    { flags: "--admin-enabled <bool>", bool: true, help: "The admin user (username = registry name) with pull and push on every repository." },
    { flags: "--public-network-enabled <bool>", bool: true, help: "false refuses every client (Premium)." },
    { flags: "--default-action <action>", choices: ["Allow", "Deny"], help: "Network rule default action; with Deny only the allowed IP ranges get in (Premium)." },
    { flags: "--tags <tags>", words: true, help: 'Replace the tags: key[=value] [key[=value] ...]; "" clears them.' },
  ],
  examples: [
    { title: "Enable anonymous pull.", command: "wharf registry update --name myregistry --anonymous-pull-enabled true" },
    { title: "Turn on the admin user (prints its two passwords once).", command: "wharf registry update -n myregistry --admin-enabled true" },
    { title: "Tag a registry.", command: "wharf registry update -n myregistry --tags team=payments env=prod" },
  ],
  table: REGISTRY_TABLE,
  run: async (args, { warn, note }) => {
    const change: RegistryUpdate = {};
    if (args.sku !== undefined) change.sku = text(args.sku);
    if (typeof args.anonymousPullEnabled === "boolean") change.anonymousPullEnabled = args.anonymousPullEnabled;
    if (typeof args.adminEnabled === "boolean") change.adminUserEnabled = args.adminEnabled;
    if (typeof args.publicNetworkEnabled === "boolean") change.publicNetworkAccess = args.publicNetworkEnabled ? "Enabled" : "Disabled";
    if (args.defaultAction !== undefined) change.networkDefaultAction = text(args.defaultAction);
    if (!Object.keys(change).length && args.tags === undefined) {
      throw new UsageError("Nothing to update: give --sku, --anonymous-pull-enabled, --admin-enabled, --public-network-enabled, --default-action or --tags. See `wharf registry update --help`.");
    }
    const name = text(args.name);
    let registry = args.tags === undefined ? await showRegistry(me, name) : await updateRegistryTags(me, name, tagsOf(args.tags));
    const adminWasEnabled = registry.adminUserEnabled;
    let passwords: { name: string; value: string }[] = [];
    if (Object.keys(change).length) ({ registry, passwords } = await updateRegistry(me, name, change));
    if (change.adminUserEnabled && !passwords.length) note(adminPasswordsKept(registry.name, adminWasEnabled));
    if (!passwords.length) return registryView(registry);
    warn("Save the admin passwords now: they are shown only this once.");
    return { ...registryView(registry), adminUser: { username: registry.name, passwords } };
  },
};

/** Passwords are stored hashed and printed only when generated: say where they went instead of printing nothing. */
function adminPasswordsKept(registry: string, wasEnabled: boolean): string {
  return (
    (wasEnabled ? `The admin user of '${registry}' was already enabled. ` : `Enabled the admin user of '${registry}' with the passwords it had before. `) +
    `Its passwords were printed when they were generated and cannot be shown again: ` +
    `\`wharf credential show --name ${registry}\` lists them with when each was made, ` +
    `\`wharf credential renew --name ${registry} --password-name password\` (or password2) prints a new one.`
  );
}

const remove: CommandSpec = {
  summary: "Delete a registry with all its repositories, tags, manifests, tokens and role assignments.",
  options: [registryNameOption, { ...yesOption, help: "Confirm the deletion (it cannot be undone)." }],
  examples: [{ title: "Delete a registry.", command: "wharf registry delete --name myregistry --yes" }],
  run: async (args, { note }) => {
    const registry = await showRegistry(me, text(args.name));
    requireYes(args, `registry '${registry.name}' removes all its repositories and images and`, `wharf registry delete --name ${registry.name}`);
    const deleted = await deleteRegistry(me, registry.name, registry.name);
    const n = deleted.repositories;
    note(
      `Deleted registry '${deleted.name}' and its ${n} ${n === 1 ? "repository" : "repositories"}; ` +
        `freed ${deleted.blobsDeleted} ${deleted.blobsDeleted === 1 ? "blob" : "blobs"} (${formatBytes(deleted.bytesFreed)}).`,
    );
    return undefined; // Like `az acr delete`: nothing on stdout.
  },
};

export const registry: GroupSpec = {
  summary: "Manage registries.",
  children: { create, list, show, update, delete: remove, "network-rule": networkRule },
};
