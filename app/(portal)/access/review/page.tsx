import type { Metadata } from "next";
import Link from "next/link";
import { AccessReviewView } from "@/components/access/access-review";
import { loadOrPanel } from "@/components/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/portal/principal";
import { accessReview } from "@wharf/lib/services/access-review";

export const metadata: Metadata = { title: "Access review" };

export default async function OrgAccessReviewPage({ searchParams }: { searchParams: Promise<{ flagged?: string }> }) {
  const flagged = (await searchParams).flagged === "1";
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => accessReview(principal, {}));
  return (
    <>
      <PageHeader
        title="Access review"
        description={<>Everyone who can reach any registry, with what and since when unused. Roles are changed on <Link className="text-accent underline" href="/access">Access control</Link>.</>}
      />
      {res.panel ?? <AccessReviewView review={res.data} base="/access/review" flaggedOnly={flagged} />}
    </>
  );
}
