import type { Metadata } from "next";
import { AccessReviewView } from "@/components/access/access-review";
import { loadOrPanel } from "@/components/error-panel";
import { requirePrincipal } from "@/portal/principal";
import { accessReview } from "@wharf/lib/services/access-review";

export const metadata: Metadata = { title: "Access review" };

export default async function RegistryAccessReviewPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ flagged?: string }> }) {
  const name = decodeURIComponent((await params).name);
  const flagged = (await searchParams).flagged === "1";
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => accessReview(principal, { registry: name }));
  return res.panel ?? <AccessReviewView review={res.data} base={`/registries/${name}/access-review`} flaggedOnly={flagged} />;
}
