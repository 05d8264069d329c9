import fs from "node:fs";
import path from "node:path";
import type { Observed } from "./hostile";
import { ROOT, type Wharf } from "./wharf";

/**
 * Calling the portal's server actions over HTTP, as the browser does: POST to a
 * page that uses the action, header `Next-Action: <id>`, body the JSON array of
 * arguments. Ids come from the build's server-reference manifest.
 */
type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };

export function actionIds(): Map<string, { id: string; page: string }> {
  const file = path.join(ROOT, ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const out = new Map<string, { id: string; page: string }>();
  for (const [id, e] of Object.entries(manifest.node)) out.set(e.exportedName, { id, page: Object.keys(e.workers)[0] });
  return out;
}

/** "app/(portal)/registries/[name]/settings/page" → "/registries/contoso/settings", with the given route params. */
export function pageUrl(worker: string, params: Record<string, string>): string {
  const parts = worker
    .replace(/^app\//, "")
    .replace(/\/page$/, "")
    .split("/")
    .filter((p) => !/^\(.*\)$/.test(p))
    .map((p) => {
      const m = /^\[(?:\.\.\.)?(.+)\]$/.exec(p);
      if (!m) return p;
      if (!(m[1] in params)) throw new Error(`pageUrl: no value for [${m[1]}] in ${worker}`);
      return params[m[1]];
    });
  return `/${parts.join("/")}`;
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header value. */
export async function signIn(w: Wharf, username: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${w.url}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const r = await fetch(`${w.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, username, password }),
  });
  keep(r);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in of ${username} failed: ${r.status}`);
  return cookie();
}

/** What a server action's result code means in HTTP terms, so the harness judges every front door alike. */
const STATUS: Record<string, number> = { INVALID: 400, UNAUTHENTICATED: 401, DENIED: 403, NOT_FOUND: 404, CONFLICT: 409, INTERNAL: 500 };

/**
 * Calls one action. Observed: the result's code (status from STATUS, 200 for
 * ok) and, for refusals, that the message is a non-empty sentence. A signed-out
 * caller sent to /login by the portal's gate counts as UNAUTHENTICATED.
 */
export async function callAction(w: Wharf, cookie: string | null, action: { id: string; url: string }, args: unknown[]): Promise<Observed> {
  const r = await fetch(`${w.url}${action.url}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(args),
  });
  const text = await r.text();
  const location = r.headers.get("location") ?? "";
  if (r.status >= 300 && r.status < 400 && /^(https?:\/\/[^/]+)?\/login(\?|$)/.test(location)) {
    return { status: 401, code: "UNAUTHENTICATED", text: `${r.status} → ${location}` };
  }
  if (r.status !== 200) return { status: r.status, code: null, text: `${r.status} ${text.slice(0, 300)}` };
  const result = actionResult(text);
  if (!result) return { status: 500, code: null, text: `no action result in: ${text.slice(0, 300)}` };
  if (result.ok === true) return { status: 200, code: "OK", text: JSON.stringify(result).slice(0, 300) };
  const code = String(result.code);
  const worded = typeof result.message === "string" && result.message.trim().length > 10;
  return { status: STATUS[code] ?? 500, code: worded ? code : `${code} without a message`, text: JSON.stringify(result).slice(0, 400) };
}

/** The action's return value from the RSC stream: row 0 says which row (`"a":"$@1"`) holds it. */
function actionResult(stream: string): Record<string, unknown> | null {
  const rows = new Map<string, string>();
  for (const line of stream.split("\n")) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  try {
    const head = JSON.parse(rows.get("0") ?? "null") as { a?: unknown } | null;
    const ref = typeof head?.a === "string" && head.a.startsWith("$@") ? head.a.slice(2) : null;
    const body = ref ? rows.get(ref) : null;
    return body ? (JSON.parse(body) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
