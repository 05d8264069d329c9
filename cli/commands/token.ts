import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createToken, deleteToken, generateTokenPassword, listTokens, showToken, updateToken } from "../../lib/services/tokens";
import { optionalText, positiveWhole, registryOption, requireYes, text, yesOption } from "../args";
import { UsageError } from "../errors";
import type { Args, GroupSpec, OptionSpec } from "../command";
import { repositoryOption, repositoryRules } from "./scope-map";

/** `wharf token …`, as `az acr token create|list|show|update|delete|credential generate`. */

const nameOption: OptionSpec = { flags: "-n, --name <name>", required: true, help: "The token name." };
const statusOption: OptionSpec = { flags: "--status <status>", choices: ["enabled", "disabled"], help: "Disabled tokens cannot log in; their access tokens stop at once." };
const TOKEN_TABLE = [
  { header: "NAME", field: "name" },
  { header: "SCOPE MAP", field: "scopeMap" },
  { header: "STATUS", field: "status" },
  { header: "CREATED", field: "createdAt" },
];

function expiryOf(args: Args): Date | null {
  if (args.expiration !== undefined && args.expirationInDays !== undefined) throw new UsageError("Give --expiration or --expiration-in-days, not both.");
  if (typeof args.expiration === "string") {
    const d = new Date(args.expiration);
    if (Number.isNaN(d.getTime())) throw new UsageError(`argument --expiration: '${args.expiration}' is not a date; use ISO 8601, e.g. 2027-01-31T00:00:00Z.`);
    return d;
  }
  if (typeof args.expirationInDays === "string") return new Date(Date.now() + Number(args.expirationInDays) * 86_400_000);
  return null;
}

export const token: GroupSpec = {
  summary: "Manage repository-scoped tokens (docker login with the token name and a password).",
  children: {
    create: {
      summary: "Create a token; its two passwords are printed once.",
      options: [
        { ...nameOption, help: "The token name (also the docker login username): 5–50 letters, digits, '-' or '_'." },
        registryOption,
        { flags: "--scope-map <name>", help: "An existing scope map (or a built-in such as _repositories_pull)." },
        repositoryOption,
        { ...statusOption, default: "enabled" },
        { flags: "--no-passwords", help: "Create without passwords; generate them later." },
      ],
      examples: [
        { title: "A pull-only token for one repository.", command: "wharf token create -n readonlypull -r myregistry --repository aspnetapp content/read metadata/read" },
        { title: "A token from a built-in scope map.", command: "wharf token create -n ci-push -r myregistry --scope-map _repositories_push" },
      ],
      table: TOKEN_TABLE,
      run: async (args, { warn }) => {
        const t = await createToken(me, {
          registry: text(args.registry),
          name: text(args.name),
          scopeMap: optionalText(args.scopeMap),
          repositories: args.repository ? repositoryRules(args.repository) : undefined,
          enabled: args.status !== "disabled",
          generatePasswords: args.passwords !== false,
        });
        if (t.passwords.length) warn("Save the passwords now: they are shown only this once.");
        return t;
      },
    },
    list: {
      summary: "List tokens.",
      options: [registryOption],
      examples: [{ title: "List tokens.", command: "wharf token list -r myregistry -o table" }],
      table: TOKEN_TABLE,
      run: async (args) => listTokens(me, text(args.registry)),
    },
    show: {
      summary: "Show a token (never its passwords).",
      options: [nameOption, registryOption],
      examples: [{ title: "Show a token's status.", command: "wharf token show -n readonlypull -r myregistry --query status" }],
      run: async (args) => showToken(me, text(args.registry), text(args.name)),
    },
    update: {
      summary: "Enable or disable a token, or bind it to another scope map.",
      options: [nameOption, registryOption, statusOption, { flags: "--scope-map <name>", help: "Another scope map." }],
      examples: [{ title: "Disable a token.", command: "wharf token update -n readonlypull -r myregistry --status disabled" }],
      run: async (args) => updateToken(me, { registry: text(args.registry), name: text(args.name), status: optionalText(args.status), scopeMap: optionalText(args.scopeMap) }),
    },
    delete: {
      summary: "Delete a token.",
      options: [nameOption, registryOption, yesOption],
      examples: [{ title: "Delete a token.", command: "wharf token delete -n readonlypull -r myregistry --yes" }],
      run: async (args) => {
        requireYes(args, `token '${text(args.name)}'`, `wharf token delete -n ${text(args.name)} -r ${text(args.registry)}`);
        return deleteToken(me, { registry: text(args.registry), name: text(args.name) });
      },
    },
    credential: {
      summary: "Manage a token's passwords.",
      children: {
        generate: {
          summary: "Generate password1 or password2 (printed once); the other keeps working.",
          options: [
            nameOption,
            registryOption,
            { flags: "--password1", help: "Regenerate password 1." },
            { flags: "--password2", help: "Regenerate password 2." },
            { flags: "--expiration <datetime>", help: "When the password stops working, ISO 8601 (e.g. 2027-01-31T00:00:00Z)." },
            { flags: "--expiration-in-days <days>", check: positiveWhole("--expiration-in-days"), help: "Days until the password stops working." },
          ],
          examples: [{ title: "Rotate password 1, valid 30 days.", command: "wharf token credential generate -n readonlypull -r myregistry --password1 --expiration-in-days 30" }],
          run: async (args, { warn }) => {
            if ((args.password1 === true) === (args.password2 === true)) throw new UsageError("Give exactly one of --password1 or --password2.");
            const out = await generateTokenPassword(me, { registry: text(args.registry), name: text(args.name), password: args.password1 === true ? 1 : 2, expiry: expiryOf(args) });
            warn("Save the password now: it is shown only this once.");
            return out;
          },
        },
      },
    },
  },
};
