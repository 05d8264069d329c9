/**
 * The one error model. lib/ throws WharfError with a code; each edge translates it
 * with the table below: /v2 to the OCI JSON body and status, the portal to
 * `{ code, message, field }` (the `result` column), the CLI to a message and exit 1.
 * Anything that is not a WharfError is unexpected: logged with context, shown
 * generically. Messages are written for the person at the client: say what to do next.
 */
export const ERRORS = {
  // Control plane (portal, CLI)
  INVALID: { status: 400, oci: "UNSUPPORTED", result: "INVALID" },
  NOT_FOUND: { status: 404, oci: "NAME_UNKNOWN", result: "NOT_FOUND" },
  CONFLICT: { status: 409, oci: "DENIED", result: "CONFLICT" },
  // Both planes
  DENIED: { status: 403, oci: "DENIED", result: "DENIED" },
  UNAUTHORIZED: { status: 401, oci: "UNAUTHORIZED", result: "DENIED" },
  TOO_MANY_REQUESTS: { status: 429, oci: "TOOMANYREQUESTS", result: "DENIED" },
  // An upstream registry (import, cache) failed or did not answer in time.
  UPSTREAM_FAILED: { status: 502, oci: "UNKNOWN", result: "INVALID" },
  UPSTREAM_TIMEOUT: { status: 504, oci: "UNKNOWN", result: "INVALID" },
  // Registry engine (OCI distribution spec codes)
  BLOB_UNKNOWN: { status: 404, oci: "BLOB_UNKNOWN", result: "NOT_FOUND" },
  BLOB_UPLOAD_INVALID: { status: 400, oci: "BLOB_UPLOAD_INVALID", result: "INVALID" },
  BLOB_UPLOAD_UNKNOWN: { status: 404, oci: "BLOB_UPLOAD_UNKNOWN", result: "NOT_FOUND" },
  // The spec asks for 416 on an out-of-order chunk; the body names the upload as invalid.
  RANGE_INVALID: { status: 416, oci: "BLOB_UPLOAD_INVALID", result: "INVALID" },
  DIGEST_INVALID: { status: 400, oci: "DIGEST_INVALID", result: "INVALID" },
  MANIFEST_BLOB_UNKNOWN: { status: 400, oci: "MANIFEST_BLOB_UNKNOWN", result: "INVALID" },
  MANIFEST_INVALID: { status: 400, oci: "MANIFEST_INVALID", result: "INVALID" },
  MANIFEST_TOO_LARGE: { status: 413, oci: "MANIFEST_INVALID", result: "INVALID" },
  MANIFEST_UNKNOWN: { status: 404, oci: "MANIFEST_UNKNOWN", result: "NOT_FOUND" },
  NAME_INVALID: { status: 400, oci: "NAME_INVALID", result: "INVALID" },
  NAME_UNKNOWN: { status: 404, oci: "NAME_UNKNOWN", result: "NOT_FOUND" },
  SIZE_INVALID: { status: 400, oci: "SIZE_INVALID", result: "INVALID" },
  UNSUPPORTED: { status: 405, oci: "UNSUPPORTED", result: "INVALID" },
} as const satisfies Record<string, { status: number; oci: string; result: ResultCode }>;

export type ErrorCode = keyof typeof ERRORS;
/** What a server action returns to the portal. */
export type ResultCode = "INVALID" | "NOT_FOUND" | "CONFLICT" | "DENIED";

export class WharfError extends Error {
  readonly field?: string;
  readonly detail: unknown;
  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: { field?: string; detail?: unknown } = {},
  ) {
    super(message);
    this.name = code;
    this.field = opts.field;
    this.detail = opts.detail ?? null;
  }
}

export function isWharfError(err: unknown): err is WharfError {
  return err instanceof WharfError;
}

const make =
  (code: ErrorCode) =>
  (message: string, field?: string): WharfError =>
    new WharfError(code, message, { field });
const withDetail =
  (code: ErrorCode) =>
  (message: string, detail: unknown = null): WharfError =>
    new WharfError(code, message, { detail });

export const invalid = make("INVALID");
export const notFound = make("NOT_FOUND");
export const conflict = make("CONFLICT");
/** Refused: `detail` (on /v2) may say which lock or rule refused. */
export const denied = withDetail("DENIED");

export const blobUnknown = withDetail("BLOB_UNKNOWN");
export const blobUploadInvalid = withDetail("BLOB_UPLOAD_INVALID");
export const blobUploadUnknown = withDetail("BLOB_UPLOAD_UNKNOWN");
export const rangeInvalid = withDetail("RANGE_INVALID");
export const digestInvalid = withDetail("DIGEST_INVALID");
export const manifestBlobUnknown = withDetail("MANIFEST_BLOB_UNKNOWN");
export const manifestInvalid = withDetail("MANIFEST_INVALID");
export const manifestTooLarge = withDetail("MANIFEST_TOO_LARGE");
export const manifestUnknown = withDetail("MANIFEST_UNKNOWN");
export const nameInvalid = withDetail("NAME_INVALID");
export const nameUnknown = withDetail("NAME_UNKNOWN");
export const sizeInvalid = withDetail("SIZE_INVALID");
export const unsupported = withDetail("UNSUPPORTED");

/** Prisma's unique-constraint violation, so services can answer "name taken" normally. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
