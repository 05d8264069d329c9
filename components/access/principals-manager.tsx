"use client";

import { useState } from "react";
import {
  createServicePrincipalAction,
  createUserAction,
  deleteServicePrincipalAction,
  deleteUserAction,
  resetServicePrincipalSecretAction,
  resetUserPasswordAction,
  setServicePrincipalDisabledAction,
  setUserDisabledAction,
} from "@/portal/actions/user-actions";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { useConfirm } from "../ui/confirm-dialog";
import { CopyButton } from "../ui/copy-button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { PlusIcon } from "../ui/icons";
import { Table, TBody, Td, Th, THead, Tr } from "../ui/table";
import { formatDate } from "../ui/format";
import { SecretOnce } from "../secret-once";
import { useAction } from "../use-action";

type Item = { key: string; name: string; detail: string; disabled: boolean; createdAt: string };
type Revealed = { title: string; label: string; value: string; extra?: string };

/** Users or service principals: create, reset the password / regenerate the secret (shown once), disable, delete. */
export function PrincipalsManager({ kind, items, self }: { kind: "user" | "servicePrincipal"; items: Item[]; self: string }) {
  const isUser = kind === "user";
  const noun = isUser ? "user" : "service principal";
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  // The new password or secret is shown in a dialog, so resetting needs no success toast.
  const resetUser = useAction(resetUserPasswordAction);
  const resetSp = useAction(resetServicePrincipalSecretAction);
  const disableUser = useAction(setUserDisabledAction, { success: (_d, i) => `${i.username} ${i.disabled ? "disabled" : "enabled"}.` });
  const disableSp = useAction(setServicePrincipalDisabledAction, { success: (_d, i) => `Service principal ${i.disabled ? "disabled" : "enabled"}.` });
  const deleteUser = useAction(deleteUserAction, { success: (d) => `User ${d.username} deleted.` });
  const deleteSp = useAction(deleteServicePrincipalAction, { success: "Service principal deleted." });
  const confirm = useConfirm();
  const reset = isUser ? resetUser : resetSp;
  const remove = isUser ? deleteUser : deleteSp;
  const disable = isUser ? disableUser : disableSp;
  const busy = (a: { pending: boolean; variables?: unknown }, it: Item) => {
    const v = a.variables as { username?: string; clientId?: string } | undefined;
    return a.pending && (v?.username ?? v?.clientId) === it.key;
  };
  function doReset(it: Item) {
    confirm.ask({
      title: isUser ? `Reset the password of ${it.name}?` : `Regenerate the secret of ${it.name}?`,
      body: isUser
        ? `The current password of ${it.name} stops working at once: portal sign-in and docker login with it fail until the new one is used.`
        : `The current secret of ${it.name} stops working at once: every pipeline that logs in with it fails until it has the new one.`,
      confirmLabel: isUser ? "Reset password" : "Regenerate secret",
      onConfirm: () => {
        if (isUser) resetUser.run({ username: it.key }, (d) => setRevealed({ title: `New password for ${it.name}`, label: "Password", value: d.password }));
        else resetSp.run({ clientId: it.key }, (d) => setRevealed({ title: `New secret for ${it.name}`, label: "Client secret", value: d.secret, extra: it.key }));
      },
    });
  }
  function doDelete(it: Item) {
    confirm.ask({
      title: `Delete ${noun} ${it.name}?`,
      body: isUser
        ? `${it.name} can no longer sign in to the portal or log in with docker, and loses every role assignment. This cannot be undone.`
        : `Everything that logs in as ${it.name} (client id ${it.key}) is refused from now on, and its role assignments are deleted. This cannot be undone.`,
      confirmLabel: `Delete ${noun}`,
      onConfirm: () => (isUser ? deleteUser.run({ username: it.key }) : deleteSp.run({ clientId: it.key })),
    });
  }
  function doDisable(it: Item) {
    if (isUser) disableUser.run({ username: it.key, disabled: !it.disabled });
    else disableSp.run({ clientId: it.key, disabled: !it.disabled });
  }
  return (
    <>
      <Card className="overflow-hidden">
        <CardHeader
          title={`${items.length} ${items.length === 1 ? noun : `${noun}s`}`}
          actions={<Button onClick={() => setCreating(true)}><PlusIcon className="-ml-0.5 size-4" />Create {noun}</Button>}
        />
        <Table>
          <THead><tr><Th>Name</Th>{isUser ? null : <Th>Client id</Th>}<Th>Status</Th><Th className="hidden md:table-cell">Created</Th><Th><span className="sr-only">Actions</span></Th></tr></THead>
          <TBody>
            {items.map((it) => (
              <Tr key={it.key} data-principal={it.name}>
                <Td className="font-medium text-fg">{it.name}{isUser && it.name === self ? <span className="ml-2 text-[12px] font-normal text-muted">(you)</span> : null}</Td>
                {isUser ? null : (
                  <Td><div className="flex items-center gap-0.5"><code className="font-mono text-[13px] text-muted">{it.detail}</code><CopyButton text={it.detail} label={`Copy client id of ${it.name}`} className="size-6" /></div></Td>
                )}
                <Td>{it.disabled ? <Badge tone="warning">Disabled</Badge> : <Badge tone="success">Active</Badge>}</Td>
                <Td className="hidden text-muted md:table-cell">{formatDate(it.createdAt)}</Td>
                <Td className="text-right whitespace-nowrap">
                  <div className="flex justify-end gap-1">
                    <Button size="sm" variant="secondary" disabled={reset.pending} pending={busy(reset, it)} onClick={() => doReset(it)}>{isUser ? "Reset password" : "Regenerate secret"}</Button>
                    {isUser && it.name === self ? null : (
                      <>
                        <Button size="sm" variant="ghost" disabled={disable.pending} pending={busy(disable, it)} onClick={() => doDisable(it)}>{it.disabled ? "Enable" : "Disable"}</Button>
                        <Button size="sm" variant="ghost" className="text-danger" aria-label={`Delete ${it.name}`} disabled={remove.pending} pending={busy(remove, it)} onClick={() => doDelete(it)}>Delete</Button>
                      </>
                    )}
                  </div>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
      {confirm.dialog}
      {creating ? <CreateDialog kind={kind} onClose={() => setCreating(false)} onCreated={(r) => { setCreating(false); setRevealed(r); }} /> : null}
      {revealed ? (
        <Dialog open onClose={() => setRevealed(null)} title={revealed.title} wide>
          {revealed.extra ? <p className="mb-3 text-sm text-muted">Client id (the username for docker login): <code className="font-mono text-fg">{revealed.extra}</code></p> : null}
          <SecretOnce label={revealed.label} value={revealed.value} />
          <DialogFooter><Button onClick={() => setRevealed(null)}>Done</Button></DialogFooter>
        </Dialog>
      ) : null}
    </>
  );
}

function CreateDialog({ kind, onClose, onCreated }: { kind: "user" | "servicePrincipal"; onClose: () => void; onCreated: (r: Revealed | null) => void }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  // A generated password or secret is shown in the next dialog instead of a toast (a modal hides toasts).
  const user = useAction(createUserAction, { errors: "inline", fields: ["username", "password"], success: (d) => (d.password ? null : `User ${d.username} created.`) });
  const sp = useAction(createServicePrincipalAction, { errors: "inline", fields: ["displayName"] });
  const a = kind === "user" ? user : sp;
  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (kind === "user") user.run({ username: name, password: password || undefined }, (d) => onCreated(d.password ? { title: `User ${d.username} created`, label: "Password", value: d.password } : null));
    else sp.run({ displayName: name }, (d) => onCreated({ title: `Service principal ${d.displayName} created`, label: "Client secret", value: d.secret, extra: d.clientId }));
  }
  return (
    <Dialog open onClose={onClose} title={kind === "user" ? "Create user" : "Create service principal"}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {kind === "user" ? (
          <>
            <Field id="new-username" label="Username" hint="Lower-case letters, digits, '.', '_' or '-'." error={a.fieldError("username")}>
              <Input id="new-username" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={!!a.fieldError("username") || undefined} />
            </Field>
            <Field id="new-password" label="Password (optional)" hint="Leave empty to generate one; it is shown once." error={a.fieldError("password")}>
              <Input id="new-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" aria-invalid={!!a.fieldError("password") || undefined} />
            </Field>
          </>
        ) : (
          <Field id="new-sp" label="Display name" hint="For example ci-pipeline. A client id and secret are generated." error={a.fieldError("displayName")}>
            <Input id="new-sp" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={!!a.fieldError("displayName") || undefined} />
          </Field>
        )}
        {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={a.pending}>{a.pending ? "Creating…" : "Create"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
