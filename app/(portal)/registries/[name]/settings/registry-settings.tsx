"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { SpinnerIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import { DisabledReason } from "@/components/ui/tooltip";
import type { ActionResult } from "@/portal/action-client";
import { changeRegistrySkuAction } from "@/portal/actions/change-registry-sku-action";
import { deleteRegistryAction } from "@/portal/actions/delete-registry-action";
import { regenerateAdminPasswordAction } from "@/portal/actions/regenerate-admin-password-action";
import { setAdminUserAction } from "@/portal/actions/set-admin-user-action";
import { setAnonymousPullAction } from "@/portal/actions/set-anonymous-pull-action";
import { updateRegistryNetworkingAction } from "@/portal/actions/update-registry-networking-action";
import { updateRegistryTagsAction } from "@/portal/actions/update-registry-tags-action";
import { networkRuleProblem, tagProblems, type PublicAccess, type ResourceTag } from "@wharf/lib/core/registry-rules";
import { NetworkRuleRows, TagRows } from "../../new/create-registry-wizard";

export type SettingsProps = {
  name: string;
  sku: string;
  skus: { name: string; anonymousPull: boolean; networkRules: boolean }[];
  anonymousPullEnabled: boolean;
  adminUserEnabled: boolean;
  adminPasswords: { which: 1 | 2; created: string | null }[];
  publicAccess: PublicAccess;
  networkRules: string[];
  tags: ResourceTag[];
  /** Why the user may not change settings / delete (null when allowed). */
  cannotChange: string | null;
  cannotDelete: string | null;
};

type Failure = Extract<ActionResult<unknown>, { ok: false }>;
class ActionFailed extends Error {
  constructor(public result: Failure) {
    super(result.message);
  }
}

/** Runs a server action through TanStack Query: success → toast + refresh of the server data; failure → toast and field errors. */
function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, success: (data: T, input: I) => ReactNode, after?: (data: T) => void) {
  const router = useRouter();
  const toast = useToast();
  return useMutation<T, ActionFailed, I>({
    mutationFn: async (input) => {
      const r = await action(input);
      if (!r.ok) throw new ActionFailed(r);
      return r.data;
    },
    onSuccess: (data, input) => {
      toast.success(success(data, input));
      after?.(data);
      router.refresh();
    },
    onError: (err) => toast.error(err.message),
  });
}

const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function RegistrySettings(props: SettingsProps) {
  return (
    <div className="space-y-6">
      {props.cannotChange ? (
        <Alert title="You can view these settings but not change them">{props.cannotChange}</Alert>
      ) : null}
      <AnonymousPullCard {...props} />
      <AdminUserCard {...props} />
      <SkuCard {...props} />
      <NetworkingCard {...props} />
      <TagsCard {...props} />
      <DeleteCard {...props} />
    </div>
  );
}

function SettingRow({ id, title, description, control }: { id: string; title: string; description: ReactNode; control: ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-6">
      <div className="min-w-0">
        <p id={`${id}-label`} className="text-sm font-medium text-fg">
          {title}
        </p>
        <div id={`${id}-desc`} className="mt-0.5 text-[13px] text-muted">
          {description}
        </div>
      </div>
      <div className="shrink-0 pt-0.5">{control}</div>
    </div>
  );
}

function AnonymousPullCard({ name, sku, skus, anonymousPullEnabled, cannotChange }: SettingsProps) {
  const skuAllows = skus.find((s) => s.name === sku)?.anonymousPull ?? false;
  const reason = cannotChange ?? (!skuAllows && !anonymousPullEnabled ? `Anonymous pull needs the Standard or Premium SKU; ${name} is ${sku}. Change the SKU below first.` : null);
  const m = useAction(setAnonymousPullAction, (d) => (d.anonymousPullEnabled ? "Anonymous pull enabled." : "Anonymous pull disabled."));
  const checked = m.isPending ? !!m.variables?.enabled : anonymousPullEnabled;
  return (
    <Card>
      <CardHeader title="Anonymous pull" />
      <CardBody className="space-y-4">
        <SettingRow
          id="anonymous-pull"
          title="Allow anonymous pull"
          description="Anyone may pull from every repository without credentials. Pushing still needs credentials."
          control={
            <DisabledReason reason={reason}>
              <Switch
                checked={checked}
                disabled={!!reason || m.isPending}
                onChange={(enabled) => m.mutate({ registry: name, enabled })}
                aria-labelledby="anonymous-pull-label"
                aria-describedby="anonymous-pull-desc anonymous-pull-warning"
              />
            </DisabledReason>
          }
        />
        <div id="anonymous-pull-warning">
          <Alert tone={anonymousPullEnabled ? "danger" : "info"} title="This opens every repository">
            Anyone who can reach this server can pull every image in {name}. Repository-scoped tokens then add nothing for pull; consider deleting
            tokens that exist only to pull. The change applies to the next token a client asks for.
          </Alert>
        </div>
      </CardBody>
    </Card>
  );
}

function AdminUserCard({ name, adminUserEnabled, adminPasswords, cannotChange }: SettingsProps) {
  const [shown, setShown] = useState<{ name: string; value: string }[]>([]);
  const toggle = useAction(
    setAdminUserAction,
    (d) => (d.adminUserEnabled ? "Admin user enabled." : "Admin user disabled."),
    (d) => setShown(d.passwords),
  );
  const regen = useAction(regenerateAdminPasswordAction, (_d, i) => `Password ${i.which} regenerated.`, (d) => setShown(d.passwords));
  const checked = toggle.isPending ? !!toggle.variables?.enabled : adminUserEnabled;
  return (
    <Card>
      <CardHeader title="Admin user" />
      <CardBody className="space-y-4">
        <SettingRow
          id="admin-user"
          title="Enable admin user"
          description={
            <>
              A single account with push and pull on every repository: username <code className="font-mono text-fg">{name}</code> and either of two
              passwords. Prefer tokens or role assignments for anything shared.
            </>
          }
          control={
            <DisabledReason reason={cannotChange}>
              <Switch
                checked={checked}
                disabled={!!cannotChange || toggle.isPending}
                onChange={(enabled) => toggle.mutate({ registry: name, enabled })}
                aria-labelledby="admin-user-label"
                aria-describedby="admin-user-desc"
              />
            </DisabledReason>
          }
        />
        {shown.length ? (
          <Alert title="Copy the new password now" className="[&_p]:text-fg">
            <p className="mb-2">Passwords are stored only as hashes, so Wharf cannot show this value again.</p>
            <div className="space-y-1.5">
              {shown.map((p) => (
                <div key={p.name} className="flex items-center gap-2 rounded-md border border-line bg-surface py-1 pr-1 pl-3">
                  <span className="w-20 shrink-0 text-[13px] text-muted">{p.name}</span>
                  <code className="min-w-0 flex-1 truncate font-mono text-[13px] text-fg" data-testid={`shown-${p.name}`}>
                    {p.value}
                  </code>
                  <CopyButton text={p.value} label={`Copy ${p.name}`} />
                </div>
              ))}
            </div>
          </Alert>
        ) : null}
        {adminUserEnabled ? (
          <div className="divide-y divide-line rounded-md border border-line">
            <div className="flex items-center justify-between px-4 py-2.5 text-sm">
              <span className="text-muted">Username</span>
              <span className="flex items-center gap-1">
                <code className="font-mono text-fg">{name}</code>
                <CopyButton text={name} label="Copy username" className="size-6" />
              </span>
            </div>
            {adminPasswords.map((p) => (
              <div key={p.which} className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm">
                <div>
                  <span className="text-fg">Password {p.which}</span>
                  <span className="ml-2 text-[13px] text-muted">{p.created ? `generated ${dateFormat.format(new Date(p.created))}` : "not set"}</span>
                </div>
                <DisabledReason reason={cannotChange}>
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={!!cannotChange || regen.isPending}
                    onClick={() => regen.mutate({ registry: name, which: p.which })}
                    aria-label={`Regenerate password ${p.which}`}
                  >
                    Regenerate
                  </Button>
                </DisabledReason>
              </div>
            ))}
          </div>
        ) : null}
        <p className="text-[12.5px] text-subtle">Values are shown once, when generated: Wharf keeps only a SHA-256 hash of each password.</p>
      </CardBody>
    </Card>
  );
}

function SkuCard({ name, sku, skus, cannotChange }: SettingsProps) {
  const [target, setTarget] = useState(sku);
  const m = useAction(changeRegistrySkuAction, (d) => `${name} is now ${d.sku}.`);
  return (
    <Card>
      <CardHeader title="SKU" description="A lower SKU is refused while the registry uses a feature only the current one has." />
      <CardBody>
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-56">
            <Field id="sku-select" label="SKU" error={m.error?.result.field === "sku" ? m.error.message : undefined}>
              <Select id="sku-select" value={target} disabled={!!cannotChange} onChange={(e) => (setTarget(e.target.value), m.reset())}>
                {skus.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                    {s.name === sku ? " (current)" : ""}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <DisabledReason reason={cannotChange}>
            <Button variant="secondary" disabled={!!cannotChange || target === sku || m.isPending} onClick={() => m.mutate({ registry: name, sku: target as "Basic" | "Standard" | "Premium" })}>
              {m.isPending ? <SpinnerIcon className="size-4 animate-spin" /> : null}
              Change SKU
            </Button>
          </DisabledReason>
        </div>
        {m.error && m.error.result.field !== "sku" ? <p className="mt-2 text-[13px] text-danger">{m.error.message}</p> : null}
      </CardBody>
    </Card>
  );
}

function NetworkingCard({ name, sku, skus, publicAccess, networkRules, cannotChange }: SettingsProps) {
  const [access, setAccess] = useState<PublicAccess>(publicAccess);
  const [rules, setRules] = useState<string[]>(networkRules.length ? networkRules : [""]);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const premium = skus.find((s) => s.name === sku)?.networkRules ?? false;
  const m = useAction(updateRegistryNetworkingAction, () => "Networking saved.");
  const local = (field: string) => {
    if (access !== "selected") return undefined;
    if (field === "networkRules") return rules.length ? undefined : "Add at least one address range, or allow all networks.";
    const i = Number(field.split(".")[1]);
    const p = touched.has(field) ? networkRuleProblem(rules[i] ?? "") : null;
    return p ? `Rule ${i + 1}: ${p}` : undefined;
  };
  const errorOf = (field: string) => local(field) ?? (m.error?.result.fieldErrors?.[field] || undefined);
  const invalid = access === "selected" && (!rules.length || rules.some((r) => networkRuleProblem(r)));
  const dirty = access !== publicAccess || (access === "selected" && JSON.stringify(rules) !== JSON.stringify(networkRules));
  const premiumReason = premium ? null : `Needs the Premium SKU; ${name} is ${sku}.`;
  return (
    <Card>
      <CardHeader title="Networking" description="Who may reach this registry's login server." />
      <CardBody className="space-y-4">
        <fieldset className="space-y-2" disabled={!!cannotChange}>
          <legend className="sr-only">Public access</legend>
          {(["all", "selected", "disabled"] as const).map((a) => {
            const lockReason = a !== "all" && a !== publicAccess ? premiumReason : null;
            return (
              <label key={a} title={lockReason ?? cannotChange ?? undefined} className={cn("flex items-center gap-2.5 text-sm", lockReason || cannotChange ? "text-muted" : "text-fg")}>
                <input
                  type="radio"
                  name="settings-public-access"
                  checked={access === a}
                  disabled={!!lockReason}
                  onChange={() => (setAccess(a), m.reset())}
                  className="size-4 accent-[var(--wh-accent)]"
                />
                {a === "all" ? "All networks" : a === "selected" ? "Selected networks" : "Disabled"}
                {lockReason ? <span className="text-[12.5px] text-warning-soft-fg">— {lockReason}</span> : null}
              </label>
            );
          })}
        </fieldset>
        {access === "selected" ? (
          <NetworkRuleRows
            rules={rules}
            disabled={!!cannotChange}
            errorOf={errorOf}
            onRules={(next, i) => {
              setRules(next);
              m.reset();
              if (i !== undefined) setTouched((t) => new Set(t).add(`networkRules.${i}`));
            }}
          />
        ) : null}
        {m.error && !Object.keys(m.error.result.fieldErrors ?? {}).some((f) => f.startsWith("networkRules.")) ? <p className="text-[13px] text-danger">{m.error.message}</p> : null}
        <DisabledReason reason={cannotChange}>
          <Button
            variant="secondary"
            disabled={!!cannotChange || !dirty || invalid || m.isPending}
            onClick={() => {
              setTouched(new Set(rules.map((_, i) => `networkRules.${i}`)));
              m.mutate({ registry: name, publicAccess: access, networkRules: access === "selected" ? rules : [] });
            }}
          >
            Save networking
          </Button>
        </DisabledReason>
      </CardBody>
    </Card>
  );
}

function TagsCard({ name, tags, cannotChange }: SettingsProps) {
  const [rows, setRows] = useState<ResourceTag[]>(tags);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const m = useAction(updateRegistryTagsAction, () => "Tags saved.");
  const problems = tagProblems(rows);
  const errorOf = (field: string) => {
    const p = problems.find((x) => (x.index >= 0 ? `tags.${x.index}.${x.field}` : "tags") === field);
    const text = p ? (p.index >= 0 ? `Tag ${p.index + 1}: ${p.message}` : p.message) : undefined;
    return (touched.has(field) || field === "tags" ? text : undefined) ?? m.error?.result.fieldErrors?.[field];
  };
  const dirty = JSON.stringify(rows) !== JSON.stringify(tags);
  return (
    <Card>
      <CardHeader title="Tags" description="Resource tags: name/value pairs to categorise registries." />
      <CardBody className="space-y-4">
        <TagRows
          tags={rows}
          disabled={!!cannotChange}
          errorOf={errorOf}
          onChange={(next, field) => {
            setRows(next);
            m.reset();
            if (field) setTouched((t) => new Set(t).add(field));
          }}
        />
        <DisabledReason reason={cannotChange}>
          <Button
            variant="secondary"
            disabled={!!cannotChange || !dirty || problems.length > 0 || m.isPending}
            onClick={() => m.mutate({ registry: name, tags: rows })}
          >
            Save tags
          </Button>
        </DisabledReason>
      </CardBody>
    </Card>
  );
}

function DeleteCard({ name, cannotDelete }: SettingsProps) {
  const router = useRouter();
  const toast = useToast();
  const [typed, setTyped] = useState("");
  const m = useMutation<{ name: string; repositories: number }, ActionFailed>({
    mutationFn: async () => {
      const r = await deleteRegistryAction({ registry: name, confirmName: typed });
      if (!r.ok) throw new ActionFailed(r);
      return r.data;
    },
    onSuccess: (d) => {
      toast.success(`Deleted registry ${d.name} and its ${d.repositories} ${d.repositories === 1 ? "repository" : "repositories"}.`);
      router.push("/registries");
      router.refresh();
    },
    onError: (err) => toast.error(err.message),
  });
  return (
    <Card className="border-danger/40">
      <CardHeader title="Delete registry" description="Its repositories, images, tokens, scope maps and role assignments are deleted with it. This cannot be undone." />
      <CardBody className="space-y-3">
        <Field id="confirm-delete" label={`Type ${name} to confirm`} error={m.error?.result.field === "confirmName" ? m.error.message : undefined}>
          <Input
            id="confirm-delete"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            disabled={!!cannotDelete}
            onChange={(e) => (setTyped(e.target.value), m.reset())}
            className="max-w-sm font-mono"
          />
        </Field>
        <DisabledReason reason={cannotDelete}>
          <Button variant="danger" disabled={!!cannotDelete || typed.trim().toLowerCase() !== name || m.isPending} onClick={() => m.mutate()}>
            {m.isPending ? <SpinnerIcon className="size-4 animate-spin" /> : null}
            Delete registry
          </Button>
        </DisabledReason>
      </CardBody>
    </Card>
  );
}
