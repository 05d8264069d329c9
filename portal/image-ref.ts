import { config } from "@wharf/lib/core/context";
import { loginServerResolver } from "./login-server";

/** What goes before the repository name in a pull/push command: `<name>.<domain>` host-style, `<host>/<name>` path-style. */
export async function imagePrefixResolver(): Promise<(registry: string) => string> {
  const server = await loginServerResolver();
  const hostStyle = !!config().WHARF_REGISTRY_DOMAIN;
  return (registry) => (hostStyle ? server(registry) : `${server(registry)}/${registry}`);
}
