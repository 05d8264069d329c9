import type { Metadata } from "next";
import { ErrorPanel } from "@/components/error-panel";
import { GroupsManager } from "@/components/groups/groups-manager";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/portal/principal";
import { authorize } from "@wharf/lib/auth/authorize";
import { denied } from "@wharf/lib/core/errors";
import { listGroups, showGroup } from "@wharf/lib/services/groups";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage() {
  const principal = await requirePrincipal();
  const header = <PageHeader title="Groups" description="Teams of people and service principals. A role assigned to a group applies to each member." />;
  const d = await authorize(principal, "assignRoles", { type: "organisation" });
  if (!d.allowed) return <>{header}<ErrorPanel error={denied("Only an Owner of the organisation can manage groups.")} /></>;
  const groups = await Promise.all((await listGroups(principal)).map((g) => showGroup(principal, g.name)));
  return (
    <>
      {header}
      <GroupsManager
        groups={groups.map((g) => ({
          name: g.name,
          description: g.description,
          roles: g.roles.map((r) => ({ role: r.role, where: r.where })),
          members: g.members.map((m) => ({ name: m.name, key: m.key, type: m.type, disabled: m.disabled })),
        }))}
      />
    </>
  );
}
