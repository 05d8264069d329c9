import { ButtonLink } from "@/components/ui/button";
import { LogoMark } from "@/components/ui/icons";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 text-center">
      <LogoMark className="size-10" />
      <p className="mt-6 text-sm font-medium text-accent">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 max-w-sm text-sm text-muted">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <ButtonLink href="/registries" className="mt-6">
        Go to Registries
      </ButtonLink>
    </main>
  );
}
