"use client";

import { NetworkRuleRows } from "@/components/registries/network-rule-rows";
import { ChoiceCard } from "./choice-card";
import type { RegistryWizard } from "./use-registry-wizard";

/** Networking: who may reach the login server; selected networks and disabled need Premium. */
export function NetworkingStep({ wizard, premium }: { wizard: RegistryWizard; premium: boolean }) {
  const { input, set, errorOf } = wizard;
  const { publicAccess, networkRules: rules } = input;
  const onAccess = (a: typeof publicAccess) => set({ publicAccess: a }, "publicAccess");
  const needPremium = premium ? null : `Needs the Premium SKU (this registry is ${input.sku}); change the SKU on Basics.`;
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
      {publicAccess === "selected" ? (
        <NetworkRuleRows
          rules={rules}
          onRules={(networkRules, i) => set({ networkRules }, i === undefined ? "networkRules" : `networkRules.${i}`)}
          errorOf={errorOf}
          clientAddress={wizard.clientAddress}
        />
      ) : null}
    </div>
  );
}
