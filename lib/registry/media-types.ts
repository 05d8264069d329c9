export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
/** The artifact manifest of OCI 1.1's release candidates (ORAS 0.16–1.0 push it); withdrawn since, still met in the wild. */
export const OCI_ARTIFACT = "application/vnd.oci.artifact.manifest.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
/** Docker image manifest schema 1, unsigned and signed: not supported (Distribution 3 and ACR refuse it too). */
export const DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
export const DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
export const OCI_EMPTY = "application/vnd.oci.empty.v1+json";

export const MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, OCI_ARTIFACT, DOCKER_MANIFEST, DOCKER_LIST] as const;
export type ManifestMediaType = (typeof MANIFEST_TYPES)[number];

export function isManifestType(t: string | undefined | null): t is ManifestMediaType {
  return !!t && (MANIFEST_TYPES as readonly string[]).includes(t);
}

export function isIndexType(t: string): boolean {
  return t === OCI_INDEX || t === DOCKER_LIST;
}
