"use client";

import { Button } from "../ui/button";
import { PlusIcon, TrashIcon } from "../ui/icons";
import { Input } from "../ui/input";

/** Editable IP / CIDR rows, used by the create wizard's Networking step and by the settings page. */
export function NetworkRuleRows({
  rules,
  onRules,
  errorOf,
  disabled,
  clientAddress,
}: {
  rules: string[];
  onRules: (rules: string[], index?: number) => void;
  errorOf: (field: string) => string | undefined;
  disabled?: boolean;
  /** The caller's address as the server sees it; null when unknown (no button then). */
  clientAddress?: string | null;
}) {
  const hasClient = !!clientAddress && rules.some((r) => r.trim() === clientAddress || r.trim() === `${clientAddress}/${clientAddress.includes(":") ? 128 : 32}`);
  const addClient = () => {
    if (!clientAddress) return;
    // Fills the first blank row (the form starts with one) rather than leaving it empty above the address.
    const blank = rules.findIndex((r) => !r.trim());
    const next = blank >= 0 ? rules.map((r, j) => (j === blank ? clientAddress : r)) : [...rules, clientAddress];
    onRules(next, blank >= 0 ? blank : next.length - 1);
  };
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
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" disabled={disabled} onClick={() => onRules([...rules, ""])}>
          <PlusIcon className="-ml-0.5 size-4" />
          Add address range
        </Button>
        {clientAddress ? (
          <Button variant="secondary" size="sm" disabled={disabled || hasClient} title={hasClient ? "Your address is already in the list." : undefined} onClick={addClient}>
            Add my client IP ({clientAddress})
          </Button>
        ) : null}
      </div>
    </div>
  );
}
