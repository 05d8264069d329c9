/** RFC 4180 CSV: a header line, then one line per row; fields with a comma, quote or line break are quoted. */
export function toCsv(header: string[], rows: string[][]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  // A leading =, +, - or @ would be read as a formula by spreadsheet programs: neutralised with a quote mark.
  const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  return [header, ...rows].map((r) => r.map((v) => field(safe(v))).join(",")).join("\r\n") + "\r\n";
}
