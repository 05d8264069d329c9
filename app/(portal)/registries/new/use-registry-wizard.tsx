"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useAction, type ActionError } from "@/components/use-action";
import { useDebounced } from "@/components/use-debounced";
import type { SkuLimits } from "@wharf/lib/core/skus";
import { wizardProblems, type WizardContext, type WizardInput, type WizardProblem, type WizardTab } from "@wharf/lib/core/registry-rules";
import { checkRegistryNameAction } from "@/portal/actions/check-registry-name-action";
import { createRegistryAction } from "@/portal/actions/create-registry-action";

export type Step = WizardTab | "review";
export const STEPS: { id: Step; label: string }[] = [
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
  /** The caller's address as the server sees it, for "Add my client IP" (null when unknown). */
  clientAddress: string | null;
};

export type LoginServerPreview = { server: string; prefix: string };

/** Which tab owns each input field, so a server refusal is sent back to the tab that can fix it. */
const FIELD_TAB: Record<keyof WizardInput, WizardTab> = {
  resourceGroup: "basics",
  name: "basics",
  location: "basics",
  sku: "basics",
  publicAccess: "networking",
  networkRules: "networking",
  encryption: "encryption",
  tags: "tags",
};
const tabOfField = (field: string): WizardTab | undefined => FIELD_TAB[field.split(".")[0] as keyof WizardInput];

function serverProblemsOf(err: ActionError): WizardProblem[] {
  if (err.problems?.length) return err.problems;
  const tab = err.field ? tabOfField(err.field) : undefined;
  // "resourceGroup.name" from the schema is shown on the resource group field.
  return tab && err.field ? [{ tab, field: err.field.startsWith("resourceGroup") ? "resourceGroup" : err.field, message: err.message }] : [];
}

function loginServerFor(name: string, domain: string | null, host: string): LoginServerPreview {
  const n = name.trim().toLowerCase() || "<name>";
  return domain ? { server: `${n}.${domain}`, prefix: "" } : { server: host, prefix: `${n}/` };
}

/**
 * The wizard's state: the input, which fields were touched, the current step, the
 * live name check, every problem (local rules, availability, the server's answer)
 * and the create action.
 */
export function useRegistryWizard({ resourceGroups, context, registryDomain, host, clientAddress }: WizardProps) {
  const router = useRouter();
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
  // Tabs the user has moved on from: their problems show even on fields never typed in (an empty name).
  const [left, setLeft] = useState<Set<Step>>(new Set());
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
  const shown = (field: string) => showAll || touched.has(field) || left.has(tabOfField(field) ?? "review");
  const errorOf = (field: string) => (shown(field) ? problems.find((p) => p.field === field)?.message : undefined);
  const tabHasProblem = (tab: Step) => (showAll || left.has(tab)) && problems.some((p) => p.tab === tab);

  const create = useAction(createRegistryAction, {
    success: (d) => (
      <>
        Registry <span className="font-semibold">{d.name}</span> created.
      </>
    ),
    // Field refusals are listed on Review + create and shown on their tab; anything else is a toast.
    fields: (f) => !!tabOfField(f),
    onError: (err) => setServerProblems(serverProblemsOf(err)),
    onSuccess: (d) => router.push(`/registries/${d.name}`),
    refresh: false,
  });

  const go = (s: Step) => {
    if (s !== step) setLeft((l) => new Set(l).add(step));
    setStep(s);
    if (s === "review") setShowAll(true);
  };

  return {
    clientAddress,
    step,
    go,
    input,
    set,
    errorOf,
    tabHasProblem,
    problems,
    name: { ruleOk: nameRuleOk, settled: nameSettled, query: nameQuery },
    loginServer: loginServerFor(input.name, registryDomain, host),
    create,
  };
}

export type RegistryWizard = ReturnType<typeof useRegistryWizard>;
