import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import net from "node:net";

/**
 * Where Wharf itself may connect: webhook receivers, import sources and cache upstreams are URLs that registry
 * Owners and Contributors choose, and the server fetches them and shows what they answered (the delivery log,
 * import errors). Without a policy that makes the server a proxy into its own network. WHARF_EGRESS_DENY lists
 * the address ranges it refuses (CIDRs or the names below); WHARF_EGRESS_ALLOW lists exceptions to them.
 *
 * The check runs on the addresses a name resolves to, at connection time (the lookup the socket uses), so a
 * name that resolves to an allowed address when a rule is saved and to a denied one later is still refused.
 */

export const EGRESS_RANGE_NAMES: Record<string, string[]> = {
  // Cloud metadata services (169.254.169.254, fd00:ec2::254) live here; refused by default.
  "link-local": ["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"],
  // 0.0.0.0 connects to this host on Linux.
  loopback: ["127.0.0.0/8", "0.0.0.0/8", "::1/128", "::/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"],
};

/** `open`: WHARF_EGRESS_DENY lists nothing, so the server may connect anywhere. */
export type EgressPolicy = { deny: net.BlockList; allow: net.BlockList; describe: string; open: boolean };

/** One entry of the lists: a range name, an address, or an address/prefix. Throws with what to write instead. */
function addEntry(list: net.BlockList, entry: string): void {
  const named = EGRESS_RANGE_NAMES[entry];
  if (named) return named.forEach((cidr) => addEntry(list, cidr));
  const [address, prefix, extra] = entry.split("/");
  const family = net.isIP(address);
  const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
  if (!family || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
    throw new Error(`'${entry}' is not an address, a CIDR range or one of ${Object.keys(EGRESS_RANGE_NAMES).join(", ")}, none`);
  }
  list.addSubnet(address, bits, family === 6 ? "ipv6" : "ipv4");
}

/** Parses the two variables' comma-separated lists ("none" for an empty one); throws on a bad entry. */
export function parseEgressPolicy(deny: string, allow: string): EgressPolicy {
  const build = (variable: string, text: string) => {
    const list = new net.BlockList();
    const entries = text.split(",").map((e) => e.trim().toLowerCase()).filter((e) => e && e !== "none");
    try {
      for (const e of entries) addEntry(list, e);
    } catch (err) {
      throw new Error(`${variable}: ${(err as Error).message}`);
    }
    return { list, entries };
  };
  const d = build("WHARF_EGRESS_DENY", deny);
  const a = build("WHARF_EGRESS_ALLOW", allow);
  return { deny: d.list, allow: a.list, open: !d.entries.length, describe: `WHARF_EGRESS_DENY=${d.entries.join(",") || "none"}${a.entries.length ? ` WHARF_EGRESS_ALLOW=${a.entries.join(",")}` : ""}` };
}

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is checked as the IPv4 address it is. */
function plain(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: "ipv4" };
  return { address, family: net.isIP(address) === 6 ? "ipv6" : "ipv4" };
}

export function egressAllowed(policy: EgressPolicy, address: string): boolean {
  const a = plain(address);
  return !policy.deny.check(a.address, a.family) || policy.allow.check(a.address, a.family);
}

export class EgressDenied extends Error {
  readonly code = "EGRESS_DENIED";
  constructor(host: string, address: string, policy: EgressPolicy) {
    super(`${host} resolves to ${address}, an address Wharf's outbound policy refuses (${policy.describe}). An operator can allow it with WHARF_EGRESS_ALLOW=${address}.`);
  }
}

/** Throws EgressDenied for a URL whose host is a literal address the policy refuses (no lookup happens for those). */
export function checkLiteralHost(policy: EgressPolicy, hostname: string): void {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(bare) && !egressAllowed(policy, bare)) throw new EgressDenied(hostname, bare, policy);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A drop-in for dns.lookup (the `lookup` option of http.request and net.connect): resolves as usual, then
 * refuses when any address the name has is denied. Any, not just the first: a name with one public and one
 * internal address could otherwise be steered to the internal one.
 */
export function egressLookup(policy: () => EgressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const p = policy();
      const denied = addresses.find((a) => !egressAllowed(p, a.address));
      if (denied) return callback(new EgressDenied(hostname, denied.address, p) as NodeJS.ErrnoException, "");
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
