import { WharfError, type ErrorCode } from "../../core/errors";

/** What went wrong with an upstream, in words a caller can branch on. */
export type UpstreamFailure = "unreachable" | "timeout" | "unauthorized" | "denied" | "not_found" | "rate_limited" | "bad_answer";

const CODES: Record<UpstreamFailure, ErrorCode> = {
  unreachable: "UPSTREAM_FAILED",
  timeout: "UPSTREAM_TIMEOUT",
  unauthorized: "UPSTREAM_FAILED",
  denied: "UPSTREAM_FAILED",
  not_found: "NOT_FOUND",
  rate_limited: "TOO_MANY_REQUESTS",
  bad_answer: "UPSTREAM_FAILED",
};

/**
 * An upstream registry's failure. `failure` says what happened, `status` is the upstream's HTTP status (0 when
 * it never answered), `upstreamMessage` its own words (from an OCI error body), `retryAfterSeconds` its
 * Retry-After on 429. Messages name the host and what to do next, and never hold a password.
 */
export class UpstreamError extends WharfError {
  constructor(
    readonly failure: UpstreamFailure,
    readonly host: string,
    message: string,
    readonly status = 0,
    readonly upstreamMessage: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(CODES[failure], message, { detail: { upstream: host, failure, status: status || null, upstreamMessage } });
    this.name = "UpstreamError";
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}
