import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { checkUserPassword } from "@wharf/lib/auth/credentials";
import { loginThrottleState, recordLoginFailure } from "@wharf/lib/auth/login-throttle";

/** Thrown from authorize() when the caller's address is blocked; the sign-in action turns it into a message. */
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
        const address = clientAddressOf(request.headers);
        // Refuse before checking the password, so a blocked address learns nothing.
        if ((await loginThrottleState(address)).blocked) throw new LoginThrottled();
        const parsed = credentialsSchema.safeParse(credentials);
        const user = parsed.success ? await checkUserPassword(parsed.data.username, parsed.data.password) : null;
        if (user) return { id: user.id, name: user.username };
        if ((await recordLoginFailure(address)).blocked) throw new LoginThrottled();
        return null;
      },
    }),
  ],
});
