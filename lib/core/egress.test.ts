import { test } from "node:test";
import assert from "node:assert/strict";
import { checkLiteralHost, EgressDenied, egressAllowed, egressLookup, parseEgressPolicy } from "./egress";
import { parseConfig } from "./config";

/** The outbound policy on its own: which addresses pass, what a bad setting says, and the lookup sockets use. */

test("the default refuses link-local (cloud metadata) only", () => {
  const p = parseConfig({}).egress;
  for (const a of ["169.254.169.254", "fe80::1", "fd00:ec2::254", "::ffff:169.254.169.254"]) assert.equal(egressAllowed(p, a), false, a);
  for (const a of ["127.0.0.1", "10.1.2.3", "192.168.1.5", "8.8.8.8", "2001:db8::1"]) assert.equal(egressAllowed(p, a), true, a);
});

test("named ranges, CIDRs and exceptions; an IPv4 address written as IPv6 is the same address", () => {
  const p = parseEgressPolicy("link-local, loopback, private, 203.0.113.0/24", "10.0.5.0/24, 127.0.0.1");
  for (const a of ["127.0.0.2", "0.0.0.0", "::1", "10.9.9.9", "172.20.0.1", "192.168.0.1", "100.64.0.1", "fd12::1", "203.0.113.7", "::ffff:10.9.9.9"]) {
    assert.equal(egressAllowed(p, a), false, a);
  }
  for (const a of ["10.0.5.17", "127.0.0.1", "::ffff:127.0.0.1", "172.32.0.1", "198.51.100.1"]) assert.equal(egressAllowed(p, a), true, a);
  assert.equal(egressAllowed(parseEgressPolicy("none", ""), "169.254.169.254"), true, "none turns the policy off");
  assert.throws(() => checkLiteralHost(p, "[::1]"), EgressDenied);
  assert.throws(() => checkLiteralHost(p, "10.9.9.9"), /10\.9\.9\.9, an address Wharf's outbound policy refuses .*WHARF_EGRESS_ALLOW=10\.9\.9\.9/);
  checkLiteralHost(p, "registry.example.com"); // names are checked when they resolve
});

test("a bad entry stops start-up naming the variable and the forms it takes", () => {
  for (const bad of ["intranet", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/8/1"]) {
    assert.throws(() => parseConfig({ WHARF_EGRESS_DENY: bad }), /WHARF_EGRESS_DENY: '.*' is not an address, a CIDR range or one of link-local, loopback, private, none/);
  }
  assert.throws(() => parseConfig({ WHARF_EGRESS_ALLOW: "everything" }), /WHARF_EGRESS_ALLOW: 'everything' is not an address/);
});

test("the lookup refuses a name when any of its addresses is denied, and answers as dns.lookup otherwise", async () => {
  const look = (policy: string, options: { all?: boolean }) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      egressLookup(() => parseEgressPolicy(policy, ""))("localhost", options, (err, address) => resolve({ err, address })),
    );
  const refused = await look("loopback", {});
  assert.ok(refused.err instanceof EgressDenied);
  assert.match(refused.err.message, /^localhost resolves to (127\.0\.0\.1|::1), an address/);
  const one = await look("link-local", {});
  assert.equal(one.err, null);
  assert.match(String(one.address), /^(127\.0\.0\.1|::1)$/);
  const all = await look("link-local", { all: true });
  assert.ok(Array.isArray(all.address) && all.address.length >= 1);
});
