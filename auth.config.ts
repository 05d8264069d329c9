import type { NextAuthConfig } from "next-auth";

/**
 * The part of the next-auth configuration that needs no database (pages, session
 * strategy, token/session shape). auth.ts adds the providers backed by lib/auth and
 * a jwt callback that ends a session whose password was reset or user disabled.
 */
export const authConfig = {
  pages: { signIn: "/login" },
  // JWT sessions: signed with AUTH_SECRET (kept in the data dir by server.ts), so
  // they survive restarts and need no session table. A session lasts 12 hours from
  // sign-in (proxy.ts deliberately does not slide it; see there).
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.name) token.name = user.name;
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        session.user.id = token.sub ?? "";
        session.user.name = token.name ?? "";
      }
      return session;
    },
  },
  logger: {
    // A wrong password is a normal event, not a server error worth a stack trace.
    error(error) {
      const type = (error as { type?: string }).type;
      if (type === "CredentialsSignin") return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
  },
} satisfies NextAuthConfig;
