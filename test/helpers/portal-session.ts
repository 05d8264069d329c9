import type { Wharf } from "./wharf";

/**
 * Signs in through next-auth's own credentials endpoint, as the portal's form
 * does: CSRF token and cookie first, then the form post. Answers where next-auth
 * redirects to (`…error=CredentialsSignin…`, `…code=throttled…`, or the portal)
 * and the session cookie when one was set.
 */
export async function portalSignIn(w: Wharf, username: string, password: string): Promise<{ location: string; session: string | null }> {
  return (await portalSignInForm(w))(username, password);
}

/**
 * Fetches the CSRF token and cookie first and answers a function that posts the
 * form, so a test can fire many sign-ins at the same moment.
 */
export async function portalSignInForm(w: Wharf): Promise<(username: string, password: string) => Promise<{ location: string; session: string | null }>> {
  const csrf = await fetch(`${w.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return async (username, password) => {
    const r = await fetch(`${w.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams({ csrfToken, username, password }),
    });
    await r.arrayBuffer();
    const session = r.headers.getSetCookie().find((c) => /^(__Secure-)?authjs\.session-token=/.test(c));
    return { location: r.headers.get("location") ?? "", session: session ? session.split(";")[0] : null };
  };
}

/** The signed-in user's name according to /api/auth/session, or null when the session is gone. */
export async function sessionUser(w: Wharf, session: string): Promise<string | null> {
  const r = await fetch(`${w.url}/api/auth/session`, { headers: { Cookie: session } });
  const body = (await r.json()) as { user?: { name?: string } } | null;
  return body?.user?.name ?? null;
}
