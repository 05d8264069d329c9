import { config } from "../core/context";

/**
 * What clients type to reach a registry. Path-style (default): the deployment's
 * `HOST:PORT`, with repositories named `<registry>/<repo>`. Host-style (when
 * WHARF_REGISTRY_DOMAIN is set): `<registry>.<domain>` and bare repository names.
 */
export function loginServerOf(name: string): { loginServer: string; repositoryPrefix: string } {
  const c = config();
  if (c.WHARF_REGISTRY_DOMAIN) return { loginServer: `${name}.${c.WHARF_REGISTRY_DOMAIN}`, repositoryPrefix: "" };
  if (c.WHARF_PUBLIC_URL) return { loginServer: new URL(c.WHARF_PUBLIC_URL).host, repositoryPrefix: `${name}/` };
  // A wildcard bind address is not something a client can dial.
  const host = c.HOST === "0.0.0.0" || c.HOST === "::" ? "127.0.0.1" : c.HOST.includes(":") ? `[${c.HOST}]` : c.HOST;
  return { loginServer: `${host}:${c.PORT}`, repositoryPrefix: `${name}/` };
}
