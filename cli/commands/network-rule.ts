import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { showRegistry } from "../../lib/services/registries";
import { addNetworkRule, removeNetworkRule } from "../../lib/services/registry-settings";
import { registryNameOption, text } from "../args";
import type { CommandSpec, GroupSpec, OptionSpec } from "../command";
import { networkRuleSetView } from "../views";

/** `wharf registry network-rule …`, as `az acr network-rule add|remove|list`. */

const ipOption: OptionSpec = { flags: "--ip-address <range>", required: true, help: "An IPv4/IPv6 address or CIDR range, e.g. 203.0.113.0/24." };

const add: CommandSpec = {
  summary: "Allow an IP address or range (Premium).",
  options: [registryNameOption, ipOption],
  examples: [{ title: "Allow a subnet.", command: "wharf registry network-rule add -n myregistry --ip-address 203.0.113.0/24" }],
  run: async (args) => networkRuleSetView((await addNetworkRule(me, text(args.name), text(args.ipAddress))).registry),
};

const remove: CommandSpec = {
  summary: "Remove an allowed IP address or range.",
  options: [registryNameOption, ipOption],
  examples: [{ title: "Remove a subnet.", command: "wharf registry network-rule remove -n myregistry --ip-address 203.0.113.0/24" }],
  run: async (args) => networkRuleSetView((await removeNetworkRule(me, text(args.name), text(args.ipAddress))).registry),
};

const list: CommandSpec = {
  summary: "List the network rules.",
  options: [registryNameOption],
  examples: [{ title: "List rules.", command: "wharf registry network-rule list -n myregistry" }],
  table: [
    { header: "DEFAULT ACTION", field: "defaultAction" },
    { header: "RULES", field: "ipRules" },
  ],
  run: async (args) => networkRuleSetView(await showRegistry(me, text(args.name))),
};

export const networkRule: GroupSpec = { summary: "Manage IP network rules of a (Premium) registry.", children: { add, remove, list } };
