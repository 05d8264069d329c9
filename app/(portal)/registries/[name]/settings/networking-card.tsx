"use client";

import { useState } from "react";
import { NetworkRuleRows } from "@/components/registries/network-rule-rows";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { cn } from "@/components/ui/cn";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { networkRuleProblem, type PublicAccess } from "@wharf/lib/core/registry-rules";
import { updateRegistryNetworkingAction } from "@/portal/actions/update-registry-networking-action";
import type { SettingsProps } from "./settings-props";

const ACCESS_LABEL: Record<PublicAccess, string> = { all: "All networks", selected: "Selected networks", disabled: "Disabled" };

export function NetworkingCard({ name, sku, skus, publicAccess, networkRules, cannotChange, loginServer, clientAddress }: SettingsProps) {
  const [access, setAccess] = useState<PublicAccess>(publicAccess);
  const [rules, setRules] = useState<string[]>(networkRules.length ? networkRules : [""]);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const premium = skus.find((s) => s.name === sku)?.networkRules ?? false;
  const m = useAction(updateRegistryNetworkingAction, { success: "Networking saved.", fields: (f) => f.startsWith("networkRules") });
  const confirm = useConfirm();
  // Blank rows are spare rows: ignored here and by the server.
  const filled = rules.map((r) => r.trim()).filter(Boolean);
  const local = (field: string) => {
    if (access !== "selected") return undefined;
    if (field === "networkRules") return filled.length || !touched.size ? undefined : "Add at least one address range, or allow all networks.";
    const i = Number(field.split(".")[1]);
    const rule = rules[i] ?? "";
    const p = touched.has(field) && rule.trim() ? networkRuleProblem(rule) : null;
    return p ? `Rule ${i + 1}: ${p}` : undefined;
  };
  const errorOf = (field: string) => local(field) ?? m.fieldError(field);
  const invalid = access === "selected" && (!filled.length || filled.some((r) => networkRuleProblem(r)));
  const dirty = access !== publicAccess || (access === "selected" && JSON.stringify(filled) !== JSON.stringify(networkRules));
  const save = () => m.run({ registry: name, publicAccess: access, networkRules: access === "selected" ? rules : [] });
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
                {ACCESS_LABEL[a]}
                {lockReason ? <span className="text-[12.5px] text-warning-soft-fg">— {lockReason}</span> : null}
              </label>
            );
          })}
        </fieldset>
        {access === "selected" ? (
          <NetworkRuleRows
            rules={rules}
            disabled={!!cannotChange}
            clientAddress={clientAddress}
            errorOf={errorOf}
            onRules={(next, i) => {
              setRules(next);
              m.reset();
              if (i !== undefined) setTouched((t) => new Set(t).add(`networkRules.${i}`));
            }}
          />
        ) : null}
        <DisabledReason reason={cannotChange}>
          <Button
            variant="secondary"
            disabled={!!cannotChange || !dirty || invalid}
            pending={m.pending}
            onClick={() => {
              setTouched(new Set(rules.map((_, i) => `networkRules.${i}`)));
              // Opening to all networks widens who can reach it, so it asks first and says so.
              if (access !== "all" || publicAccess === "all") return save();
              confirm.ask({
                title: "Allow access from all networks?",
                body: <>Any address that can reach <code className="font-mono">{loginServer}</code> can then try to sign in to and pull from {name}; {publicAccess === "selected" ? `its ${networkRules.length} address ${networkRules.length === 1 ? "range stops" : "ranges stop"} applying` : "public access is off today"}.</>,
                confirmLabel: "Allow all networks",
                onConfirm: save,
              });
            }}
          >
            Save networking
          </Button>
        </DisabledReason>
        {confirm.dialog}
      </CardBody>
    </Card>
  );
}
