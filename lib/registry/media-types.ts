export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const OCI_EMPTY = "application/vnd.oci.empty.v1+json";

export const MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST] as const;
export type ManifestMediaType = (typeof MANIFEST_TYPES)[number];

export function isManifestType(t: string | undefined | null): t is ManifestMediaType {
  return !!t && (MANIFEST_TYPES as readonly string[]).includes(t);
}

export function isIndexType(t: string): boolean {
  return t === OCI_INDEX || t === DOCKER_LIST;
}

/** Layers that live elsewhere (Windows base layers): the registry does not hold their bytes. */
export function isForeignLayer(mediaType: string | undefined, urls: unknown): boolean {
  return (
    mediaType === "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" ||
    mediaType === "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" ||
    mediaType === "application/vnd.oci.image.layer.nondistributable.v1.tar" ||
    (Array.isArray(urls) && urls.length > 0)
  );
}
