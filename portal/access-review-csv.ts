import { currentUser } from "./session";
import { toCsv } from "@wharf/lib/core/csv";
import { ERRORS, isWharfError } from "@wharf/lib/core/errors";
import { accessReview, REVIEW_COLUMNS, reviewLines } from "@wharf/lib/services/access-review";

/**
 * The access review as a CSV download, for the registry named (or the organisation): signed-out callers get 401,
 * callers who may not read it get the same refusal as the page, never a file.
 */
export async function reviewCsvResponse(registry: string | null): Promise<Response> {
  const user = await currentUser();
  if (!user) return new Response("Sign in to download the access review.\n", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  try {
    const review = await accessReview({ kind: "user", id: user.id, name: user.username }, { registry });
    const lines = reviewLines(review);
    const csv = toCsv(REVIEW_COLUMNS.map((c) => c.header), lines.map((l) => REVIEW_COLUMNS.map((c) => String(l[c.field]))));
    const day = review.generatedAt.toISOString().slice(0, 10);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="access-review-${registry ?? "organisation"}-${day}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    if (!isWharfError(err)) throw err;
    const status = ERRORS[err.code].status;
    return new Response(`${err.message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
