/**
 * Domain errors of the registry engine. The engine throws these; the HTTP edge
 * (lib/http/oci-errors.ts) turns each kind into the OCI wire code and status.
 * Messages are written for the person at the client: say what to do next.
 */
export type RegistryErrorKind =
  | "BlobUnknown"
  | "BlobUploadInvalid"
  | "BlobUploadUnknown"
  | "RangeInvalid"
  | "DigestInvalid"
  | "ManifestBlobUnknown"
  | "ManifestInvalid"
  | "ManifestTooLarge"
  | "ManifestUnknown"
  | "NameInvalid"
  | "NameUnknown"
  | "SizeInvalid"
  | "Unauthorized"
  | "Denied"
  | "Unsupported"
  | "TooManyRequests";

export class RegistryEngineError extends Error {
  constructor(
    public readonly kind: RegistryErrorKind,
    message: string,
    public readonly detail: unknown = null,
  ) {
    super(message);
    this.name = kind;
  }
}

const make =
  (kind: RegistryErrorKind) =>
  (message: string, detail: unknown = null): RegistryEngineError =>
    new RegistryEngineError(kind, message, detail);

export const blobUnknown = make("BlobUnknown");
export const blobUploadInvalid = make("BlobUploadInvalid");
export const blobUploadUnknown = make("BlobUploadUnknown");
export const rangeInvalid = make("RangeInvalid");
export const digestInvalid = make("DigestInvalid");
export const manifestBlobUnknown = make("ManifestBlobUnknown");
export const manifestInvalid = make("ManifestInvalid");
export const manifestTooLarge = make("ManifestTooLarge");
export const manifestUnknown = make("ManifestUnknown");
export const nameInvalid = make("NameInvalid");
export const nameUnknown = make("NameUnknown");
export const sizeInvalid = make("SizeInvalid");
export const unsupported = make("Unsupported");
export const denied = make("Denied");

export function isEngineError(err: unknown): err is RegistryEngineError {
  return err instanceof RegistryEngineError;
}
