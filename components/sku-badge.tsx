import { Badge, type BadgeTone } from "./ui/badge";

const TONES: Record<string, BadgeTone> = { Basic: "neutral", Standard: "accent", Premium: "warning" };

export function SkuBadge({ sku }: { sku: string }) {
  return <Badge tone={TONES[sku] ?? "neutral"}>{sku}</Badge>;
}
