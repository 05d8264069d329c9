import { headers } from "next/headers";
import { config } from "@wharf/lib/core/context";

/**
 * What clients type for a registry (DESIGN §2): `<name>.<domain>` when a registry
 * domain is configured, otherwise this server's host:port (path-style, with
 * repositories named `<registry>/<repo>`).
 */
export async function loginServerResolver(): Promise<(registryName: string) => string> {
  const c = config();
  const domain = c.WHARF_REGISTRY_DOMAIN;
  if (domain) return (name) => `${name}.${domain}`;
  const host = c.WHARF_PUBLIC_URL ? new URL(c.WHARF_PUBLIC_URL).host : ((await headers()).get("host") ?? `localhost:${c.PORT}`);
  return () => host;
}

/** Do clients reach this server over HTTPS: it serves TLS itself, or its public URL (a TLS-terminating proxy) is https? */
export function servesHttps(): boolean {
  const c = config();
  return c.tls.mode !== "off" || (c.WHARF_PUBLIC_URL?.startsWith("https:") ?? false);
}

/** How clients name an image of a registry's repository: `<login server>/<registry>/<repo>` path-style, or under the registry's own host. */
export async function imageNamer(): Promise<(registry: string, repository: string) => string> {
  const server = await loginServerResolver();
  const pathStyle = !config().WHARF_REGISTRY_DOMAIN;
  return (registry, repository) => `${server(registry)}/${pathStyle ? `${registry}/` : ""}${repository}`;
}
