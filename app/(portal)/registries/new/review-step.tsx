"use client";

import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { networkRuleProblem, type PublicAccess, type WizardInput, type WizardProblem, type WizardTab } from "@wharf/lib/core/registry-rules";
import type { LoginServerPreview } from "./use-registry-wizard";

const TAB_LABEL: Record<WizardTab, string> = { basics: "Basics", networking: "Networking", encryption: "Encryption", tags: "Tags" };
const ACCESS_LABEL: Record<PublicAccess, string> = { all: "All networks", selected: "Selected networks", disabled: "Disabled" };

/** Review + create: every problem with a link to its tab, and a summary per tab. */
export function ReviewStep({
  input,
  problems,
  loginServer,
  onGo,
}: {
  input: WizardInput;
  problems: WizardProblem[];
  loginServer: LoginServerPreview;
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
