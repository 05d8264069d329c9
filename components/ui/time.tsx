import type { TimeText } from "./format";

/** A relative time with the exact moment on hover. */
export function Time({ t }: { t: TimeText }) {
  return (
    <time dateTime={t.iso} title={t.title}>
      {t.text}
    </time>
  );
}
