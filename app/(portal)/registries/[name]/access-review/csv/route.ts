import { reviewCsvResponse } from "@/portal/access-review-csv";

/** The registry's access review as a CSV file (the same lines as `wharf access review -o csv`). */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  return reviewCsvResponse(decodeURIComponent((await params).name));
}
