import { headers } from "next/headers";

/**
 * The caller's address as the server sees it: server.ts puts it in x-wharf-client-ip
 * on every portal request (X-Forwarded-For counted only from WHARF_TRUST_PROXY hops,
 * and any client-sent copy of the header removed). Null without server.ts (`next dev`).
 */
export async function portalClientAddress(): Promise<string | null> {
  const address = (await headers()).get("x-wharf-client-ip");
  return address && address !== "unknown" ? address : null;
}
