"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { checkAccessAction, createRoleAssignmentAction, deleteRoleAssignmentAction, searchPrincipalsAction } from "@/portal/actions/access-actions";
import type { AccessCheck, GridRow, PrincipalRef } from "@wharf/lib/services/role-grid";
import { OPERATION_LABELS, type Operation } from "@wharf/lib/auth/roles";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { useConfirm } from "../ui/confirm-dialog";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { CheckIcon, PlusIcon } from "../ui/icons";
import { useHydrated } from "../ui/use-hydrated";
import { useAction } from "../use-action";
import { useDebounced } from "../use-debounced";

const ROLES = ["Owner", "Contributor", "Reader", "AcrPush", "AcrPull", "AcrDelete", "AcrImageSigner"] as const;

/** Principals × roles at one scope: direct assignments editable (Owner only), inherited ones shown with their origin. */
export function AccessControl({ scope, scopeLabel, rows, canEdit, descriptions }: { scope: string; scopeLabel: string; rows: GridRow[]; canEdit: boolean; descriptions: Record<string, string> }) {
  const [adding, setAdding] = useState(false);
  const hydrated = useHydrated();
  const confirm = useConfirm();
  const toggle = useAction(createRoleAssignmentAction, { success: (_d, i) => `${i.role} assigned to ${i.assignee}.` });
  const remove = useAction(deleteRoleAssignmentAction, { success: (_d, i) => `${i.role} removed from ${i.assignee}.` });
  const pending = toggle.pending || remove.pending;
  const inFlight = toggle.pending ? toggle.variables : remove.pending ? remove.variables : undefined;
  const assignee = (p: PrincipalRef) => (p.type === "user" ? p.name : p.detail);
  return (
    <div className="space-y-6">
      <Card className="overflow-hidden">
        <CardHeader
          title={`Role assignments on ${scopeLabel}`}
          description={canEdit ? "Tick a role to assign it here; untick to remove it. Inherited roles are changed where they are assigned." : "Only an Owner can change role assignments."}
          actions={canEdit ? <Button onClick={() => setAdding(true)}><PlusIcon className="-ml-0.5 size-4" />Add role assignment</Button> : null}
        />
        <div className="relative overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="bg-sunken/60 text-xs font-medium text-muted">
              <tr>
                <th scope="col" className="px-5 py-2.5 text-left font-medium tracking-wide uppercase">Principal</th>
                {ROLES.map((r) => (
                  <th key={r} scope="col" className="px-2 py-2.5 text-center font-medium whitespace-nowrap" title={descriptions[r]}>{r}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {rows.length === 0 ? (
                <tr><td colSpan={8} className="px-5 py-10 text-center text-muted">Nobody has a role here yet.</td></tr>
              ) : null}
              {rows.map((row) => (
                <tr key={row.principal.id} data-principal={row.principal.name} className="hover:bg-hover/60">
                  <td className="px-5 py-2.5">
                    <div className="flex items-center gap-2">
                      <span aria-hidden="true" className="flex size-7 shrink-0 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent-soft-fg uppercase">{row.principal.name.slice(0, 1)}</span>
                      <div className="min-w-0">
                        <p className="font-medium text-fg">{row.principal.name} {row.principal.disabled ? <Badge tone="warning">Disabled</Badge> : null}</p>
                        <p className="truncate text-[12px] text-muted">{row.principal.type === "user" ? "User" : row.principal.type === "group" ? "Group: a role here applies to each member" : `Service principal · ${row.principal.detail}`}</p>
                      </div>
                    </div>
                  </td>
                  {ROLES.map((role) => {
                    const direct = row.direct.includes(role);
                    const inherited = row.inherited.find((i) => i.role === role);
                    return (
                      <td key={role} className="px-2 py-2.5 text-center">
                        {inherited && !direct ? (
                          <span title={`Inherited from ${inherited.from}`} className="inline-flex flex-col items-center gap-0.5">
                            <CheckIcon className="size-4 text-subtle" />
                            <span className="text-[11px] leading-tight text-muted">inherited from {inherited.from}</span>
                          </span>
                        ) : (
                          <input
                            type="checkbox"
                            className={`size-4 accent-[var(--wh-accent)] disabled:opacity-60 ${inFlight?.role === role && inFlight.assignee === assignee(row.principal) ? "animate-pulse" : ""}`}
                            aria-busy={(inFlight?.role === role && inFlight.assignee === assignee(row.principal)) || undefined}
                            aria-label={`${role} for ${row.principal.name}`}
                            checked={direct}
                            // Inert until hydrated: a click on the server's HTML would be lost without a word.
                            disabled={!canEdit || pending || !hydrated}
                            onChange={(e) => {
                              const input = { assignee: assignee(row.principal), role, scope };
                              if (e.target.checked) return toggle.run(input);
                              confirm.ask({
                                title: `Remove ${role} from ${row.principal.name}?`,
                                body: <>{row.principal.name} loses {role} on {scopeLabel} ({descriptions[role] ?? "the rights this role gives"}). Roles inherited from elsewhere stay.</>,
                                confirmLabel: `Remove ${role}`,
                                onConfirm: () => remove.run(input),
                              });
                            }}
                          />
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <CheckAccessPanel scope={scope} scopeLabel={scopeLabel} canPick={canEdit} />
      {confirm.dialog}
      {adding ? <AddAssignmentDialog scope={scope} scopeLabel={scopeLabel} descriptions={descriptions} onClose={() => setAdding(false)} /> : null}
    </div>
  );
}

function usePrincipalSearch(scope: string, query: string, enabled: boolean): PrincipalRef[] {
  const q = useDebounced(query, 150);
  const found = useQuery({
    queryKey: ["principals", scope, q],
    enabled,
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const r = await searchPrincipalsAction({ scope, query: q });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });
  return found.data ?? [];
}

function AddAssignmentDialog({ scope, scopeLabel, descriptions, onClose }: { scope: string; scopeLabel: string; descriptions: Record<string, string>; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<PrincipalRef | null>(null);
  const [role, setRole] = useState<(typeof ROLES)[number]>("AcrPull");
  const found = usePrincipalSearch(scope, query, !picked);
  const { run, pending, formError } = useAction(createRoleAssignmentAction, { errors: "inline", success: (_d, i) => `${i.role} assigned to ${picked?.name ?? i.assignee}.` });
  return (
    <Dialog open onClose={onClose} title="Add role assignment" description={`On ${scopeLabel}. It also applies to everything inside it.`} wide>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked) run({ assignee: picked.type === "user" ? picked.name : picked.detail, role, scope }, onClose);
        }}
      >
        <Field id="role" label="Role">
          <div className="grid gap-1.5 sm:grid-cols-2">
            {ROLES.map((r) => (
              <label key={r} className={`flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm ${role === r ? "border-accent bg-accent-soft/60" : "border-line hover:bg-hover/60"}`}>
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} className="mt-0.5 accent-[var(--wh-accent)]" />
                <span><span className="font-medium text-fg">{r}</span><span className="block text-[12px] text-muted">{descriptions[r]}</span></span>
              </label>
            ))}
          </div>
        </Field>
        <Field id="principal-search" label="Assign to" hint="Users and service principals.">
          {picked ? (
            <div className="flex items-center justify-between rounded-md border border-line bg-sunken px-3 py-2 text-sm">
              <span><span className="font-medium text-fg">{picked.name}</span> <span className="text-muted">· {picked.type === "user" ? "User" : picked.type === "group" ? "Group" : `Service principal ${picked.detail}`}</span></span>
              <Button variant="ghost" size="sm" onClick={() => setPicked(null)}>Change</Button>
            </div>
          ) : (
            <>
              <Input id="principal-search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search by name" autoComplete="off" autoFocus />
              <ul role="listbox" aria-label="Matching principals" className="mt-1 max-h-52 overflow-y-auto rounded-md border border-line">
                {found.length === 0 ? <li className="px-3 py-2 text-sm text-muted">No matches.</li> : null}
                {found.map((p) => (
                  <li key={p.id} role="option" aria-selected={false}>
                    <button type="button" onClick={() => setPicked(p)} className="flex w-full items-center justify-between px-3 py-2 text-left text-sm hover:bg-hover">
                      <span className="font-medium text-fg">{p.name}</span>
                      <span className="text-[12px] text-muted">{p.type === "user" ? "User" : "Service principal"}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Field>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" disabled={!picked} pending={pending}>{pending ? "Assigning…" : "Assign role"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function CheckAccessPanel({ scope, scopeLabel, canPick }: { scope: string; scopeLabel: string; canPick: boolean }) {
  const [who, setWho] = useState("");
  const [result, setResult] = useState<AccessCheck | null>(null);
  const found = usePrincipalSearch(scope, who, canPick);
  // A question, not a change: nothing to refresh; the answer is shown below the form.
  const { run, pending, formError } = useAction(checkAccessAction, { refresh: false, errors: "inline" });
  return (
    <Card>
      <CardHeader title="Check access" description={`What a user or service principal may do on ${scopeLabel}, and which assignment gives it.`} />
      <CardBody className="space-y-4">
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            run({ assignee: who, scope }, setResult);
          }}
        >
          <div className="min-w-64 flex-1">
            <label htmlFor="check-who" className="mb-1.5 block text-sm font-medium text-fg">User or service principal</label>
            <Input id="check-who" value={who} onChange={(e) => setWho(e.target.value)} list="check-who-list" placeholder="username or client id" autoComplete="off" />
            <datalist id="check-who-list">
              {found.filter((p) => p.type !== "group").map((p) => <option key={p.id} value={p.type === "user" ? p.name : p.detail}>{p.name}</option>)}
            </datalist>
          </div>
          <Button type="submit" variant="secondary" disabled={!who.trim()} pending={pending}>{pending ? "Checking…" : "Check access"}</Button>
        </form>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        {result ? (
          <div className="space-y-3" data-testid="access-result">
            <p className="text-sm text-muted">
              <span className="font-medium text-fg">{result.principal.name}</span> has{" "}
              {result.roles.length ? result.roles.map((r) => <Badge key={`${r.role}${r.scope}`} tone="accent" className="mr-1">{r.role} · {r.from}</Badge>) : "no role here"}
              {result.dataActions.length ? <> — docker clients get <span className="font-mono text-[13px] text-fg">{result.dataActions.join(", ")}</span></> : null}
            </p>
            <ul className="divide-y divide-line rounded-md border border-line">
              {result.operations.map((o) => (
                <li key={o.operation} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                  <span className={o.allowed ? "text-fg" : "text-muted"}>{OPERATION_LABELS[o.operation as Operation] ?? o.operation}</span>
                  {o.allowed ? (
                    <span className="text-right text-[13px] text-success-soft-fg">Allowed — {o.via.map((v) => `${v.role} on ${v.from}`).join("; ")}</span>
                  ) : (
                    <span className="text-[13px] text-subtle">Not allowed</span>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

