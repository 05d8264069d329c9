"use client";

import { useState } from "react";
import type { CredentialSetRow } from "@/portal/cache-overview";
import { Badge } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { PlusIcon } from "../ui/icons";
import { Table, TBody, Td, Th, THead, Tr } from "../ui/table";
import { ChangePasswordDialog, CreateCredentialSetDialog, DeleteCredentialSetDialog } from "./credential-set-dialogs";
import { GuardedButton } from "./guarded-button";
import { When } from "./when";

const RESULT_WORDS: Record<string, string> = {
  unauthorized: "Login refused",
  denied: "Access denied",
  unreachable: "Unreachable",
  timeout: "Timed out",
  rate_limited: "Rate limited",
  bad_answer: "Bad answer",
  not_found: "Not found",
};

function Health({ set }: { set: CredentialSetRow }) {
  if (set.healthy === null) return <Badge>Not checked yet</Badge>;
  return (
    <div className="space-y-0.5">
      {set.healthy ? <Badge tone="success">Healthy</Badge> : <Badge tone="danger">{RESULT_WORDS[set.lastLoginResult ?? ""] ?? "Unhealthy"}</Badge>}
      <p className="text-[12px] text-muted">
        last login <When iso={set.lastLoginAt} />
      </p>
      {set.lastLoginError ? <p className="max-w-md text-[12px] break-words text-danger">{set.lastLoginError}</p> : null}
    </div>
  );
}

export function CredentialSetsCard({ registry, sets, cannotChange }: { registry: string; sets: CredentialSetRow[]; cannotChange: string | null }) {
  const [creating, setCreating] = useState(false);
  const [changing, setChanging] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<CredentialSetRow | null>(null);
  const createButton = (
    <GuardedButton cannot={cannotChange} variant={sets.length ? "primary" : "secondary"} onClick={() => setCreating(true)}>
      <PlusIcon className="-ml-0.5 size-4" />
      Create credential set
    </GuardedButton>
  );
  return (
    <Card className="overflow-hidden" aria-labelledby="credential-sets-title">
      <CardHeader
        title={<span id="credential-sets-title">Credential sets</span>}
        description="Logins to upstream registries that cache rules use. Passwords are stored encrypted and never shown again."
        actions={sets.length ? createButton : null}
      />
      {sets.length === 0 ? (
        <EmptyState title="No credential sets" action={createButton}>
          <p>Public upstreams need none. Add one for an upstream that needs a login, or to pull from Docker Hub under your account&apos;s rate limit.</p>
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr><Th>Name</Th><Th>Login server</Th><Th>Username</Th><Th>Health</Th><Th className="hidden md:table-cell">Used by</Th><Th><span className="sr-only">Actions</span></Th></tr>
          </THead>
          <TBody>
            {sets.map((s) => (
              <Tr key={s.name} data-credential-set={s.name}>
                <Td className="font-medium whitespace-nowrap text-fg">{s.name}</Td>
                <Td className="font-mono text-[13px]">{s.loginServer}</Td>
                <Td>{s.username}</Td>
                <Td><Health set={s} /></Td>
                <Td className="hidden text-[13px] text-muted md:table-cell">{s.rules.length ? s.rules.join(", ") : "no rules"}</Td>
                <Td className="text-right whitespace-nowrap">
                  <div className="flex justify-end gap-1">
                    <GuardedButton size="sm" variant="secondary" cannot={cannotChange} onClick={() => setChanging(s.name)} aria-label={`Change password of credential set ${s.name}`}>Change password</GuardedButton>
                    <GuardedButton size="sm" variant="ghost" className="text-danger! hover:bg-danger-soft!" cannot={cannotChange} onClick={() => setDeleting(s)} aria-label={`Delete credential set ${s.name}`}>Delete</GuardedButton>
                  </div>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {creating ? <CreateCredentialSetDialog registry={registry} onClose={() => setCreating(false)} /> : null}
      {changing ? <ChangePasswordDialog registry={registry} set={changing} onClose={() => setChanging(null)} /> : null}
      {deleting ? <DeleteCredentialSetDialog registry={registry} set={deleting} onClose={() => setDeleting(null)} /> : null}
    </Card>
  );
}
