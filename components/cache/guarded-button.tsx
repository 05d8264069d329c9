import type { ComponentProps } from "react";
import { Button } from "../ui/button";
import { DisabledReason } from "../ui/tooltip";

/** A button the caller may lack the right for: disabled, with the reason on hover, focus and for screen readers. */
export function GuardedButton({ cannot, disabled, ...props }: ComponentProps<typeof Button> & { cannot: string | null }) {
  return (
    <DisabledReason reason={cannot}>
      <Button {...props} disabled={disabled || !!cannot} aria-disabled={cannot ? true : undefined} />
    </DisabledReason>
  );
}
