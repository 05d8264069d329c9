import type { Metadata } from "next";
import { ActivityView, activityQuery } from "@/components/activity/activity-view";
import { loadOrPanel } from "@/components/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/portal/principal";
import { listActivity } from "@wharf/lib/services/activity";

export const metadata: Metadata = { title: "Activity" };

export default async function OrgActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = activityQuery(await searchParams);
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => listActivity(principal, query));
  return (
    <>
      <PageHeader title="Activity" description="Who did what, from where, in every registry and the organisation. Pulls and token requests are counted per hour." />
      {res.panel ?? <ActivityView base="/activity" query={query} page={res.data} showRegistry />}
    </>
  );
}
