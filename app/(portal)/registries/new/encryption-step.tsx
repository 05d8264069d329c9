"use client";

import { ChoiceCard } from "./choice-card";
import type { RegistryWizard } from "./use-registry-wizard";

/** Encryption: service-managed key, or a customer-managed key when the server has a key source. */
export function EncryptionStep({ wizard, customerManagedKeyUnavailable }: { wizard: RegistryWizard; customerManagedKeyUnavailable: string | null }) {
  const { input, set, errorOf } = wizard;
  return (
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
          disabledReason={customerManagedKeyUnavailable}
          title="Customer-managed key"
          badge="Premium"
          description="Encrypt this registry's blobs with a key you hold in your own key store."
        />
      </fieldset>
      {errorOf("encryption") ? <p className="text-[13px] text-danger">{errorOf("encryption")}</p> : null}
    </div>
  );
}
