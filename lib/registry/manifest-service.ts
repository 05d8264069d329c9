import type { NewRepo, Repo } from "./repository-resolver";
import { deleteManifest, type DeletedManifest } from "./manifest-delete";
import { listReferrers, manifestBytesOf, negotiateManifest, resolveManifest, type StoredManifest } from "./manifest-read";
import type { Descriptor } from "./manifest-schema";
import { MAX_MANIFEST_BYTES, putManifest, type PutResult } from "./manifest-store";
import type { EventOrigin } from "./events";
import type { DeleteConditions } from "./manifest-delete";

export { MAX_MANIFEST_BYTES };
export type { Descriptor, StoredManifest };

/**
 * Image manifests and indexes of one repository: validated (manifest-parse, manifest-schema), stored byte-exact
 * and addressed by digest or tag (manifest-store), read and negotiated (manifest-read), deleted (manifest-delete).
 */
export interface ManifestService {
  /** A NewRepo is created only if the manifest is stored, in the same transaction; `by` makes it a push event. */
  put(repo: Repo | NewRepo, reference: string, bytes: Buffer, contentType: string | undefined, by?: EventOrigin): Promise<PutResult>;
  /** Row of a manifest by tag or digest; throws ManifestUnknown, or Denied when a read lock forbids pulling it. */
  resolve(repo: Repo, reference: string): Promise<StoredManifest>;
  bytes(m: StoredManifest): Promise<Buffer>;
  /**
   * What to send for a client's Accept list: the stored manifest when accepted;
   * for an index the client cannot read, its linux/amd64 image (as Distribution does).
   */
  negotiate(repo: Repo, m: StoredManifest, accept: string[] | null): Promise<StoredManifest>;
  /** By digest: the manifest, its tags and what only it held (see manifest-delete.ts). By tag: only the tag. */
  delete(repo: Repo, reference: string, opts?: Pick<DeleteConditions, "actor" | "origin">): Promise<DeletedManifest[]>;
  referrers(repo: Repo, digest: string, artifactType?: string): Promise<Descriptor[]>;
}

export const manifestService: ManifestService = {
  put: putManifest,
  resolve: resolveManifest,
  bytes: manifestBytesOf,
  negotiate: negotiateManifest,
  delete: deleteManifest,
  referrers: listReferrers,
};
