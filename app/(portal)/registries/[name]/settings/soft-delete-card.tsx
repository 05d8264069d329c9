import { showSoftDelete } from "@wharf/lib/services/recycle-bin";
import { requirePrincipal } from "@/portal/principal";
import { SoftDeleteForm } from "./soft-delete-form";

/** Loads the registry's soft-delete policy itself, so the settings page passes only the name and who may change it. */
export async function SoftDeleteCard({ name, cannotChange }: { name: string; cannotChange: string | null }) {
  const policy = await showSoftDelete(await requirePrincipal(), { registry: name });
  return <SoftDeleteForm name={name} enabled={policy.status === "enabled"} days={policy.days} inBin={policy.deletedManifests} cannotChange={cannotChange} />;
}
