import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { basicAuth, type Wharf } from "./wharf";

/**
 * Access-control test helpers. The server is another process; tests create users,
 * roles, tokens and settings with the real lib/ services pointed at the server's
 * data dir (SQLite WAL lets both processes write), then go through the real
 * /oauth2/token and /v2 endpoints.
 */
export function useServerDatabase(w: Pick<Wharf, "dataDir" | "env">): void {
  startContext(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir }));
}

export type TokenAnswer = { status: number; body: Record<string, unknown>; token: string | null; access: { type: string; name: string; actions: string[] }[] };

/** GET /oauth2/token with Basic credentials (or none) for the given scopes. */
export async function getToken(w: Wharf, scopes: string[], creds?: { user: string; password: string }): Promise<TokenAnswer> {
  const q = new URLSearchParams({ service: w.host });
  for (const s of scopes) q.append("scope", s);
  const r = await fetch(`${w.url}/oauth2/token?${q}`, { headers: creds ? { Authorization: basicAuth(creds.user, creds.password) } : {} });
  return answer(r);
}

/** POST /oauth2/token with an OAuth2 form (grant_type=password or refresh_token). */
export async function postToken(w: Wharf, form: Record<string, string>, scopes: string[] = []): Promise<TokenAnswer> {
  const body = new URLSearchParams({ service: w.host, ...form });
  for (const s of scopes) body.append("scope", s);
  const r = await fetch(`${w.url}/oauth2/token`, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  return answer(r);
}

async function answer(r: Response): Promise<TokenAnswer> {
  const body = (await r.json()) as Record<string, unknown>;
  const token = typeof body.access_token === "string" ? body.access_token : null;
  return { status: r.status, body, token, access: token ? claimsOf(token).access : [] };
}

/** The (unverified) claims of a JWT, for assertions about what was granted. */
export function claimsOf(jwt: string): { access: { type: string; name: string; actions: string[] }[]; [k: string]: unknown } {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
}

/** The OCI error code of a response body. */
export async function errorCode(r: Response): Promise<string> {
  const body = (await r.json()) as { errors?: { code: string }[] };
  return body.errors?.[0]?.code ?? "";
}
