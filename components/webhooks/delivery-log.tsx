"use client";

import { redeliverWebhookAction } from "@/portal/actions/webhook-actions";
import { Badge, type BadgeTone } from "../ui/badge";
import { useAction } from "../use-action";
import { GuardedButton } from "../cache/guarded-button";
import { When } from "../cache/when";
import type { AttemptRow, DeliveryRow } from "./overview";
import { webhooksQueryKey } from "./query-key";

const TONES: Record<string, BadgeTone> = { delivered: "success", pending: "warning", dead: "danger" };

/** A webhook's recent deliveries, each opening to the request and response of every attempt. */
export function DeliveryLog({ registry, hook, deliveries, cannotChange }: { registry: string; hook: string; deliveries: DeliveryRow[]; cannotChange: string | null }) {
  const redeliver = useAction(redeliverWebhookAction, { invalidate: [webhooksQueryKey(registry)], success: "Queued the delivery again." });
  if (!deliveries.length) return <p className="px-5 py-3 text-[13px] text-muted">No deliveries yet. Ping the webhook, or push to a repository its scope covers.</p>;
  return (
    <ul className="divide-y divide-line border-t border-line" aria-label={`Delivery log of ${hook}`}>
      {deliveries.map((d) => (
        <li key={d.id} data-delivery={d.id} className="px-5 py-2">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-[13px]">
              <Badge tone={TONES[d.status] ?? "neutral"}>{d.status}</Badge>
              <span className="font-medium text-fg">{d.action}</span>
              <span className="font-mono text-muted">{target(d.payload)}</span>
              <span className="text-muted">{d.attempts} attempt{d.attempts === 1 ? "" : "s"}{d.log.at(-1) ? ` · last: ${answer(d.log.at(-1)!)}` : ""}</span>
              <span className="text-muted"><When iso={d.createdAt} /></span>
              {d.redeliveryOf ? <span className="text-muted">(redelivery)</span> : null}
              <span className="ml-auto">
                <GuardedButton size="sm" variant="ghost" cannot={cannotChange} pending={redeliver.pending && redeliver.variables?.delivery === d.id} onClick={() => redeliver.run({ registry, name: hook, delivery: d.id })} aria-label={`Redeliver ${d.id}`}>
                  Redeliver
                </GuardedButton>
              </span>
            </summary>
            <div className="mt-2 space-y-3 text-[13px]">
              <Block title="Payload">{JSON.stringify(d.payload, null, 2)}</Block>
              {d.status === "pending" && d.nextAttemptAt ? <p className="text-muted">Next attempt <When iso={d.nextAttemptAt} />.</p> : null}
              {d.log.map((a, i) => (
                <div key={a.at + i} data-attempt={i + 1} className="rounded-md border border-line p-3">
                  <p className="font-medium text-fg">Attempt {i + 1} · <When iso={a.at} /> · {a.durationMs} ms · {answer(a)}</p>
                  <Block title="Request headers">{lines(a.requestHeaders)}</Block>
                  {a.responseHeaders ? <Block title="Response headers">{lines(a.responseHeaders)}</Block> : null}
                  {a.responseBody ? <Block title="Response body">{a.responseBody}</Block> : null}
                  {a.error ? <p className="mt-1 text-danger">{a.error}</p> : null}
                </div>
              ))}
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}

function answer(a: AttemptRow): string {
  return a.responseStatus !== null ? `HTTP ${a.responseStatus}` : (a.error ?? "no answer");
}

function target(payload: unknown): string {
  const t = (payload as { target?: { repository?: string; tag?: string; digest?: string } }).target;
  if (!t?.repository) return "";
  return t.tag ? `${t.repository}:${t.tag}` : `${t.repository}@${(t.digest ?? "").slice(0, 19)}`;
}

const lines = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join("\n");

function Block({ title, children }: { title: string; children: string }) {
  return (
    <div className="mt-2">
      <p className="text-[12px] text-muted">{title}</p>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-sunken p-2 font-mono text-[12px] whitespace-pre-wrap break-all">{children}</pre>
    </div>
  );
}
