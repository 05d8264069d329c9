import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

/**
 * First line of defence: a request without a valid session cookie goes to the
 * sign-in page with a way back. The portal layout checks the user against the
 * database again before rendering anything.
 *
 * This only reads the cookie and never re-issues it (next-auth's own proxy
 * wrapper refreshes the cookie on every request, and a prefetch still in flight
 * when the user signs out would then put the session cookie straight back).
 */
const PUBLIC_PATHS = new Set(["/login"]);

async function hasSession(req: NextRequest): Promise<boolean> {
  const secret = process.env.AUTH_SECRET;
  if (!secret) return false;
  // next-auth names the cookie __Secure-… when the portal is reached over https.
  for (const secureCookie of [true, false]) {
    if (await getToken({ req, secret, secureCookie })) return true;
  }
  return false;
}

export async function proxy(req: NextRequest): Promise<NextResponse> {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC_PATHS.has(pathname) || (await hasSession(req))) return NextResponse.next();
  const login = new URL("/login", req.nextUrl);
  if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  // Not: next-auth's own routes, Next's static assets, icons.
  matcher: ["/((?!api/auth|_next/static|_next/image|favicon\\.ico|icon\\.svg|.*\\.(?:png|svg|ico|txt)$).*)"],
};
