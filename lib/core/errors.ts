/**
 * Domain errors thrown by lib/ services. Each edge translates them: the portal to
 * `{ code, message, field }`, the CLI to a message and exit code, /v2 to OCI JSON.
 */
export type ErrorCode = "INVALID" | "NOT_FOUND" | "CONFLICT" | "DENIED";

export class WharfError extends Error {
  constructor(
    public code: ErrorCode,
    message: string,
    public field?: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string, field?: string) => new WharfError("INVALID", message, field);
export const notFound = (message: string) => new WharfError("NOT_FOUND", message);
export const conflict = (message: string, field?: string) => new WharfError("CONFLICT", message, field);
export const denied = (message: string) => new WharfError("DENIED", message);

/** Prisma's unique-constraint violation, so services can answer "name taken" normally. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
