import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createScopeMap, deleteScopeMap, getScopeMap, listScopeMaps, updateScopeMap } from "../../lib/services/scope-maps";
import { REPO_ACTIONS, repositoryActions } from "../../lib/services/tokens";
import { optionalText, registryOption, requireYes, text, words, yesOption } from "../args";
import { UsageError } from "../errors";
import type { ArgValue, GroupSpec, OptionSpec } from "../command";

/** `wharf scope-map …`, as `az acr scope-map create|list|show|update|delete`. */

/** `--repository hello content/read metadata/read` (repeatable) → rules. */
export function repositoryRules(v: ArgValue, flag = "--repository") {
  return words(v).map(([repository, ...actions]) => {
    if (!actions.length) throw new UsageError(`argument ${flag}: '${repository}' needs at least one action after it: ${REPO_ACTIONS.join(", ")}.`);
    return { repository, actions };
  });
}

export const repositoryOption: OptionSpec = {
  flags: "--repository <repository-and-actions>",
  words: true,
  help: `Repository (exact, "prefix/*" or "*") followed by actions: ${REPO_ACTIONS.join(", ")}. Repeat for more repositories.`,
};
const nameOption: OptionSpec = { flags: "-n, --name <name>", required: true, help: "The name of the scope map." };

export const scopeMap: GroupSpec = {
  summary: "Manage scope maps: named sets of repository permissions for tokens.",
  children: {
    create: {
      summary: "Create a scope map.",
      options: [registryOption, { ...nameOption, help: "The name of the scope map: 5–50 letters, digits, '-' or '_'." }, { ...repositoryOption, required: true }, { flags: "--description <text>", help: "A description." }],
      examples: [
        { title: "Pull and read tags of one repository.", command: "wharf scope-map create -r myregistry -n pull-hello --repository hello content/read metadata/read" },
        { title: "Push to everything under team/.", command: "wharf scope-map create -r myregistry -n team-ci --repository 'team/*' content/read content/write" },
      ],
      run: async (args) =>
        createScopeMap(me, { registry: text(args.registry), name: text(args.name), actions: repositoryActions(repositoryRules(args.repository)), description: text(args.description) }),
    },
    list: {
      summary: "List scope maps, built-in ones included.",
      options: [registryOption],
      examples: [{ title: "List scope maps.", command: "wharf scope-map list -r myregistry -o table" }],
      table: [
        { header: "NAME", field: "name" },
        { header: "BUILT IN", field: "builtIn" },
        { header: "DESCRIPTION", field: "description" },
        { header: "TOKENS", field: "tokens" },
      ],
      run: async (args) => listScopeMaps(me, text(args.registry)),
    },
    show: {
      summary: "Show a scope map's actions and the tokens that use it.",
      options: [registryOption, nameOption],
      examples: [{ title: "Show a built-in map.", command: "wharf scope-map show -r myregistry -n _repositories_pull" }],
      run: async (args) => getScopeMap(me, text(args.registry), text(args.name)),
    },
    update: {
      summary: "Add or remove repository actions.",
      options: [
        registryOption,
        nameOption,
        { ...repositoryOption, flags: "--add-repository <repository-and-actions>", help: "Repository followed by actions to add." },
        { ...repositoryOption, flags: "--remove-repository <repository-and-actions>", help: "Repository followed by actions to remove." },
        { flags: "--description <text>", help: "A new description." },
      ],
      examples: [{ title: "Also allow delete.", command: "wharf scope-map update -r myregistry -n pull-hello --add-repository hello content/delete" }],
      run: async (args) =>
        updateScopeMap(me, {
          registry: text(args.registry),
          name: text(args.name),
          addActions: args.addRepository ? repositoryActions(repositoryRules(args.addRepository, "--add-repository")) : undefined,
          removeActions: args.removeRepository ? repositoryActions(repositoryRules(args.removeRepository, "--remove-repository")) : undefined,
          description: optionalText(args.description),
        }),
    },
    delete: {
      summary: "Delete a scope map no token uses.",
      options: [registryOption, nameOption, yesOption],
      examples: [{ title: "Delete a scope map.", command: "wharf scope-map delete -r myregistry -n pull-hello --yes" }],
      run: async (args) => {
        requireYes(args, `scope map '${text(args.name)}'`, `wharf scope-map delete -r ${text(args.registry)} -n ${text(args.name)}`);
        return deleteScopeMap(me, { registry: text(args.registry), name: text(args.name) });
      },
    },
  },
};
