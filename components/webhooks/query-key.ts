/** The Webhooks tab's query: polled by the tab, invalidated by every action that changes webhooks or deliveries. */
export const webhooksQueryKey = (registry: string) => ["webhooks", registry] as const;
