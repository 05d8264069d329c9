import type { Principal } from "@wharf/lib/auth/principal";
import { gcStatus } from "@wharf/lib/services/gc-jobs";
import { registryCapabilities } from "@wharf/lib/services/registries";
import { gcPanelStatus } from "@/portal/gc-status";
import { GcPanelLive } from "./gc-panel-live";

/**
 * Garbage collection on the registry overview: what is waiting, what was freed, the last run, and "Run now".
 * Loads the first figures on the server; the client part polls while a run is on.
 */
export async function GcPanel({ principal, registry, resourceGroup }: { principal: Principal; registry: string; resourceGroup: string | null }) {
  const [status, can] = await Promise.all([gcStatus(principal, registry), registryCapabilities(principal, registry, resourceGroup)]);
  return <GcPanelLive registry={registry} initial={gcPanelStatus(status)} cannotRun={can.changePolicies.allowed ? null : can.changePolicies.reason} />;
}
