"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { AlertIcon, CheckIcon, ChevronLeftIcon, ChevronRightIcon, LockIcon, PlusIcon, SpinnerIcon, TrashIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import type { SkuLimits } from "@wharf/lib/core/skus";
import {
  MAX_TAGS,
  networkRuleProblem,
  wizardProblems,
  type PublicAccess,
  type ResourceTag,
  type WizardContext,
  type WizardInput,
  type WizardProblem,
  type WizardTab,
} from "@wharf/lib/core/registry-rules";
import { checkRegistryNameAction } from "@/portal/actions/check-registry-name-action";
import { createRegistryAction } from "@/portal/actions/create-registry-action";

type Step = WizardTab | "review";
const STEPS: { id: Step; label: string }[] = [
  { id: "basics", label: "Basics" },
  { id: "networking", label: "Networking" },
  { id: "encryption", label: "Encryption" },
  { id: "tags", label: "Tags" },
  { id: "review", label: "Review + create" },
];

export type WizardProps = {
  resourceGroups: string[];
  /** Whether the caller may create a new resource group (organisation scope). */
  canCreateGroup: boolean;
  skus: { name: string; limits: SkuLimits }[];
  context: WizardContext;
  /** Host-style domain, or null for path-style (login server = host, repositories prefixed with the registry name). */
  registryDomain: string | null;
  host: string;
};

function loginServerFor(name: string, domain: string | null, host: string) {
  const n = name.trim().toLowerCase() || "<name>";
  return domain ? { server: `${n}.${domain}`, prefix: "" } : { server: host, prefix: `${n}/` };
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const fmt = new Intl.NumberFormat("en");

export function CreateRegistryWizard({ resourceGroups, canCreateGroup, skus, context, registryDomain, host }: WizardProps) {
  const router = useRouter();
  const toast = useToast();
  const [step, setStep] = useState<Step>("basics");
  const [input, setInput] = useState<WizardInput>({
    resourceGroup: resourceGroups.length ? { mode: "existing", name: resourceGroups[0] } : { mode: "new", name: "" },
    name: "",
    location: context.locations[0],
    sku: "Standard",
    publicAccess: "all",
    networkRules: [""],
    encryption: "service-managed",
    tags: [],
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [serverProblems, setServerProblems] = useState<WizardProblem[]>([]);
  const set = (patch: Partial<WizardInput>, field?: string) => {
    setInput((i) => ({ ...i, ...patch }));
    setServerProblems([]);
    if (field) setTouched((t) => new Set(t).add(field));
  };

  // Availability: debounced, only for names that pass the rules, cached per name.
  const debouncedName = useDebounced(input.name.trim().toLowerCase(), 300);
  const localProblems = useMemo(() => wizardProblems(input, context), [input, context]);
  const nameRuleOk = !localProblems.some((p) => p.field === "name");
  const nameQuery = useQuery({
    queryKey: ["registry-name", debouncedName],
    enabled: nameRuleOk && debouncedName.length > 0,
    queryFn: async () => {
      const r = await checkRegistryNameAction({ name: debouncedName });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });
  const nameSettled = debouncedName === input.name.trim().toLowerCase();
  const nameTaken = nameRuleOk && nameSettled && nameQuery.data?.available === false ? nameQuery.data.message : null;

  const problems: WizardProblem[] = useMemo(() => {
    const all = [...localProblems];
    if (nameTaken) all.push({ tab: "basics", field: "name", message: nameTaken });
    for (const p of serverProblems) if (!all.some((q) => q.field === p.field && q.message === p.message)) all.push(p);
    return all;
  }, [localProblems, nameTaken, serverProblems]);
  const errorOf = (field: string) => (showAll || touched.has(field) ? problems.find((p) => p.field === field)?.message : undefined);
  const tabHasProblem = (tab: Step) => showAll && problems.some((p) => p.tab === tab);

  const create = useMutation({
    mutationFn: async () => {
      const r = await createRegistryAction(input);
      if (!r.ok) throw Object.assign(new Error(r.message), { result: r });
      return r.data;
    },
    onSuccess: (data) => {
      toast.success(
        <>
          Registry <span className="font-semibold">{data.name}</span> created.
        </>,
      );
      router.push(`/registries/${data.name}`);
    },
    onError: (err: Error & { result?: { problems?: WizardProblem[]; field?: string; message: string } }) => {
      const r = err.result;
      if (r?.problems?.length) setServerProblems(r.problems);
      else if (r?.field) setServerProblems([{ tab: "basics", field: r.field, message: r.message }]);
      toast.error(err.message);
    },
  });

  const index = STEPS.findIndex((s) => s.id === step);
  const focusPanel = useRef(false);
  // From the footer buttons and review links focus moves into the new tab; on the tab strip it stays on the tab.
  const go = (s: Step, moveFocus = true) => {
    focusPanel.current = moveFocus;
    setStep(s);
    if (s === "review") setShowAll(true);
  };

  const panelHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    // Move focus to the new tab's heading so keyboard and screen-reader users land in it.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (focusPanel.current) panelHeading.current?.focus();
  }, [step]);

  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? STEPS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const j = (next + STEPS.length) % STEPS.length;
    tabRefs.current[j]?.focus();
    go(STEPS[j].id, false);
  };

  const ls = loginServerFor(input.name, registryDomain, host);

  return (
    <Card className="overflow-hidden">
      <div role="tablist" aria-label="Create registry steps" className="flex overflow-x-auto border-b border-line px-2">
        {STEPS.map((s, i) => {
          const active = s.id === step;
          const bad = tabHasProblem(s.id);
          return (
            <button
              key={s.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              role="tab"
              id={`tab-${s.id}`}
              aria-selected={active}
              aria-controls={`panel-${s.id}`}
              tabIndex={active ? 0 : -1}
              onClick={() => go(s.id, false)}
              onKeyDown={(e) => onTabKey(e, i)}
              className={cn(
                "relative -mb-px flex h-12 shrink-0 items-center gap-1.5 border-b-2 px-3.5 text-sm font-medium whitespace-nowrap transition-colors",
                active ? "border-accent text-fg" : "border-transparent text-muted hover:text-fg",
              )}
            >
              {s.label}
              {bad ? (
                <span className="text-danger" title="This tab has problems">
                  <AlertIcon className="size-3.5" />
                  <span className="sr-only"> (has problems)</span>
                </span>
              ) : null}
            </button>
          );
        })}
      </div>

      <div role="tabpanel" id={`panel-${step}`} aria-labelledby={`tab-${step}`} className="min-h-[26rem] px-5 py-6 sm:px-7">
        <h2 ref={panelHeading} tabIndex={-1} className="text-base font-semibold text-fg focus:outline-none">
          {STEPS[index].label === "Review + create" ? "Review + create" : STEPS[index].label}
        </h2>

        {step === "basics" ? (
          <div className="mt-5 max-w-2xl space-y-8">
            <Section title="Project details" description="Registries live in a resource group; roles given on the group apply to every registry in it.">
              <ResourceGroupField
                groups={resourceGroups}
                canCreate={canCreateGroup}
                value={input.resourceGroup}
                onChange={(rg) => set({ resourceGroup: rg }, "resourceGroup")}
                error={errorOf("resourceGroup")}
              />
            </Section>
            <Section title="Instance details">
              <Field
                id="registry-name"
                label="Registry name"
                error={errorOf("name")}
                hint="5–50 letters and digits. Stored in lower case."
              >
                <div className="relative">
                  <Input
                    id="registry-name"
                    value={input.name}
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={60}
                    placeholder="contoso"
                    aria-invalid={!!errorOf("name")}
                    aria-describedby={errorOf("name") ? "registry-name-error" : "registry-name-hint"}
                    onChange={(e) => set({ name: e.target.value }, "name")}
                    className="pr-28"
                  />
                  <NameStatus
                    show={nameRuleOk && input.name.trim().length > 0}
                    checking={!nameSettled || nameQuery.isFetching}
                    available={nameQuery.data?.available}
                    failed={nameQuery.isError}
                  />
                </div>
              </Field>
              <p className="-mt-2 text-[13px] text-muted" data-testid="login-server-preview">
                Login server: <code className="font-mono text-fg">{ls.server}</code>
                {ls.prefix ? (
                  <>
                    {" "}· images are named <code className="font-mono text-fg">{`${ls.server}/${ls.prefix}<repository>:<tag>`}</code>
                  </>
                ) : null}
              </p>
              {nameQuery.isError ? <p className="text-[13px] text-danger">Could not check the name: {nameQuery.error.message}</p> : null}
              <Field id="registry-location" label="Location" error={errorOf("location")} hint="Where this server places the registry (set by WHARF_LOCATIONS).">
                <Select id="registry-location" value={input.location} onChange={(e) => set({ location: e.target.value }, "location")}>
                  {context.locations.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </Select>
              </Field>
              <SkuPicker skus={skus} value={input.sku} onChange={(sku) => set({ sku }, "sku")} />
            </Section>
          </div>
        ) : null}

        {step === "networking" ? (
          <NetworkingStep
            sku={input.sku}
            premium={!!context.skuNetworkRules[input.sku]}
            publicAccess={input.publicAccess}
            rules={input.networkRules}
            onAccess={(publicAccess) => set({ publicAccess }, "publicAccess")}
            onRules={(networkRules, i) => set({ networkRules }, i === undefined ? "networkRules" : `networkRules.${i}`)}
            errorOf={errorOf}
          />
        ) : null}

        {step === "encryption" ? (
          <div className="mt-5 max-w-2xl space-y-4">
            <p className="text-sm text-muted">
              Wharf stores blobs as files in its data directory and does not encrypt them itself: encryption at rest comes from the volume
              underneath (LUKS, an encrypted cloud disk). Customer-managed keys need a key vault on the server.
            </p>
            <fieldset className="space-y-2">
              <legend className="sr-only">Encryption key</legend>
              <ChoiceCard
                name="encryption"
                value="service-managed"
                checked={input.encryption === "service-managed"}
                onSelect={() => set({ encryption: "service-managed" }, "encryption")}
                title="Service-managed key"
                description="No key to manage in Wharf; protect the data directory's volume with the platform's disk encryption."
              />
              <ChoiceCard
                name="encryption"
                value="customer-managed"
                checked={input.encryption === "customer-managed"}
                onSelect={() => set({ encryption: "customer-managed" }, "encryption")}
                disabledReason={context.customerManagedKeyUnavailable}
                title="Customer-managed key"
                badge="Premium"
                description="Encrypt this registry's blobs with a key you hold in your own key store."
              />
            </fieldset>
            {errorOf("encryption") ? <p className="text-[13px] text-danger">{errorOf("encryption")}</p> : null}
          </div>
        ) : null}

        {step === "tags" ? <TagsStep tags={input.tags} onChange={(tags, f) => set({ tags }, f)} errorOf={errorOf} /> : null}

        {step === "review" ? <ReviewStep input={input} problems={problems} loginServer={ls} onGo={(t) => go(t)} /> : null}
      </div>

      <div className="flex flex-wrap items-center gap-2 border-t border-line bg-sunken/50 px-5 py-3.5 sm:px-7">
        {step === "review" ? (
          <Button onClick={() => create.mutate()} disabled={create.isPending || create.isSuccess || problems.length > 0}>
            {create.isPending ? <SpinnerIcon className="size-4 animate-spin" /> : null}
            Create
          </Button>
        ) : (
          <Button onClick={() => go("review")}>Review + create</Button>
        )}
        <Button variant="secondary" onClick={() => go(STEPS[index - 1].id)} disabled={index === 0}>
          <ChevronLeftIcon className="-ml-1 size-4" />
          Previous
        </Button>
        <Button variant="secondary" onClick={() => go(STEPS[index + 1].id)} disabled={index === STEPS.length - 1}>
          Next
          <ChevronRightIcon className="-mr-1 size-4" />
        </Button>
        {step === "review" && problems.length > 0 ? (
          <p className="ml-auto text-[13px] text-danger">Fix the problems above to create the registry.</p>
        ) : null}
      </div>
    </Card>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="space-y-4">
      <div>
        <h3 className="text-sm font-semibold text-fg">{title}</h3>
        {description ? <p className="mt-0.5 text-[13px] text-muted">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

function NameStatus({ show, checking, available, failed }: { show: boolean; checking: boolean; available?: boolean; failed: boolean }) {
  if (!show) return null;
  return (
    <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center gap-1.5 text-[13px]" aria-live="polite" data-testid="name-status">
      {checking ? (
        <>
          <SpinnerIcon className="size-3.5 animate-spin text-subtle" />
          <span className="text-muted">Checking…</span>
        </>
      ) : failed ? null : available ? (
        <>
          <CheckIcon className="size-4 text-success-soft-fg" />
          <span className="text-success-soft-fg">Available</span>
        </>
      ) : available === false ? (
        <>
          <AlertIcon className="size-4 text-danger" />
          <span className="text-danger">Taken</span>
        </>
      ) : null}
    </span>
  );
}

function ResourceGroupField({
  groups,
  canCreate,
  value,
  onChange,
  error,
}: {
  groups: string[];
  canCreate: boolean;
  value: WizardInput["resourceGroup"];
  onChange: (v: WizardInput["resourceGroup"]) => void;
  error?: string;
}) {
  const [lastExisting, setLastExisting] = useState(groups[0] ?? "");
  return (
    <Field id="resource-group" label="Resource group" error={error} hint={value.mode === "new" ? "A new resource group is created together with the registry." : undefined}>
      {value.mode === "existing" ? (
        <div className="flex items-center gap-3">
          <Select
            id="resource-group"
            value={value.name}
            aria-invalid={!!error}
            onChange={(e) => {
              setLastExisting(e.target.value);
              onChange({ mode: "existing", name: e.target.value });
            }}
          >
            <option value="">Select a resource group</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </Select>
          {canCreate ? (
            <Button variant="ghost" size="sm" className="text-accent" onClick={() => onChange({ mode: "new", name: "" })}>
              Create new
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="flex items-center gap-3">
          <Input
            id="resource-group"
            value={value.name}
            placeholder="New resource group name"
            aria-invalid={!!error}
            autoComplete="off"
            maxLength={100}
            onChange={(e) => onChange({ mode: "new", name: e.target.value })}
          />
          {groups.length ? (
            <Button variant="ghost" size="sm" className="text-accent" onClick={() => onChange({ mode: "existing", name: lastExisting })}>
              Pick existing
            </Button>
          ) : null}
        </div>
      )}
    </Field>
  );
}

function SkuPicker({ skus, value, onChange }: { skus: WizardProps["skus"]; value: string; onChange: (sku: string) => void }) {
  return (
    <fieldset>
      <legend className="mb-1.5 block text-sm font-medium text-fg">SKU</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        {skus.map(({ name, limits }) => {
          const checked = value === name;
          const features = [
            limits.anonymousPull && "Anonymous pull",
            limits.networkRules && "Network rules",
            limits.customerManagedKey && "Customer-managed key",
            limits.replications && "Replications",
            limits.contentTrust && "Content trust",
          ].filter(Boolean) as string[];
          return (
            <label
              key={name}
              className={cn(
                "relative flex cursor-pointer flex-col rounded-lg border p-3.5 text-sm transition-colors has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-focus/30",
                checked ? "border-accent bg-accent-soft/50 ring-1 ring-accent" : "border-line-strong hover:bg-hover",
              )}
            >
              <input type="radio" name="sku" value={name} checked={checked} onChange={() => onChange(name)} className="sr-only" aria-describedby={`sku-${name}-limits`} />
              <span className="flex items-center justify-between font-semibold text-fg">
                {name}
                <span className={cn("flex size-4 items-center justify-center rounded-full border", checked ? "border-accent bg-accent" : "border-line-strong")}>
                  {checked ? <span className="size-1.5 rounded-full bg-accent-fg" /> : null}
                </span>
              </span>
              <dl id={`sku-${name}-limits`} className="mt-2 space-y-0.5 text-[12.5px] text-muted">
                <div className="flex justify-between gap-2">
                  <dt>Included storage</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.includedStorageGiB)} GiB</dd>
                </div>
                <div className="flex justify-between gap-2">
                  <dt>Reads / min</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.readOpsPerMinute)}</dd>
                </div>
                <div className="flex justify-between gap-2">
                  <dt>Writes / min</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.writeOpsPerMinute)}</dd>
                </div>
                <div className="flex justify-between gap-2">
                  <dt>Webhooks</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.webhooks)}</dd>
                </div>
              </dl>
              <p className="mt-2 border-t border-line pt-2 text-[12px] text-muted">{features.length ? features.join(" · ") : "Core registry features"}</p>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function ChoiceCard({
  name,
  value,
  checked,
  onSelect,
  title,
  description,
  badge,
  disabledReason,
}: {
  name: string;
  value: string;
  checked: boolean;
  onSelect: () => void;
  title: string;
  description: ReactNode;
  badge?: string;
  disabledReason?: string | null;
}) {
  const id = useId();
  const disabled = !!disabledReason;
  return (
    <label
      title={disabledReason ?? undefined}
      className={cn(
        "flex gap-3 rounded-lg border p-3.5 text-sm transition-colors has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-focus/30",
        disabled ? "cursor-not-allowed border-line bg-sunken/60" : "cursor-pointer",
        checked ? "border-accent bg-accent-soft/50 ring-1 ring-accent" : !disabled && "border-line-strong hover:bg-hover",
      )}
    >
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={onSelect}
        aria-describedby={`${id}-desc`}
        className="mt-0.5 size-4 shrink-0 accent-[var(--wh-accent)]"
      />
      <span className="min-w-0">
        <span className={cn("flex items-center gap-2 font-medium", disabled ? "text-muted" : "text-fg")}>
          {title}
          {badge ? <Badge tone="warning">{badge}</Badge> : null}
        </span>
        <span id={`${id}-desc`} className="mt-0.5 block text-[13px] text-muted">
          {description}
          {disabledReason ? (
            <span className="mt-1 flex items-center gap-1.5 text-warning-soft-fg">
              <LockIcon className="size-3.5 shrink-0" />
              {disabledReason}
            </span>
          ) : null}
        </span>
      </span>
    </label>
  );
}

function NetworkingStep({
  sku,
  premium,
  publicAccess,
  rules,
  onAccess,
  onRules,
  errorOf,
}: {
  sku: string;
  premium: boolean;
  publicAccess: PublicAccess;
  rules: string[];
  onAccess: (a: PublicAccess) => void;
  onRules: (rules: string[], index?: number) => void;
  errorOf: (field: string) => string | undefined;
}) {
  const needPremium = premium ? null : `Needs the Premium SKU (this registry is ${sku}); change the SKU on Basics.`;
  return (
    <div className="mt-5 max-w-2xl space-y-4">
      <p className="text-sm text-muted">Who may reach this registry&apos;s login server. Rules apply to pushes, pulls and token requests.</p>
      <fieldset className="space-y-2">
        <legend className="mb-1.5 block text-sm font-medium text-fg">Public access</legend>
        <ChoiceCard name="publicAccess" value="all" checked={publicAccess === "all"} onSelect={() => onAccess("all")} title="All networks" description="Any client that can reach this server." />
        <ChoiceCard
          name="publicAccess"
          value="selected"
          checked={publicAccess === "selected"}
          onSelect={() => onAccess("selected")}
          title="Selected networks"
          badge="Premium"
          disabledReason={publicAccess === "selected" ? null : needPremium}
          description="Only clients from the IPv4 or IPv6 ranges you list."
        />
        <ChoiceCard
          name="publicAccess"
          value="disabled"
          checked={publicAccess === "disabled"}
          onSelect={() => onAccess("disabled")}
          title="Disabled"
          badge="Premium"
          disabledReason={publicAccess === "disabled" ? null : needPremium}
          description="No client may reach the registry over the public endpoint."
        />
      </fieldset>
      {errorOf("publicAccess") ? (
        <p className="text-[13px] text-danger" role="alert">
          {errorOf("publicAccess")}
        </p>
      ) : null}
      {publicAccess === "selected" ? <NetworkRuleRows rules={rules} onRules={onRules} errorOf={errorOf} /> : null}
    </div>
  );
}

export function NetworkRuleRows({
  rules,
  onRules,
  errorOf,
  disabled,
}: {
  rules: string[];
  onRules: (rules: string[], index?: number) => void;
  errorOf: (field: string) => string | undefined;
  disabled?: boolean;
}) {
  return (
    <div className="space-y-2">
      <p className="text-sm font-medium text-fg">Address ranges</p>
      {rules.map((r, i) => {
        const err = errorOf(`networkRules.${i}`);
        return (
          <div key={i}>
            <div className="flex items-center gap-2">
              <Input
                aria-label={`Address range ${i + 1}`}
                value={r}
                disabled={disabled}
                placeholder="203.0.113.0/24 or 2001:db8::/48"
                className="font-mono"
                aria-invalid={!!err}
                onChange={(e) => onRules(rules.map((x, j) => (j === i ? e.target.value : x)), i)}
              />
              <Button variant="ghost" size="sm" aria-label={`Remove address range ${i + 1}`} disabled={disabled} onClick={() => onRules(rules.filter((_, j) => j !== i))}>
                <TrashIcon className="size-4" />
              </Button>
            </div>
            {err ? <p className="mt-1 text-[13px] text-danger">{err}</p> : null}
          </div>
        );
      })}
      {errorOf("networkRules") ? <p className="text-[13px] text-danger">{errorOf("networkRules")}</p> : null}
      <Button variant="secondary" size="sm" disabled={disabled} onClick={() => onRules([...rules, ""])}>
        <PlusIcon className="-ml-0.5 size-4" />
        Add address range
      </Button>
    </div>
  );
}

export function TagRows({
  tags,
  onChange,
  errorOf,
  disabled,
}: {
  tags: ResourceTag[];
  onChange: (tags: ResourceTag[], field?: string) => void;
  errorOf: (field: string) => string | undefined;
  disabled?: boolean;
}) {
  return (
    <div className="space-y-2">
      {tags.length ? (
        <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_2.5rem] gap-x-2 text-[13px] font-medium text-muted">
          <span>Name</span>
          <span>Value</span>
        </div>
      ) : null}
      {tags.map((t, i) => {
        const nameErr = errorOf(`tags.${i}.name`);
        const valueErr = errorOf(`tags.${i}.value`);
        return (
          <div key={i}>
            <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_2.5rem] items-center gap-2">
              <Input
                aria-label={`Tag ${i + 1} name`}
                value={t.name}
                disabled={disabled}
                aria-invalid={!!nameErr}
                maxLength={600}
                onChange={(e) => onChange(tags.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)), `tags.${i}.name`)}
              />
              <Input
                aria-label={`Tag ${i + 1} value`}
                value={t.value}
                disabled={disabled}
                aria-invalid={!!valueErr}
                maxLength={300}
                onChange={(e) => onChange(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)), `tags.${i}.value`)}
              />
              <Button variant="ghost" size="sm" aria-label={`Remove tag ${i + 1}`} disabled={disabled} onClick={() => onChange(tags.filter((_, j) => j !== i))}>
                <TrashIcon className="size-4" />
              </Button>
            </div>
            {nameErr || valueErr ? <p className="mt-1 text-[13px] text-danger">{nameErr ?? valueErr}</p> : null}
          </div>
        );
      })}
      {errorOf("tags") ? <p className="text-[13px] text-danger">{errorOf("tags")}</p> : null}
      <div className="flex items-center gap-3">
        <Button variant="secondary" size="sm" disabled={disabled || tags.length >= MAX_TAGS} onClick={() => onChange([...tags, { name: "", value: "" }])}>
          <PlusIcon className="-ml-0.5 size-4" />
          Add tag
        </Button>
        <span className="text-[13px] text-subtle">
          {tags.length} of {MAX_TAGS}
        </span>
      </div>
    </div>
  );
}

function TagsStep({ tags, onChange, errorOf }: { tags: ResourceTag[]; onChange: (tags: ResourceTag[], field?: string) => void; errorOf: (field: string) => string | undefined }) {
  return (
    <div className="mt-5 max-w-2xl space-y-4">
      <p className="text-sm text-muted">
        Name/value pairs to categorise registries, e.g. <code className="font-mono text-fg">team = payments</code>. Names are unique ignoring case (up
        to 512 characters); values up to 256.
      </p>
      <TagRows tags={tags} onChange={onChange} errorOf={errorOf} />
    </div>
  );
}

const TAB_LABEL: Record<WizardTab, string> = { basics: "Basics", networking: "Networking", encryption: "Encryption", tags: "Tags" };
const ACCESS_LABEL: Record<PublicAccess, string> = { all: "All networks", selected: "Selected networks", disabled: "Disabled" };

function ReviewStep({
  input,
  problems,
  loginServer,
  onGo,
}: {
  input: WizardInput;
  problems: WizardProblem[];
  loginServer: { server: string; prefix: string };
  onGo: (tab: WizardTab) => void;
}) {
  const rows: { tab: WizardTab; items: [string, ReactNode][] }[] = [
    {
      tab: "basics",
      items: [
        ["Resource group", input.resourceGroup.name ? `${input.resourceGroup.name}${input.resourceGroup.mode === "new" ? " (new)" : ""}` : "—"],
        ["Registry name", input.name.trim().toLowerCase() || "—"],
        ["Login server", <code key="ls" className="font-mono">{loginServer.server}</code>],
        ["Location", input.location],
        ["SKU", input.sku],
      ],
    },
    {
      tab: "networking",
      items: [
        ["Public access", ACCESS_LABEL[input.publicAccess]],
        ...(input.publicAccess === "selected" ? ([["Address ranges", input.networkRules.filter((r) => !networkRuleProblem(r)).join(", ") || "—"]] as [string, ReactNode][]) : []),
      ],
    },
    { tab: "encryption", items: [["Key", input.encryption === "service-managed" ? "Service-managed key" : "Customer-managed key"]] },
    { tab: "tags", items: input.tags.length ? input.tags.map((t) => [t.name || "(no name)", t.value || "—"] as [string, ReactNode]) : [["Tags", "None"]] },
  ];
  return (
    <div className="mt-5 space-y-6">
      {problems.length ? (
        <Alert tone="danger" title={`${problems.length} ${problems.length === 1 ? "problem" : "problems"} to fix before creating`}>
          <ul className="mt-1 space-y-1" data-testid="review-problems">
            {problems.map((p, i) => (
              <li key={i} className="flex flex-wrap items-baseline gap-x-2">
                <span>{p.message}</span>
                <button type="button" onClick={() => onGo(p.tab)} className="font-medium underline underline-offset-2 hover:no-underline">
                  Go to {TAB_LABEL[p.tab]}
                </button>
              </li>
            ))}
          </ul>
        </Alert>
      ) : (
        <Alert title="Ready to create">Check the summary, then select Create.</Alert>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        {rows.map((r) => (
          <section key={r.tab} aria-label={`${TAB_LABEL[r.tab]} summary`} className="rounded-lg border border-line">
            <div className="flex items-center justify-between border-b border-line px-4 py-2.5">
              <h3 className="text-sm font-semibold text-fg">{TAB_LABEL[r.tab]}</h3>
              <button type="button" onClick={() => onGo(r.tab)} className="rounded text-[13px] font-medium text-accent hover:underline">
                Edit
              </button>
            </div>
            <dl className="divide-y divide-line text-sm">
              {r.items.map(([k, v], i) => (
                <div key={i} className="grid grid-cols-[10rem_minmax(0,1fr)] gap-3 px-4 py-2">
                  <dt className="truncate text-muted">{k}</dt>
                  <dd className="break-words text-fg">{v}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </div>
  );
}
