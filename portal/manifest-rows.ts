import { isIndexType } from "@wharf/lib/registry/media-types";
import type { ManifestRow } from "@wharf/lib/services/manifest-list";
import type { Page } from "@wharf/lib/services/paging";
import type { LockFlags } from "@wharf/lib/services/locks";
import { formatBytes, shortDigest, timeText, type TimeText } from "@/components/ui/format";

/**
 * One manifest as the manifests view shows it. Texts are formatted on the server (the page's first page and
 * every later page the list action returns), so hydration sees the same words and no bigint crosses the wire.
 */
export type ManifestItem = {
  digest: string;
  shortDigest: string;
  tags: string[];
  size: string;
  bytes: number;
  platforms: string[];
  artifactType: string | null;
  isIndex: boolean;
  created: TimeText;
  updated: TimeText;
  lastPull: TimeText | null;
  locks: LockFlags;
  /** Deleting it is refused while it is deletable only with its index (an index of this repository names it). */
  inIndex: boolean;
  subjectDigest: string | null;
  /** Why deleting it would be refused (a lock, a write-once tag), or null: no tick box then. */
  deleteBlocked: string | null;
};

export type ManifestItemPage = { items: ManifestItem[]; nextCursor: string | null; total: number };

export function manifestItem(m: ManifestRow, now = Date.now()): ManifestItem {
  return {
    digest: m.digest,
    shortDigest: shortDigest(m.digest),
    tags: m.tags,
    size: formatBytes(m.size),
    bytes: Number(m.size),
    platforms: m.platforms ?? [],
    artifactType: m.artifactType && !m.artifactType.includes("image.config") ? m.artifactType : null,
    isIndex: isIndexType(m.mediaType),
    created: timeText(m.createdTime, now),
    updated: timeText(m.lastUpdateTime, now),
    lastPull: m.lastPulledAt ? timeText(m.lastPulledAt, now) : null,
    locks: m.locks,
    inIndex: m.referencedByIndex,
    subjectDigest: m.subjectDigest,
    deleteBlocked: m.deleteBlocked,
  };
}

export function manifestItemPage(page: Page<ManifestRow>): ManifestItemPage {
  const now = Date.now();
  return { items: page.items.map((m) => manifestItem(m, now)), nextCursor: page.nextCursor, total: page.total };
}

export const MANIFEST_FILTERS = ["all", "tagged", "untagged"] as const;
export type ManifestFilterName = (typeof MANIFEST_FILTERS)[number];
