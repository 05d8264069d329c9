"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { clientAddressOf, LOGIN_THROTTLED, signIn } from "@/auth";
import { loginRefusalMessage, portalLoginRefusal } from "@wharf/lib/auth/login-throttle";
import { safeCallbackUrl } from "../callback-url";

export type SignInState = {
  error?: string;
  fieldErrors?: { username?: string; password?: string };
  username?: string;
};

const schema = z.object({
  username: z.string().trim().min(1, "Enter your username.").max(64, "Usernames are at most 64 characters."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
  callbackUrl: z.string().optional(),
});

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const parsed = schema.safeParse({
    username: form.get("username") ?? "",
    password: form.get("password") ?? "",
    callbackUrl: form.get("callbackUrl") ?? undefined,
  });
  if (!parsed.success) {
    const fieldErrors: SignInState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "username" || field === "password") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return { fieldErrors, username: String(form.get("username") ?? "") };
  }
  const { username, password, callbackUrl } = parsed.data;
  try {
    // Throttling and the password check happen in auth.ts's authorize(), so the
    // next-auth HTTP endpoint gets exactly the same protection as this form.
    await signIn("credentials", { username, password, redirectTo: safeCallbackUrl(callbackUrl) });
  } catch (err) {
    if (err instanceof AuthError) {
      if ((err as AuthError & { code?: string }).code === LOGIN_THROTTLED) {
        return { username, error: loginRefusalMessage(await portalLoginRefusal(clientAddressOf(await headers()), username)) };
      }
      // Never say whether the username or the password was wrong.
      return { username, error: "Invalid username or password" };
    }
    throw err; // the redirect after a successful sign-in
  }
  return {};
}
