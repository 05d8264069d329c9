import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "./auth.config";

/**
 * First line of defence: a request without a valid session cookie goes to the
 * sign-in page with a way back. This only reads the signed cookie; the portal
 * layout checks the user against the database again before rendering anything.
 */
const { auth } = NextAuth(authConfig);

const PUBLIC_PATHS = new Set(["/login"]);

export default auth((req) => {
  const { pathname, search } = req.nextUrl;
  if (req.auth || PUBLIC_PATHS.has(pathname)) return NextResponse.next();
  const login = new URL("/login", req.nextUrl);
  if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(login);
});

export const config = {
  // Not: next-auth's own routes, Next's static assets, icons.
  matcher: ["/((?!api/auth|_next/static|_next/image|favicon\\.ico|icon\\.svg|.*\\.(?:png|svg|ico|txt)$).*)"],
};
