export const HOME_PATH = "/registries";

/**
 * Where to go after signing in. Only local paths are accepted (no
 * `//evil.example` or `/\evil`), so the login page cannot be used as an open redirect.
 */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return HOME_PATH;
  if (value === "/" || value === "/login" || value.startsWith("/login?") || value.startsWith("/api/auth")) return HOME_PATH;
  return value;
}
