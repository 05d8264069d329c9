import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { listActivity } from "../../lib/services/activity";
import { optionalText, positiveWhole } from "../args";
import type { CommandSpec, GroupSpec } from "../command";

/** `wharf activity list`: who did what, from where, with what result (newest first). */
const list: CommandSpec = {
  summary: "List the activity log: changes, pushes, deletes, pulls per hour, sign-ins and token requests, newest first.",
  options: [
    { flags: "-r, --registry <registry>", help: "This registry's log (default: the organisation's, every registry and organisation-level changes)." },
    { flags: "--principal <name>", help: "Only what this user, service principal, token or admin user did." },
    { flags: "--action <action>", help: "Only this action: manifest.push, pull, token, signin, registry.update…; a last part alone (push, delete) matches every kind." },
    { flags: "--result <result>", help: "Only ok, denied or failed." },
    { flags: "--since <time>", help: "Only since then: a duration ago (30m, 1h, 7d) or an ISO time." },
    { flags: "--until <time>", help: "Only before then: a duration ago or an ISO time." },
    { flags: "--top <n>", check: positiveWhole("--top"), help: "Show at most this many entries (default 50, at most 500)." },
    { flags: "--cursor <cursor>", help: "Continue from a previous page (the cursor the previous page printed on stderr)." },
  ],
  examples: [
    { title: "Who pushed to a registry in the last hour.", command: "wharf activity list -r myregistry --action push --since 1h -o table" },
    { title: "Failed sign-ins and token requests in the organisation.", command: "wharf activity list --result failed --since 7d -o table" },
  ],
  table: [
    { header: "TIME", field: "at" },
    { header: "ACTOR", field: "actorName", or: "actor" },
    { header: "ACTION", field: "action" },
    { header: "TARGET", field: "target" },
    { header: "REGISTRY", field: "registry" },
    { header: "ADDRESS", field: "address" },
    { header: "RESULT", field: "result" },
    { header: "COUNT", field: "count" },
  ],
  run: async (args, { note }) => {
    const page = await listActivity(me, {
      registry: optionalText(args.registry),
      principal: optionalText(args.principal),
      action: optionalText(args.action),
      result: optionalText(args.result),
      since: optionalText(args.since),
      until: optionalText(args.until),
      cursor: optionalText(args.cursor),
      take: args.top === undefined ? undefined : Number(args.top),
    });
    if (page.older) note(`More entries: add --cursor ${page.older}`);
    return page.items.map((r) => ({ ...r, at: r.at.toISOString() }));
  },
};

export const activity: GroupSpec = { summary: "Read the activity log.", children: { list } };
