/** Joins class names, skipping empty ones (enough for our own components; no clsx needed). */
export function cn(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ");
}
