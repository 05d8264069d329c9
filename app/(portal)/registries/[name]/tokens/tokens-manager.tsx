"use client";

import Link from "next/link";
import { useState } from "react";
import { createTokenAction, deleteTokenAction, generateTokenPasswordAction, setTokenStatusAction } from "@/portal/actions/token-actions";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDate } from "@/components/ui/format";
import { ScopeGrid, gridProblems, type GridRule } from "@/components/access/scope-grid";
import { SecretOnce } from "@/components/secret-once";
import { useAction } from "@/components/use-action";

type Pw = { n: 1 | 2; created: string | null; expiry: string | null; expired: boolean; none?: boolean };
type Token = { name: string; scopeMap: string; status: "enabled" | "disabled"; createdAt: string; passwords: Pw[] };
type MapRef = { name: string; description: string; builtIn: boolean };

export function TokensManager({ registry, loginServer, canEdit, tokens, scopeMaps }: { registry: string; loginServer: string; canEdit: boolean; tokens: Token[]; scopeMaps: MapRef[] }) {
  const [creating, setCreating] = useState(false);
  const [generating, setGenerating] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const status = useAction(setTokenStatusAction, { success: (d, i) => `Token ${i.name} ${d.status}.` });
  return (
    <>
      <Card className="overflow-hidden">
        <CardHeader
          title="Tokens"
          description="Repository-scoped credentials for docker login: each token gets exactly the actions of its scope map."
          actions={canEdit ? <Button onClick={() => setCreating(true)}><PlusIcon className="-ml-0.5 size-4" />Create token</Button> : null}
        />
        {tokens.length === 0 ? (
          <EmptyState title="No tokens yet">
            <p>Tokens let CI jobs and other machines pull or push only the repositories you choose.</p>
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr><Th>Name</Th><Th>Scope map</Th><Th>Status</Th><Th className="hidden md:table-cell">Created</Th><Th>Passwords</Th><Th><span className="sr-only">Actions</span></Th></tr>
            </THead>
            <TBody>
              {tokens.map((t) => (
                <Tr key={t.name} data-token={t.name}>
                  <Td className="font-medium whitespace-nowrap text-fg">{t.name}</Td>
                  <Td><Link href={`/registries/${registry}/scope-maps/${encodeURIComponent(t.scopeMap)}`} className="font-mono text-[13px] text-accent hover:underline">{t.scopeMap}</Link></Td>
                  <Td>{t.status === "enabled" ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
                  <Td className="hidden whitespace-nowrap text-muted md:table-cell">{formatDate(t.createdAt)}</Td>
                  <Td>
                    <ul className="space-y-0.5 text-[13px]">
                      {t.passwords.map((p) => (
                        <li key={p.n} className="whitespace-nowrap text-muted">
                          <span className="text-fg">Password {p.n}:</span>{" "}
                          {p.none ? "not set" : p.expired ? <span className="text-danger">expired {formatDate(p.expiry!)}</span> : p.expiry ? `expires ${formatDate(p.expiry)}` : "no expiry"}
                        </li>
                      ))}
                    </ul>
                  </Td>
                  <Td className="text-right whitespace-nowrap">
                    {canEdit ? (
                      <div className="flex justify-end gap-1">
                        <Button size="sm" variant="secondary" onClick={() => setGenerating(t.name)}>Generate password</Button>
                        <Button
                          size="sm"
                          variant="ghost"
                          disabled={status.pending}
                          pending={status.pending && status.variables?.name === t.name}
                          onClick={() => status.run({ registry, name: t.name, status: t.status === "enabled" ? "disabled" : "enabled" })}
                        >
                          {t.status === "enabled" ? "Disable" : "Enable"}
                        </Button>
                        <Button size="sm" variant="ghost" className="text-danger! hover:bg-danger-soft!" onClick={() => setDeleting(t.name)} aria-label={`Delete token ${t.name}`}>Delete</Button>
                      </div>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {creating ? <CreateTokenDialog registry={registry} scopeMaps={scopeMaps} onClose={() => setCreating(false)} onCreated={(n) => { setCreating(false); setGenerating(n); }} /> : null}
      {generating ? <GeneratePasswordDialog registry={registry} token={generating} loginServer={loginServer} onClose={() => setGenerating(null)} /> : null}
      {deleting ? <DeleteTokenDialog registry={registry} token={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}

function CreateTokenDialog({ registry, scopeMaps, onClose, onCreated }: { registry: string; scopeMaps: MapRef[]; onClose: () => void; onCreated: (name: string) => void }) {
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"existing" | "new">("existing");
  const [scopeMap, setScopeMap] = useState(scopeMaps.find((m) => m.name === "_repositories_pull")?.name ?? scopeMaps[0]?.name ?? "");
  const [rules, setRules] = useState<GridRule[]>([{ repository: "", actions: ["content/read", "metadata/read"] }]);
  const [tried, setTried] = useState(false);
  // No toast: creating leads straight to generating a password.
  const { run, pending, fieldError, formError } = useAction(createTokenAction, { errors: "inline", fields: ["name"] });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    setTried(true);
    if (mode === "new" && gridProblems(rules).size) return;
    run(mode === "existing" ? { registry, name, scopeMap } : { registry, name, repositories: rules }, (d) => onCreated(d.name));
  }
  return (
    <Dialog open onClose={onClose} title="Create token" description="After creating it, generate a password to log in with." wide>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field id="token-name" label="Token name" error={fieldError("name")} hint="5–50 letters, digits, '-' or '_'. It is the username for docker login.">
          <Input id="token-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus required aria-invalid={!!fieldError("name") || undefined} />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-fg">Scope map</legend>
          <div className="flex gap-4 text-sm">
            <label className="flex items-center gap-2"><input type="radio" name="mode" checked={mode === "existing"} onChange={() => setMode("existing")} className="accent-[var(--wh-accent)]" />Use an existing scope map</label>
            <label className="flex items-center gap-2"><input type="radio" name="mode" checked={mode === "new"} onChange={() => setMode("new")} className="accent-[var(--wh-accent)]" />Create a new one</label>
          </div>
          {mode === "existing" ? (
            <select
              aria-label="Scope map to use"
              value={scopeMap}
              onChange={(e) => setScopeMap(e.target.value)}
              className="block h-10 w-full rounded-md border border-line-strong bg-surface px-3 text-sm text-fg shadow-card focus:border-accent focus:ring-3 focus:ring-focus/25 focus-visible:outline-none"
            >
              {scopeMaps.map((m) => (
                <option key={m.name} value={m.name}>{m.name}{m.description ? ` — ${m.description}` : ""}</option>
              ))}
            </select>
          ) : (
            <>
              <ScopeGrid registry={registry} rules={rules} onChange={setRules} showErrors={tried} />
              <p className="text-[13px] text-muted">The new scope map is named after the token (<code className="font-mono">{name || "<token>"}-scope-map</code>).</p>
            </>
          )}
        </fieldset>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={pending}>{pending ? "Creating…" : "Create token"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function GeneratePasswordDialog({ registry, token, loginServer, onClose }: { registry: string; token: string; loginServer: string; onClose: () => void }) {
  const [which, setWhich] = useState<1 | 2>(1);
  const [expiry, setExpiry] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  // No toast: the dialog shows the password.
  const { run, pending, fieldError, formError } = useAction(generateTokenPasswordAction, { errors: "inline", fields: ["expiry", "expiration"] });
  const expiryError = fieldError("expiry") ?? fieldError("expiration");
  function submit(e: React.FormEvent) {
    e.preventDefault();
    run({ registry, name: token, password: which, expiry: expiry ? new Date(`${expiry}T23:59:59Z`).toISOString() : undefined }, (d) => setSecret(d.password));
  }
  return (
    <Dialog open onClose={onClose} title={`Generate a password for ${token}`} description="Two passwords let you rotate: generate the other one, move your clients, then regenerate the first." wide>
      {secret ? (
        <>
          <SecretOnce label={`Password ${which}`} value={secret} command={`docker login ${loginServer} --username ${token} --password ${secret}`} />
          <DialogFooter><Button onClick={onClose}>Done</Button></DialogFooter>
        </>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-fg">Which password</legend>
            <div className="flex gap-4 text-sm">
              {([1, 2] as const).map((n) => (
                <label key={n} className="flex items-center gap-2"><input type="radio" name="which" checked={which === n} onChange={() => setWhich(n)} className="accent-[var(--wh-accent)]" />Password {n}</label>
              ))}
            </div>
          </fieldset>
          <Field id="pw-expiry" label="Expires (optional)" hint="Leave empty for a password that does not expire." error={expiryError}>
            <Input id="pw-expiry" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} className="w-48" />
          </Field>
          <p className="text-[13px] text-muted">If password {which} exists it stops working at once.</p>
          {formError ? <Alert tone="danger">{formError}</Alert> : null}
          <DialogFooter>
            <Button variant="secondary" onClick={onClose}>Cancel</Button>
            <Button type="submit" pending={pending}>{pending ? "Generating…" : "Generate"}</Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}

function DeleteTokenDialog({ registry, token, onClose }: { registry: string; token: string; onClose: () => void }) {
  const { run, pending, formError } = useAction(deleteTokenAction, { errors: "inline", success: `Deleted token ${token}.` });
  return (
    <Dialog open onClose={onClose} title={`Delete token ${token}?`}>
      <p className="text-sm text-muted">Clients logged in with this token lose access at their next request. Its scope map stays.</p>
      {formError ? <Alert tone="danger" className="mt-3">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={pending} onClick={() => run({ registry, name: token }, onClose)}>{pending ? "Deleting…" : "Delete token"}</Button>
      </DialogFooter>
    </Dialog>
  );
}
