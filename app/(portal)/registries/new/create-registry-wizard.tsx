"use client";

import { useEffect, useRef, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { AlertIcon, ChevronLeftIcon, ChevronRightIcon } from "@/components/ui/icons";
import { BasicsStep } from "./basics-step";
import { EncryptionStep } from "./encryption-step";
import { NetworkingStep } from "./networking-step";
import { ReviewStep } from "./review-step";
import { TagsStep } from "./tags-step";
import { STEPS, useRegistryWizard, type Step, type WizardProps } from "./use-registry-wizard";

export type { WizardProps };

/** The create-registry wizard: a tab per step, the current step's panel, and Previous / Next / Create. */
export function CreateRegistryWizard(props: WizardProps) {
  const wizard = useRegistryWizard(props);
  const { step, problems, create } = wizard;
  const index = STEPS.findIndex((s) => s.id === step);

  const focusPanel = useRef(false);
  // From the footer buttons and review links focus moves into the new tab; on the tab strip it stays on the tab.
  const go = (s: Step, moveFocus = true) => {
    focusPanel.current = moveFocus;
    wizard.go(s);
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

  return (
    <Card className="overflow-hidden">
      <div role="tablist" aria-label="Create registry steps" className="flex overflow-x-auto border-b border-line px-2">
        {STEPS.map((s, i) => {
          const active = s.id === step;
          const bad = wizard.tabHasProblem(s.id);
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
          {STEPS[index].label}
        </h2>
        {step === "basics" ? <BasicsStep wizard={wizard} props={props} /> : null}
        {step === "networking" ? <NetworkingStep wizard={wizard} premium={!!props.context.skuNetworkRules[wizard.input.sku]} /> : null}
        {step === "encryption" ? <EncryptionStep wizard={wizard} customerManagedKeyUnavailable={props.context.customerManagedKeyUnavailable} /> : null}
        {step === "tags" ? <TagsStep wizard={wizard} /> : null}
        {step === "review" ? <ReviewStep input={wizard.input} problems={problems} loginServer={wizard.loginServer} onGo={(t) => go(t)} /> : null}
      </div>

      <div className="flex flex-wrap items-center gap-2 border-t border-line bg-sunken/50 px-5 py-3.5 sm:px-7">
        {step === "review" ? (
          // Stays busy after success while the new registry's page loads.
          <Button onClick={() => create.run(wizard.input)} pending={create.pending || create.succeeded} disabled={problems.length > 0}>
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
