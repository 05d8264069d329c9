"use client";

import { useState } from "react";
import { createCredentialSetAction, deleteCredentialSetAction, updateCredentialSetPasswordAction } from "@/portal/actions/cache-actions";
import type { CredentialSetRow } from "@/portal/cache-overview";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { useToast } from "../ui/toast";
import { useAction } from "../use-action";
import { cacheQueryKey } from "./query-key";

type Checked = { name: string; healthy: boolean | null; lastLoginError: string | null };

/** The save succeeded either way; the toast says whether the upstream accepted the login. */
function useHealthToast() {
  const toast = useToast();
  return (verb: string) => (d: Checked) => {
    if (d.healthy) toast.success(`${verb} credential set ${d.name}; the upstream accepted the login.`);
    else toast.error(`${verb} credential set ${d.name}, but the upstream login failed: ${d.lastLoginError ?? "see its health"}`);
  };
}

const FIELDS = ["name", "loginServer", "username", "password"] as const;

export function CreateCredentialSetDialog({ registry, onClose }: { registry: string; onClose: () => void }) {
  const [name, setName] = useState("");
  const [loginServer, setLoginServer] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const health = useHealthToast();
  const { run, pending, fieldError, formError } = useAction(createCredentialSetAction, { errors: "inline", fields: FIELDS, invalidate: [cacheQueryKey(registry)], onSuccess: health("Created") });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    run({ registry, name, loginServer, username, password }, onClose);
  }
  const input = (id: (typeof FIELDS)[number]) => ({ id: `set-${id}`, "aria-invalid": !!fieldError(id) || undefined, "aria-describedby": `set-${id}-${fieldError(id) ? "error" : "hint"}` });
  return (
    <Dialog open onClose={onClose} title="Create credential set" description="Saving logs in to the upstream once, so its health shows at once.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field id="set-name" label="Name" error={fieldError("name")} hint="5–50 letters, digits and hyphens.">
          <Input {...input("name")} value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
        </Field>
        <Field id="set-loginServer" label="Login server" error={fieldError("loginServer")} hint="The upstream's host and optional port, e.g. docker.io or registry.example.com:5000.">
          <Input {...input("loginServer")} value={loginServer} onChange={(e) => setLoginServer(e.target.value)} required spellCheck={false} className="font-mono" />
        </Field>
        <Field id="set-username" label="Username" error={fieldError("username")} hint="The upstream account to log in with.">
          <Input {...input("username")} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
        </Field>
        <Field id="set-password" label="Password or access token" error={fieldError("password")} hint="Stored encrypted; it is never shown again.">
          <Input {...input("password")} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        </Field>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={pending}>{pending ? "Checking the login…" : "Create credential set"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function ChangePasswordDialog({ registry, set, onClose }: { registry: string; set: string; onClose: () => void }) {
  const [password, setPassword] = useState("");
  const health = useHealthToast();
  const { run, pending, fieldError, formError } = useAction(updateCredentialSetPasswordAction, { errors: "inline", fields: ["password"], invalidate: [cacheQueryKey(registry)], onSuccess: health("Updated") });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    run({ registry, name: set, password }, onClose);
  }
  return (
    <Dialog open onClose={onClose} title={`Change the password of ${set}`} description="The new password replaces the old one at once; saving checks the login again.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field id="set-new-password" label="New password or access token" error={fieldError("password")} hint="Stored encrypted; it is never shown again.">
          <Input id="set-new-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus required autoComplete="new-password" aria-invalid={!!fieldError("password") || undefined} />
        </Field>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={pending}>{pending ? "Checking the login…" : "Save password"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function DeleteCredentialSetDialog({ registry, set, onClose }: { registry: string; set: CredentialSetRow; onClose: () => void }) {
  const { run, pending, formError } = useAction(deleteCredentialSetAction, { errors: "inline", invalidate: [cacheQueryKey(registry)], success: `Deleted credential set ${set.name}.` });
  const inUse = set.rules.length > 0;
  return (
    <Dialog open onClose={onClose} title={`Delete credential set ${set.name}?`}>
      {inUse ? (
        <Alert tone="danger">Cache rule(s) {set.rules.join(", ")} use this set. Delete those rules first; a rule without its login could no longer pull.</Alert>
      ) : (
        <p className="text-sm text-muted">Its encrypted password is removed. No cache rule uses it.</p>
      )}
      {formError ? <Alert tone="danger" className="mt-3">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>Cancel</Button>
        {inUse ? null : <Button variant="danger" pending={pending} onClick={() => run({ registry, name: set.name }, onClose)}>{pending ? "Deleting…" : "Delete credential set"}</Button>}
      </DialogFooter>
    </Dialog>
  );
}
