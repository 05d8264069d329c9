"use client";

import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AlertIcon } from "@/components/ui/icons";

export default function PortalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <Card className="mx-auto mt-6 max-w-xl px-6 py-10 text-center" role="alert">
      <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-danger-soft text-danger-soft-fg">
        <AlertIcon className="size-6" />
      </div>
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mx-auto mt-2 max-w-md text-sm text-muted">
        Something went wrong on the server. Try again; if it keeps happening, the Wharf server log has the details
        {error.digest ? (
          <>
            {" "}
            (look for <code className="font-mono text-[0.85em] text-fg">{error.digest}</code>)
          </>
        ) : null}
        .
      </p>
      <div className="mt-6 flex justify-center gap-2">
        <Button onClick={() => retry()}>Try again</Button>
        <ButtonLink href="/registries" variant="secondary">
          Go to Registries
        </ButtonLink>
      </div>
    </Card>
  );
}
