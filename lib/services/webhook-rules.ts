import { invalid } from "../core/errors";
import { WEBHOOK_ACTIONS, type WebhookAction } from "../registry/events";

/**
 * What `az acr webhook create` accepts, checked before anything is stored, each refusal saying what to type
 * instead; and the retry schedule of a delivery. Pure functions, so they are tested without a database.
 */

export const WEBHOOK_NAME_RULE = "A webhook name is 5 to 50 letters and digits (no hyphens or other characters), e.g. 'buildhook'.";
const MAX_URI = 2048;
const MAX_HEADERS = 20;
const MAX_HEADER_VALUE = 1024;

export function checkWebhookName(value: unknown): string {
  const name = String(value ?? "").trim();
  if (!/^[a-zA-Z0-9]{5,50}$/.test(name)) throw invalid(`'${name}' is not a webhook name. ${WEBHOOK_NAME_RULE}`, "name");
  return name;
}

/** An absolute http(s) URL; its display form drops credentials and the query (both may carry secrets). */
export function checkWebhookUri(value: unknown): { uri: string; display: string } {
  const uri = String(value ?? "").trim();
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid(`The service URI must be an absolute http:// or https:// URL such as https://ci.example.com/hooks/wharf; got '${uri}'.`, "uri");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(`The service URI must use http or https, not ${url.protocol.replace(":", "")}.`, "uri");
  if (uri.length > MAX_URI) throw invalid(`The service URI is longer than ${MAX_URI} characters.`, "uri");
  return { uri: url.toString(), display: `${url.protocol}//${url.host}${url.pathname}` };
}

/** `--actions push delete` (or "push,delete"): a subset of push and delete, refusing what Wharf does not fire. */
export function checkWebhookActions(value: unknown): WebhookAction[] {
  const words = (Array.isArray(value) ? value : String(value ?? "").split(/[\s,]+/)).map((w) => String(w).trim().toLowerCase()).filter(Boolean);
  if (!words.length) throw invalid("Name at least one action: --actions push delete (push, delete or both).", "actions");
  const out = new Set<WebhookAction>();
  for (const w of words) {
    if (w === "quarantine") throw invalid("Wharf has no quarantine yet, so no 'quarantine' events fire; use push and/or delete.", "actions");
    if (w === "chart_push" || w === "chart_delete") {
      throw invalid(`Helm charts are OCI artifacts in Wharf: pushing or deleting one fires 'push' or 'delete'. Use ${w === "chart_push" ? "push" : "delete"} instead of ${w}.`, "actions");
    }
    if (!(WEBHOOK_ACTIONS as readonly string[]).includes(w)) throw invalid(`'${w}' is not a webhook action; use push and/or delete.`, "actions");
    out.add(w as WebhookAction);
  }
  return WEBHOOK_ACTIONS.filter((a) => out.has(a));
}

/** ACR's scope: "" (every repository), "repo" (its latest tag), "repo:tag" or "repo:*"; `*` may stand for any run of characters. */
export function checkWebhookScope(value: unknown): string {
  const scope = String(value ?? "").trim();
  if (!scope) return "";
  const colon = scope.lastIndexOf(":");
  const repo = colon < 0 ? scope : scope.slice(0, colon);
  const tag = colon < 0 ? "latest" : scope.slice(colon + 1);
  const repoOk = /^[a-z0-9*]+(?:(?:[._]|__|-+|\/)[a-z0-9*]+)*$/.test(repo) || repo === "*";
  const tagOk = /^[\w*][\w.*-]{0,127}$/.test(tag);
  if (!repoOk || !tagOk) throw invalid(`'${scope}' is not a scope. Write repository:tag, repository:* for every tag, or repository alone for its latest tag, e.g. 'hello-world:*'.`, "scope");
  return scope;
}

/** `--headers K=V …`: HTTP header names and values that fit in a request, none that Wharf itself sets. */
export function checkWebhookHeaders(value: unknown): Record<string, string> {
  const entries: [string, string][] = Array.isArray(value)
    ? value.map((w) => String(w)).filter(Boolean).map((w) => {
        const eq = w.indexOf("=");
        if (eq < 1) throw invalid(`'${w}' is not a header: write Name=value, e.g. Authorization='Bearer abc'.`, "headers");
        return [w.slice(0, eq).trim(), w.slice(eq + 1)] as [string, string];
      })
    : Object.entries((value ?? {}) as Record<string, string>).map(([k, v]) => [k.trim(), String(v)]);
  if (entries.length > MAX_HEADERS) throw invalid(`At most ${MAX_HEADERS} custom headers; got ${entries.length}.`, "headers");
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(k)) throw invalid(`'${k}' is not an HTTP header name (letters, digits and -).`, "headers");
    const lower = k.toLowerCase();
    if (lower.startsWith("x-wharf-") || ["content-type", "content-length", "host", "connection", "transfer-encoding"].includes(lower)) {
      throw invalid(`Header '${k}' is set by Wharf itself; choose another name.`, "headers");
    }
    if (v.length > MAX_HEADER_VALUE || /[\r\n\0]/.test(v)) throw invalid(`The value of header '${k}' must be one line of at most ${MAX_HEADER_VALUE} characters.`, "headers");
    out[k] = v;
  }
  return out;
}

export function checkWebhookStatus(value: unknown): "enabled" | "disabled" {
  const s = String(value ?? "enabled").trim().toLowerCase();
  if (s !== "enabled" && s !== "disabled") throw invalid(`The status is 'enabled' or 'disabled'; got '${s}'.`, "status");
  return s;
}

const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 3_600_000;

/**
 * When to try again after `attempts` failed tries: 10 s doubling up to an hour; null once the next try would fall
 * after the retry window that began with the first attempt (the delivery is then dead).
 */
export function nextRetryAt(firstAttemptAt: Date, attempts: number, now: Date, retryWindowSeconds: number): Date | null {
  const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  const deadline = firstAttemptAt.getTime() + retryWindowSeconds * 1000;
  if (now.getTime() >= deadline) return null;
  return new Date(Math.min(now.getTime() + wait, deadline));
}
