"use client";

import { useState } from "react";
import { addGroupMemberAction, createGroupAction, deleteGroupAction, removeGroupMemberAction } from "@/portal/actions/group-actions";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Dialog, DialogFooter } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { PlusIcon } from "../ui/icons";
import { useAction } from "../use-action";

export type GroupItem = {
  name: string;
  description: string;
  members: { name: string; key: string; type: "user" | "servicePrincipal"; disabled: boolean }[];
  roles: { role: string; where: string }[];
};

/** Groups with their members and roles: create, add and remove members, delete (with what it takes away named). */
export function GroupsManager({ groups }: { groups: GroupItem[] }) {
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<GroupItem | null>(null);
  return (
    <>
      <div className="mb-4 flex justify-end">
        <Button onClick={() => setCreating(true)}><PlusIcon className="-ml-0.5 size-4" />Create group</Button>
      </div>
      {groups.length === 0 ? (
        <Card>
          <EmptyState title="No groups yet">
            <p>A group gathers people and service principals: assign it a role once (on a registry&apos;s Access control tab, or <code>--assignee group:&lt;name&gt;</code>) and every member has it.</p>
          </EmptyState>
        </Card>
      ) : (
        <div className="space-y-4">
          {groups.map((g) => <GroupCard key={g.name} group={g} onDelete={() => setDeleting(g)} />)}
        </div>
      )}
      {creating ? <CreateGroupDialog onClose={() => setCreating(false)} /> : null}
      {deleting ? <DeleteGroupDialog group={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}

function GroupCard({ group, onDelete }: { group: GroupItem; onDelete: () => void }) {
  const [member, setMember] = useState("");
  const add = useAction(addGroupMemberAction, { fields: ["member"], success: (d) => `${d.member} added to ${d.group}.` });
  const remove = useAction(removeGroupMemberAction, { success: (d) => `${d.member} removed from ${d.group}.` });
  return (
    <Card data-testid="group" data-group={group.name}>
      <CardHeader
        title={group.name}
        description={group.description || undefined}
        actions={<Button variant="ghost" size="sm" onClick={onDelete}>Delete group</Button>}
      />
      <CardBody className="space-y-4">
        <section aria-label={`Roles of ${group.name}`}>
          <h3 className="mb-1.5 text-sm font-semibold text-fg">Roles</h3>
          {group.roles.length ? (
            <ul className="flex flex-wrap gap-1.5">{group.roles.map((r) => <li key={`${r.role}${r.where}`}><Badge className="font-normal"><span className="font-medium text-fg">{r.role}</span>&nbsp;on {r.where}</Badge></li>)}</ul>
          ) : (
            <p className="text-sm text-subtle">None yet: assign one on a registry&apos;s or the organisation&apos;s Access control page.</p>
          )}
        </section>
        <section aria-label={`Members of ${group.name}`}>
          <h3 className="mb-1.5 text-sm font-semibold text-fg">Members</h3>
          {group.members.length ? (
            <ul className="divide-y divide-line rounded-md border border-line">
              {group.members.map((m) => (
                <li key={`${m.type}${m.key}`} className="flex items-center justify-between gap-2 px-3 py-1.5 text-sm" data-member={m.name}>
                  <span>
                    <span className="font-medium text-fg">{m.name}</span> <span className="text-muted">· {m.type === "user" ? "User" : "Service principal"}</span>
                    {m.disabled ? <Badge tone="warning" className="ml-2">Disabled</Badge> : null}
                  </span>
                  <Button size="sm" variant="ghost" disabled={remove.pending} aria-label={`Remove ${m.name} from ${group.name}`} onClick={() => remove.run({ group: group.name, member: m.key })}>Remove</Button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-subtle">No members yet.</p>
          )}
          <form
            className="mt-3 flex flex-wrap items-start gap-2"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              add.run({ group: group.name, member }, () => setMember(""));
            }}
          >
            <div className="min-w-64 flex-1">
              <Field id={`add-${group.name}`} label="Add member" hint="A username, or a service principal's client id or name." error={add.fieldError("member")}>
                <Input id={`add-${group.name}`} value={member} onChange={(e) => setMember(e.target.value)} aria-invalid={!!add.fieldError("member") || undefined} />
              </Field>
            </div>
            <Button type="submit" variant="secondary" className="mt-6" pending={add.pending}>Add</Button>
          </form>
        </section>
      </CardBody>
    </Card>
  );
}

function CreateGroupDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const a = useAction(createGroupAction, { errors: "inline", fields: ["name", "description"], success: (d) => `Group ${d.name} created.` });
  return (
    <Dialog open onClose={onClose} title="Create group">
      <form onSubmit={(e) => { e.preventDefault(); a.run({ name, description }, onClose); }} className="space-y-4" noValidate>
        <Field id="group-name" label="Name" hint="Lower-case letters, digits, '.', '_' or '-'." error={a.fieldError("name")}>
          <Input id="group-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={!!a.fieldError("name") || undefined} />
        </Field>
        <Field id="group-description" label="Description (optional)" error={a.fieldError("description")}>
          <Input id="group-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={a.pending}>{a.pending ? "Creating…" : "Create"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function DeleteGroupDialog({ group, onClose }: { group: GroupItem; onClose: () => void }) {
  const a = useAction(deleteGroupAction, { errors: "inline", success: (d) => `Group ${d.name} deleted.` });
  const who = group.members.length === 1 ? "its member" : `its ${group.members.length} members`;
  return (
    <Dialog open onClose={onClose} title={`Delete group ${group.name}?`}>
      <p className="text-sm text-fg">
        {group.roles.length
          ? `Its ${group.roles.length === 1 ? "role" : `${group.roles.length} roles`} (${group.roles.map((r) => `${r.role} on ${r.where}`).join(", ")}) will be removed, and ${who} lose what only this group gave them.`
          : "It has no roles, so no one loses access."}
      </p>
      {a.formError ? <Alert tone="danger" className="mt-3">{a.formError}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose} autoFocus>Cancel</Button>
        <Button variant="danger" pending={a.pending} onClick={() => a.run({ group: group.name }, onClose)}>Delete group</Button>
      </DialogFooter>
    </Dialog>
  );
}
