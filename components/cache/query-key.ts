/** The Cache tab's query: polled by the tab, invalidated by every dialog that changes rules or sets. */
export const cacheQueryKey = (registry: string) => ["cache", registry] as const;
