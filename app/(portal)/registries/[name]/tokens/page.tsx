import type { Metadata } from "next";
import { loadOrPanel } from "@/components/error-panel";
import { requirePrincipal } from "@/portal/principal";
import { loginServerResolver } from "@/portal/login-server";
import { authorize } from "@wharf/lib/auth/authorize";
import { listTokens } from "@wharf/lib/services/tokens";
import { listScopeMaps } from "@wharf/lib/services/scope-maps";
import { TokensManager } from "./tokens-manager";

export const metadata: Metadata = { title: "Tokens" };

export default async function TokensPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => Promise.all([listTokens(principal, name), listScopeMaps(principal, name)]));
  if (res.panel) return res.panel;
  const [tokens, maps] = res.data;
  const canEdit = (await authorize(principal, "changePolicies", { type: "registry", registry: name })).allowed;
  const server = (await loginServerResolver())(name);
  return (
    <TokensManager
      registry={name}
      loginServer={server}
      canEdit={canEdit}
      scopeMaps={maps.map((m) => ({ name: m.name, description: m.description, builtIn: m.builtIn }))}
      tokens={tokens.map((t) => ({
        name: t.name,
        scopeMap: t.scopeMap,
        status: t.status,
        createdAt: t.createdAt.toISOString(),
        passwords: ([1, 2] as const).map((n) => {
          const p = t.credentials[`password${n}`];
          return p ? { n, created: p.created?.toISOString() ?? null, expiry: p.expiry?.toISOString() ?? null, expired: p.expired } : { n, created: null, expiry: null, expired: false, none: true };
        }),
      }))}
    />
  );
}
