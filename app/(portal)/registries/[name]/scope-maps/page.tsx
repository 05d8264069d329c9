import type { Metadata } from "next";
import Link from "next/link";
import { loadOrPanel } from "@/components/error-panel";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { requirePrincipal } from "@/portal/principal";
import { authorize } from "@wharf/lib/auth/authorize";
import { listScopeMaps } from "@wharf/lib/services/scope-maps";

export const metadata: Metadata = { title: "Scope maps" };

export default async function ScopeMapsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => listScopeMaps(principal, name));
  if (res.panel) return res.panel;
  const canEdit = (await authorize(principal, "changePolicies", { type: "registry", registry: name })).allowed;
  return (
    <Card className="overflow-hidden">
      <CardHeader
        title="Scope maps"
        description="Named sets of repository actions that tokens are bound to. The built-in ones cover whole-registry pull and push."
        actions={canEdit ? <ButtonLink href={`/registries/${name}/scope-maps/new`}><PlusIcon className="-ml-0.5 size-4" />Create scope map</ButtonLink> : null}
      />
      <Table>
        <THead><tr><Th>Name</Th><Th>Description</Th><Th className="text-right">Actions</Th><Th>Used by</Th></tr></THead>
        <TBody>
          {res.data.map((m) => (
            <Tr key={m.name}>
              <Td>
                <div className="flex items-center gap-2">
                  <Link href={`/registries/${name}/scope-maps/${encodeURIComponent(m.name)}`} className="font-mono text-[13px] font-medium text-fg hover:text-accent hover:underline">{m.name}</Link>
                  {m.builtIn ? <Badge>Built-in</Badge> : null}
                </div>
              </Td>
              <Td className="text-muted">{m.description || "—"}</Td>
              <Td className="text-right tabular-nums">{m.actions.length}</Td>
              <Td className="text-muted">{m.tokens.length ? m.tokens.join(", ") : "—"}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
