import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { listWebhookEvents, pingWebhook, redeliverWebhookEvent, type WebhookDeliveryView } from "../../lib/services/webhook-deliveries";
import { createWebhook, deleteWebhook, getWebhookConfig, listWebhooks, rotateWebhookSecret, showWebhook, updateWebhook } from "../../lib/services/webhooks";
import type { ArgValue } from "../command";
import { optionalText, positiveWhole, registryOption, requireYes, text, words, yesOption } from "../args";
import type { CommandSpec, GroupSpec } from "../command";

/** `wharf webhook …` (az acr webhook): tell a URL about pushes and deletes. */

const TABLE = [
  { header: "NAME", field: "name" },
  { header: "URI", field: "uri" },
  { header: "ACTIONS", field: "actions" },
  { header: "SCOPE", field: "scope" },
  { header: "STATUS", field: "status" },
];

const EVENTS_TABLE = [
  { header: "ID", field: "id" },
  { header: "ACTION", field: "action" },
  { header: "STATUS", field: "status" },
  { header: "ATTEMPTS", field: "attempts" },
  { header: "LAST RESPONSE", field: "lastResponse" },
  { header: "CREATED", field: "createdAt" },
];

const nameOption = { flags: "-n, --name <name>", required: true, help: "The name of the webhook (5-50 letters and digits)." };
const uriOption = (required: boolean) => ({ flags: "--uri <uri>", required, help: "The service URI the events are POSTed to (http:// or https://)." });
const actionsOption = (required: boolean) => ({ flags: "--actions <action>", words: true, required, help: "push and/or delete, e.g. --actions push delete." });
const scopeOption = { flags: "--scope <scope>", help: "repository:tag, repository:* or repository (its latest tag); all repositories when absent ('' on update)." };
const headersOption = { flags: "--headers <K=V>", words: true, help: "Custom headers sent with each event, e.g. --headers Authorization='Bearer abc' X-Env=prod ('' on update removes them)." };
const statusOption = { flags: "--status <status>", choices: ["enabled", "disabled"] as const, help: "enabled (default) or disabled (no events are queued)." };

const list0 = (v: ArgValue) => (Array.isArray(v) ? words(v).flat() : undefined);
const headersOf = (v: ArgValue) => {
  const w = list0(v);
  return w === undefined ? undefined : w.filter((x) => x !== "");
};

/** One line per delivery for the table: the last attempt's answer or error. */
function eventRow(d: WebhookDeliveryView) {
  const last = d.log.at(-1);
  return { ...d, lastResponse: last ? (last.responseStatus ?? last.error ?? "") : "(not tried yet)" };
}

const create: CommandSpec = {
  summary: "Create a webhook; its signing secret is printed once (X-Wharf-Signature is its HMAC-SHA256 of the body).",
  options: [registryOption, nameOption, uriOption(true), actionsOption(true), scopeOption, headersOption, { ...statusOption, default: "enabled" }],
  examples: [
    { title: "Tell CI about every push.", command: "wharf webhook create -r myregistry -n cihook --uri https://ci.example.com/hooks/wharf --actions push" },
    { title: "Pushes and deletes of one repository, with a header.", command: "wharf webhook create -r myregistry -n apphook --uri https://ci.example.com/h --actions push delete --scope 'app:*' --headers X-Env=prod" },
  ],
  run: async (args, io) => {
    const hook = await createWebhook(me, {
      registry: text(args.registry),
      name: text(args.name),
      uri: text(args.uri),
      actions: list0(args.actions) ?? [],
      scope: optionalText(args.scope),
      headers: headersOf(args.headers),
      status: optionalText(args.status),
    });
    io.note("Save the secret now: it is not shown again (rotate it with `wharf webhook rotate-secret`).");
    return hook;
  },
};

const list: CommandSpec = {
  summary: "List the webhooks of a registry.",
  options: [registryOption],
  examples: [{ title: "List webhooks.", command: "wharf webhook list -r myregistry -o table" }],
  table: TABLE,
  run: async (args) => listWebhooks(me, { registry: text(args.registry) }),
};

const show: CommandSpec = {
  summary: "Show a webhook and its last delivery.",
  options: [registryOption, nameOption],
  examples: [{ title: "Show a webhook.", command: "wharf webhook show -r myregistry -n cihook" }],
  run: async (args) => showWebhook(me, { registry: text(args.registry), name: text(args.name) }),
};

const update: CommandSpec = {
  summary: "Change a webhook's URI, actions, scope, headers or status.",
  options: [registryOption, nameOption, uriOption(false), actionsOption(false), scopeOption, headersOption, statusOption],
  examples: [{ title: "Pause a webhook.", command: "wharf webhook update -r myregistry -n cihook --status disabled" }],
  table: TABLE,
  run: async (args) =>
    updateWebhook(me, {
      registry: text(args.registry),
      name: text(args.name),
      uri: optionalText(args.uri),
      actions: list0(args.actions),
      scope: optionalText(args.scope),
      headers: headersOf(args.headers),
      status: optionalText(args.status),
    }),
};

const remove: CommandSpec = {
  summary: "Delete a webhook and its delivery log.",
  options: [registryOption, nameOption, yesOption],
  examples: [{ title: "Delete a webhook.", command: "wharf webhook delete -r myregistry -n cihook --yes" }],
  run: async (args) => {
    requireYes(args, `webhook ${text(args.name)}`, `wharf webhook delete -r ${text(args.registry)} -n ${text(args.name)}`);
    return deleteWebhook(me, { registry: text(args.registry), name: text(args.name) });
  },
};

const ping: CommandSpec = {
  summary: "Send a 'ping' event now and print what the receiver answered (retried like any event if it fails).",
  options: [registryOption, nameOption],
  examples: [{ title: "Ping a webhook.", command: "wharf webhook ping -r myregistry -n cihook" }],
  table: EVENTS_TABLE,
  run: async (args) => eventRow(await pingWebhook(me, { registry: text(args.registry), name: text(args.name) })),
};

const listEvents: CommandSpec = {
  summary: "List a webhook's recent deliveries, newest first, with the request and response of each attempt.",
  options: [registryOption, nameOption, { flags: "--top <n>", check: positiveWhole("--top"), help: "How many deliveries (default 50, at most 500)." }],
  examples: [{ title: "See what was sent.", command: "wharf webhook list-events -r myregistry -n cihook -o table" }],
  table: EVENTS_TABLE,
  run: async (args) => (await listWebhookEvents(me, { registry: text(args.registry), name: text(args.name), top: optionalText(args.top) })).map(eventRow),
};

const getConfig: CommandSpec = {
  summary: "Print the webhook's full service URI and custom headers.",
  options: [registryOption, nameOption],
  examples: [{ title: "Get the configuration.", command: "wharf webhook get-config -r myregistry -n cihook" }],
  run: async (args) => getWebhookConfig(me, { registry: text(args.registry), name: text(args.name) }),
};

const redeliver: CommandSpec = {
  summary: "Send a delivery's payload again, as a new delivery with its own log and retries.",
  options: [registryOption, { flags: "-n, --name <name>", help: "The webhook (optional; checked when given)." }, { flags: "--delivery <id>", required: true, help: "The delivery id, from list-events." }],
  examples: [{ title: "Redeliver an event.", command: "wharf webhook redeliver -r myregistry --delivery 0b6c…" }],
  table: EVENTS_TABLE,
  run: async (args) => eventRow(await redeliverWebhookEvent(me, { registry: text(args.registry), name: optionalText(args.name), delivery: text(args.delivery) })),
};

const rotateSecret: CommandSpec = {
  summary: "Replace the webhook's signing secret; the new one is printed once.",
  options: [registryOption, nameOption],
  examples: [{ title: "Rotate the secret.", command: "wharf webhook rotate-secret -r myregistry -n cihook" }],
  run: async (args) => rotateWebhookSecret(me, { registry: text(args.registry), name: text(args.name) }),
};

export const webhook: GroupSpec = {
  summary: "Manage webhooks: POSTs to a URL on pushes and deletes.",
  children: { create, list, show, update, delete: remove, ping, "list-events": listEvents, "get-config": getConfig, redeliver, "rotate-secret": rotateSecret },
};
