import { parseDigest } from "../core/digest";

/**
 * The whole layout of bytes at rest, relative to the storage driver's root:
 *
 *   <alg>/<hex[0:2]>/<hex>/data   content-addressed bytes (layers, configs, manifests), stored once
 *   _uploads/<uuid>/data          bytes of an upload session in progress
 *
 * Which repository may see which blob lives in the database (BlobLink), not here.
 */
export function blobDataPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}/${hex.slice(0, 2)}/${hex}/data`;
}

export function blobDir(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}/${hex.slice(0, 2)}/${hex}`;
}

export const UPLOADS_DIR = "_uploads";

export function uploadDataPath(uuid: string): string {
  return `${UPLOADS_DIR}/${uuid}/data`;
}

export function uploadDir(uuid: string): string {
  return `${UPLOADS_DIR}/${uuid}`;
}
