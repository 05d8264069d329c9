"use client";

import type { ReactNode } from "react";
import { Field } from "@/components/ui/field";
import { AlertIcon, CheckIcon, SpinnerIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ResourceGroupField } from "./resource-group-field";
import { SkuPicker } from "./sku-picker";
import type { RegistryWizard, WizardProps } from "./use-registry-wizard";

/** Basics: resource group, registry name (rules and availability as you type), location, SKU. */
export function BasicsStep({ wizard, props }: { wizard: RegistryWizard; props: WizardProps }) {
  const { input, set, errorOf, name, loginServer: ls } = wizard;
  return (
    <div className="mt-5 max-w-2xl space-y-8">
      <Section title="Project details" description="Registries live in a resource group; roles given on the group apply to every registry in it.">
        <ResourceGroupField
          groups={props.resourceGroups}
          canCreate={props.canCreateGroup}
          value={input.resourceGroup}
          onChange={(rg) => set({ resourceGroup: rg }, "resourceGroup")}
          error={errorOf("resourceGroup")}
        />
      </Section>
      <Section title="Instance details">
        <Field id="registry-name" label="Registry name" error={errorOf("name")} hint="5–50 letters and digits. Stored in lower case.">
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
              show={name.ruleOk && input.name.trim().length > 0}
              checking={!name.settled || name.query.isFetching}
              available={name.query.data?.available}
              failed={name.query.isError}
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
        {name.query.isError ? <p className="text-[13px] text-danger">Could not check the name: {name.query.error.message}</p> : null}
        <Field id="registry-location" label="Location" error={errorOf("location")} hint="Where this server places the registry (set by WHARF_LOCATIONS).">
          <Select id="registry-location" value={input.location} onChange={(e) => set({ location: e.target.value }, "location")}>
            {props.context.locations.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </Select>
        </Field>
        <SkuPicker skus={props.skus} value={input.sku} onChange={(sku) => set({ sku }, "sku")} />
      </Section>
    </div>
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
