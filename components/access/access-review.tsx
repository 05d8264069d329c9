import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { AccessReview, ReviewRow } from "@wharf/lib/services/access-review";

const KIND: Record<ReviewRow["kind"], string> = { user: "User", servicePrincipal: "Service principal", group: "Group", token: "Token", admin: "Admin user", anonymous: "Anonymous" };
const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

function when(d: Date | null, none: string) {
  return d ? <time dateTime={d.toISOString()} title={d.toISOString()}>{dateFormat.format(d)}</time> : <span className="text-subtle">{none}</span>;
}

/**
 * The access review: what needs attention first (each with the page that fixes it), then every principal with its
 * rights and where each comes from, credential expiry and last use. `flaggedOnly` keeps the rows with a flag.
 */
export function AccessReviewView({ review, base, flaggedOnly }: { review: AccessReview; base: string; flaggedOnly: boolean }) {
  const rows = flaggedOnly ? review.rows.filter((r) => r.flags.length) : review.rows;
  const attention = review.flags.length + review.rows.filter((r) => r.flags.length).length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav className="flex items-center gap-1 rounded-md border border-line bg-surface p-1 text-sm shadow-card" aria-label="Show">
          <Link href={base} aria-current={!flaggedOnly ? "page" : undefined} className={`rounded px-3 py-1 font-medium ${!flaggedOnly ? "bg-accent-soft text-accent-soft-fg" : "text-muted hover:text-fg"}`}>Everyone ({review.rows.length})</Link>
          <Link href={`${base}?flagged=1`} aria-current={flaggedOnly ? "page" : undefined} className={`rounded px-3 py-1 font-medium ${flaggedOnly ? "bg-accent-soft text-accent-soft-fg" : "text-muted hover:text-fg"}`}>Needs attention ({attention})</Link>
        </nav>
        {/* A plain link: the CSV is a file to save, not a page to navigate to. */}
        <a href={`${base}/csv`} className={buttonClasses("secondary", "sm")} download>Download CSV</a>
      </div>

      {review.flags.length > 0 && (
        <Card>
          <CardHeader title="Registry settings to review" />
          <CardBody>
            <ul className="space-y-2" data-testid="review-registry-flags">
              {review.flags.map((f) => (
                <li key={`${f.registry}${f.code}`} className="flex flex-wrap items-start justify-between gap-2 text-sm" data-flag={f.code}>
                  <span><Badge tone="warning" className="mr-2">{f.registry}</Badge>{f.message}</span>
                  <Link href={f.fix.href} className="font-medium text-accent hover:underline">Fix in {f.fix.label}</Link>
                </li>
              ))}
            </ul>
          </CardBody>
        </Card>
      )}

      {rows.length === 0 ? (
        <Card>
          <EmptyState title={flaggedOnly ? "Nothing needs attention" : "No one has access"}>
            <p>{flaggedOnly ? "No credential is stale, unused or without expiry, and no disabled account keeps a role." : "No role assignment, token, admin user or anonymous pull gives anyone access here."}</p>
          </EmptyState>
        </Card>
      ) : (
        <Card className="overflow-hidden">
          <div className="relative overflow-x-auto">
            <Table>
              <THead>
                <tr><Th>Principal</Th><Th>Rights and where they come from</Th><Th>Credential expires</Th><Th>Last used</Th><Th>Flags</Th></tr>
              </THead>
              <TBody>
                {rows.map((r) => (
                  <Tr key={`${r.kind}:${r.name}:${r.detail}`} data-testid="review-row" data-kind={r.kind} data-name={r.name}>
                    <Td className="align-top">
                      <div className="font-medium text-fg">{r.name}</div>
                      <div className="text-[12px] text-muted">{KIND[r.kind]}{r.detail && r.kind !== "admin" && r.kind !== "anonymous" ? ` · ${r.detail}` : ""}</div>
                      {r.disabled ? <Badge tone="warning" className="mt-1">Disabled</Badge> : null}
                    </Td>
                    <Td className="align-top">
                      {r.rights.length ? (
                        <ul className="space-y-0.5 text-[13px]">
                          {r.rights.map((x, i) => (
                            <li key={i}><span className="font-medium text-fg">{x.what}</span> on {x.where} <span className="text-muted">· {x.source}</span></li>
                          ))}
                        </ul>
                      ) : <span className="text-subtle">Nothing here</span>}
                    </Td>
                    <Td className="align-top whitespace-nowrap text-[13px]">{r.kind === "token" ? when(r.credentialExpiry, "Never") : <span className="text-subtle">—</span>}</Td>
                    <Td className="align-top whitespace-nowrap text-[13px]">{r.kind === "group" || r.kind === "anonymous" ? <span className="text-subtle">—</span> : when(r.lastUsedAt, "Never")}</Td>
                    <Td className="align-top">
                      <ul className="space-y-1.5">
                        {r.flags.map((f) => (
                          <li key={f.code} className="text-[13px]" data-flag={f.code}>
                            <Badge tone="warning" className="mr-1.5">{FLAG_LABELS[f.code]}</Badge>
                            <span className="text-muted">{f.message}</span>{" "}
                            <Link href={f.fix.href} className="font-medium text-accent hover:underline">Fix in {f.fix.label}</Link>
                          </li>
                        ))}
                      </ul>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </div>
        </Card>
      )}
      <p className="text-[12px] text-subtle">
        Last use is recorded at sign-in and token issue. Unused means more than {review.staleDays} days; more than {review.maxOwners} Owners is flagged.
      </p>
    </div>
  );
}

const FLAG_LABELS: Record<string, string> = {
  "never-used": "Never used",
  stale: "Unused",
  "no-expiry": "No expiry",
  "disabled-assigned": "Disabled, still assigned",
  "too-many-owners": "Many Owners",
  "anonymous-pull": "Anonymous pull",
  "open-network": "Open network",
};
