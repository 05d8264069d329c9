import net from "node:net";

/** Parses "10.0.0.0/8", "203.0.113.5" (a /32), "2001:db8::/32". Returns null when invalid. */
export function parseCidr(input: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [addr, bits, extra] = input.trim().split("/");
  if (extra !== undefined || !addr) return null;
  const v = net.isIP(addr);
  if (!v) return null;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return null;
  return { address: addr, prefix, family: v === 4 ? "ipv4" : "ipv6" };
}

export type NetworkSettings = { publicNetworkAccess: string; networkDefaultAction: string; networkRules: string };

/** IPv4-mapped IPv6 ("::ffff:127.0.0.1", how Node reports v4 clients on a dual-stack socket) → IPv4. */
function normaliseAddress(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/**
 * null when the caller may reach the registry; otherwise the reason, naming the rule
 * but not the allowed ranges.
 * Rules are enforced on /v2 and /oauth2 (the portal is not a registry endpoint).
 */
export function networkDenial(reg: NetworkSettings & { name: string }, clientIp: string): string | null {
  if (reg.publicNetworkAccess === "Disabled") {
    return `Public network access to registry ${reg.name} is disabled (networking rule: public access Disabled). Reach it from a private endpoint, or ask its owner to enable public access.`;
  }
  if (reg.networkDefaultAction !== "Deny") return null;
  const ip = normaliseAddress(clientIp);
  const family = net.isIP(ip);
  const rules = JSON.parse(reg.networkRules) as string[];
  if (family) {
    const list = new net.BlockList();
    for (const r of rules) {
      const c = parseCidr(r);
      if (c) list.addSubnet(c.address, c.prefix, c.family);
    }
    if (list.check(ip, family === 4 ? "ipv4" : "ipv6")) return null;
  }
  // The allow-list itself is the registry's private network layout: never shown to callers.
  return `Your address ${ip} is not allowed to reach registry ${reg.name} (networking rule: default action Deny). Connect from an allowed network, or ask the registry's owner to add your address.`;
}
