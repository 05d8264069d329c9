import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { renewAdminPassword, showAdminCredentials } from "../../lib/services/registry-credentials";
import { registryNameOption, text } from "../args";
import type { GroupSpec } from "../command";

/** `wharf credential …`, as `az acr credential show|renew`: the registry's admin user. */

export const credential: GroupSpec = {
  summary: "Manage the admin user's credentials of a registry.",
  children: {
    show: {
      summary: "Show the admin user's username and when each password was made (values are shown only when generated).",
      options: [registryNameOption],
      examples: [{ title: "Show the admin username.", command: "wharf credential show --name myregistry --query username" }],
      run: async (args) => showAdminCredentials(me, text(args.name)),
    },
    renew: {
      summary: "Regenerate password or password2 of the admin user (printed once).",
      options: [registryNameOption, { flags: "--password-name <name>", required: true, choices: ["password", "password2"], help: "Which password to regenerate." }],
      examples: [{ title: "Rotate the second password.", command: "wharf credential renew -n myregistry --password-name password2" }],
      run: async (args, { warn }) => {
        const out = await renewAdminPassword(me, text(args.name), args.passwordName === "password2" ? 2 : 1);
        warn("Save the password now: it is shown only this once.");
        return out;
      },
    },
  },
};
