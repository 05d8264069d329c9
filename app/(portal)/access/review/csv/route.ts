import { reviewCsvResponse } from "@/portal/access-review-csv";

/** The organisation's access review as a CSV file. */
export async function GET() {
  return reviewCsvResponse(null);
}
