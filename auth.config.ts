import type { NextAuthConfig } from "next-auth";

/**
 * The part of the next-auth configuration that needs no database: shared by
 * proxy.ts (which only reads the session cookie) and auth.ts (which adds the
 * credentials provider backed by lib/users).
 */
export const authConfig = {
  pages: { signIn: "/login" },
  // JWT sessions: signed with AUTH_SECRET (kept in the data dir by server.ts), so
  // they survive restarts and need no session table.
  session: { strategy: "jwt", maxAge: 12 * 60 * 60, updateAge: 15 * 60 },
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
