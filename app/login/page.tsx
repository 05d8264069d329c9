import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { LogoMark } from "@/components/ui/icons";
import { Code } from "@/components/ui/code";
import { safeCallbackUrl } from "@/portal/callback-url";
import { currentUser } from "@/portal/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const { callbackUrl } = await searchParams;
  const target = safeCallbackUrl(Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl);
  if (await currentUser()) redirect(target);

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-[380px]">
        <div className="mb-8 flex flex-col items-center text-center">
          <LogoMark className="size-11" />
          <h1 className="mt-5 text-2xl font-semibold tracking-tight">Sign in to Wharf</h1>
          <p className="mt-1.5 text-sm text-muted">Manage your container registries.</p>
        </div>
        <div className="rounded-xl border border-line bg-surface p-6 shadow-card sm:p-7">
          <LoginForm callbackUrl={target} />
        </div>
        <p className="mt-6 text-center text-[13px] leading-relaxed text-subtle">
          First start? The <Code>admin</Code> password was printed once in the server log, or set with{" "}
          <Code>WHARF_ADMIN_PASSWORD</Code>.
        </p>
      </div>
    </main>
  );
}
