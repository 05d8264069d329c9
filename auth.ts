import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { checkUserPassword } from "@wharf/lib/auth/credentials";
import { credentialState } from "@wharf/lib/auth/credential-state";
import { guardedPasswordCheck, isLoginRefusal } from "@wharf/lib/auth/login-guard";
import { recordSignIn } from "@wharf/lib/services/activity";
import { noteCredentialUse } from "@wharf/lib/auth/last-used";

declare module "next-auth" {
  interface User {
    /** Fingerprint of the password the user signed in with (credential-state.ts). */
    credential?: string;
  }
}

/** Thrown from authorize() when the attempt is refused; the sign-in action turns it into a message. */
export class LoginThrottled extends CredentialsSignin {
  code = LOGIN_THROTTLED;
}
export const LOGIN_THROTTLED = "throttled";

const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/**
 * server.ts sets x-wharf-client-ip on every portal request (overwriting anything a
 * client sent). Without it (e.g. `next dev` on its own) all callers share one bucket.
 */
export function clientAddressOf(headers: Headers): string {
  return headers.get("x-wharf-client-ip") ?? "unknown";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  callbacks: {
    ...authConfig.callbacks,
    /**
     * At sign-in the session remembers which password opened it; on every later
     * use it must still be the user's password (and the user still enabled), or the
     * session ends: a reset or a disable signs the user out everywhere within
     * WHARF_REVOCATION_CACHE_SECONDS.
     */
    async jwt({ token, user }) {
      if (user) {
        if (user.name) token.name = user.name;
        token.cred = user.credential;
        return token;
      }
      const state = token.sub ? await credentialState(`user:${token.sub}`, 1) : null;
      return state && typeof token.cred === "string" && state.credential === token.cred ? token : null;
    },
  },
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { username, password } = parsed.data;
        // The guard refuses before hashing when the address's or the username's
        // failure budget is spent, or too many checks are waiting.
        const address = clientAddressOf(request.headers);
        const checked = await guardedPasswordCheck("portal", address, username, password, () => checkUserPassword(username, password));
        if (isLoginRefusal(checked)) throw new LoginThrottled();
        const user = checked.value;
        // Refusals above are not recorded: they are the throttle's answer to a flood, and would let it write rows.
        await recordSignIn(user?.username ?? username, address, !!user).catch(() => undefined);
        if (user) noteCredentialUse({ kind: "user", id: user.id, name: user.username });
        return user ? { id: user.id, name: user.username, credential: user.credential } : null;
      },
    }),
  ],
});
