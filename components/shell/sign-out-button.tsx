"use client";

import { useFormStatus } from "react-dom";
import { signOutAction } from "@/portal/actions/sign-out-action";
import { SignOutIcon, SpinnerIcon } from "../ui/icons";

/**
 * Sign out stays an HTML form (it works before the page's JavaScript has loaded and
 * follows next-auth's redirect); the button shows that it is working meanwhile.
 */
export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Submit />
    </form>
  );
}

function Submit() {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-busy={pending || undefined}
      className="inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium text-nav-fg/80 transition-colors hover:bg-white/10 hover:text-nav-fg disabled:opacity-60"
    >
      {pending ? <SpinnerIcon className="size-4 animate-spin" /> : <SignOutIcon className="size-4" />}
      Sign out
    </button>
  );
}
