import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActivityView, activityQuery } from "@/components/activity/activity-view";
import { loadOrPanel } from "@/components/error-panel";
import { requirePrincipal } from "@/portal/principal";
import { listActivity } from "@wharf/lib/services/activity";
import { findReadableRegistry } from "@wharf/lib/services/registries";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `Activity · ${(await params).name}` };
}

export default async function RegistryActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePrincipal();
  const reg = await findReadableRegistry(principal, decodeURIComponent((await params).name));
  if (!reg) notFound();
  const query = activityQuery(await searchParams);
  const res = await loadOrPanel(() => listActivity(principal, { ...query, registry: reg.name }));
  return res.panel ?? <ActivityView base={`/registries/${reg.name}/activity`} query={query} page={res.data} showRegistry={false} />;
}
