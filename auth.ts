import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { checkUserPassword } from "@wharf/lib/auth/credentials";
import { guardedPasswordCheck, isLoginRefusal } from "@wharf/lib/auth/login-guard";

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
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { username, password } = parsed.data;
        // The guard refuses before hashing when the address's or the username's
        // failure budget is spent, or too many checks are waiting.
        const checked = await guardedPasswordCheck("portal", clientAddressOf(request.headers), username, () => checkUserPassword(username, password));
        if (isLoginRefusal(checked)) throw new LoginThrottled();
        const user = checked.value;
        return user ? { id: user.id, name: user.username } : null;
      },
    }),
  ],
});
