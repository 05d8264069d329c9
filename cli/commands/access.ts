import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { accessReview, DEFAULT_MAX_OWNERS, reviewLines } from "../../lib/services/access-review";
import { optionalText, positiveWhole } from "../args";
import type { GroupSpec } from "../command";

/** `wharf access review`: who can reach a registry (or the organisation), with what, since when unused, and what to fix. */
export const access: GroupSpec = {
  summary: "Review who can reach a registry or the organisation.",
  children: {
    review: {
      summary: "Every principal with its rights, where each comes from, credential expiry, last use, and the flags a reviewer acts on.",
      options: [
        { flags: "-r, --registry <registry>", help: "Review this registry (default: the whole organisation)." },
        { flags: "--max-owners <n>", check: positiveWhole("--max-owners"), help: `Flag more Owners than this (default ${DEFAULT_MAX_OWNERS}).` },
      ],
      examples: [
        { title: "Review a registry as a table.", command: "wharf access review -r myregistry -o table" },
        { title: "Export the organisation's review for a spreadsheet.", command: "wharf access review -o csv > access-review.csv" },
        { title: "Only what needs attention.", command: "wharf access review -r myregistry --query \"[?flags!='']\" -o table" },
      ],
      table: [
        { header: "TYPE", field: "type" },
        { header: "NAME", field: "name" },
        { header: "DETAIL", field: "detail" },
        { header: "DISABLED", field: "disabled" },
        { header: "RIGHTS", field: "rights" },
        { header: "CREDENTIAL EXPIRES", field: "credentialExpiry" },
        { header: "LAST USED", field: "lastUsed" },
        { header: "FLAGS", field: "flags" },
      ],
      run: async (args) => {
        const review = await accessReview(me, { registry: optionalText(args.registry) ?? null, maxOwners: args.maxOwners === undefined ? undefined : Number(args.maxOwners) });
        return reviewLines(review);
      },
    },
  },
};
