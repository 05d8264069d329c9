import type { IncomingMessage, ServerResponse } from "node:http";
import { checkUserPassword } from "../users";
import { isValidRepositoryName } from "../registry/names";
import { allowedActions, subjectOf, type AccessRequest, type Principal } from "./data-plane-access";
import { issueAccessToken, type AccessEntry } from "./tokens";

/**
 * The Docker token service at /oauth2/token.
 *   GET  ?service=…&scope=repository:<name>:pull,push (repeatable) with HTTP Basic credentials
 *   POST form grant_type=password&username=…&password=…&service=…&scope=… (OAuth2, `docker login`)
 * Grants what was asked ∩ what the principal may do; asking for too much is never an error.
 */
export async function handleTokenRequest(req: IncomingMessage, res: ServerResponse, loginServer: string): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname !== "/oauth2/token") return sendJson(res, 404, oci("UNSUPPORTED", "Unknown token endpoint; use /oauth2/token."));

  let username: string | null = null;
  let password: string | null = null;
  let service: string | null;
  let scopes: string[];
  if (req.method === "GET") {
    service = url.searchParams.get("service");
    scopes = url.searchParams.getAll("scope").flatMap((s) => s.split(" "));
    const basic = parseBasic(req.headers.authorization);
    if (basic === "malformed") return unauthorized(res, "The Authorization header is not valid HTTP Basic credentials.");
    if (basic) ({ username, password } = basic);
  } else if (req.method === "POST") {
    const form = await readForm(req);
    if (!form) return sendJson(res, 400, oauthError("invalid_request", "Send an application/x-www-form-urlencoded body of at most 64 KiB."));
    const grant = form.get("grant_type");
    if (grant !== "password") {
      return sendJson(res, 400, oauthError("unsupported_grant_type", `grant_type '${grant ?? ""}' is not supported; use grant_type=password with username and password.`));
    }
    username = form.get("username");
    password = form.get("password");
    service = form.get("service");
    scopes = form.getAll("scope").flatMap((s) => s.split(" "));
  } else {
    res.setHeader("Allow", "GET, POST");
    return sendJson(res, 405, oci("UNSUPPORTED", "Use GET (HTTP Basic) or POST (OAuth2 form) on /oauth2/token."));
  }

  if (service && service !== loginServer) {
    return sendJson(res, 400, oci("UNSUPPORTED", `This token service issues tokens for service '${loginServer}', not '${service}'. Log in to ${loginServer}.`));
  }
  if (username === null || password === null || username === "") {
    return unauthorized(res, `Authentication required: log in with a Wharf user (docker login ${loginServer}).`);
  }
  const user = await checkUserPassword(username, password);
  if (!user) return unauthorized(res, "The username or password is incorrect. Check them and log in again.");

  const principal: Principal = { kind: "user", username: user.username };
  const access: AccessEntry[] = [];
  for (const request of parseScopes(scopes)) {
    const actions = await allowedActions(principal, request);
    if (actions.length) access.push({ type: request.type, name: request.name, actions });
  }
  const { token, expiresIn, issuedAt } = await issueAccessToken({ subject: subjectOf(principal), audience: loginServer, access });
  sendJson(res, 200, { token, access_token: token, expires_in: expiresIn, issued_at: issuedAt });
}

/**
 * `repository:<name>:<a,b>`, `repository(plugin):<name>:<a>`, `registry:catalog:*`.
 * Malformed scopes and invalid names are skipped (granted nothing).
 */
export function parseScopes(scopes: string[]): AccessRequest[] {
  const merged = new Map<string, AccessRequest>();
  for (const raw of scopes) {
    const s = raw.trim();
    const first = s.indexOf(":");
    const last = s.lastIndexOf(":");
    if (first <= 0 || last === first) continue;
    const type = s.slice(0, first).replace(/\(.*\)$/, "");
    const name = s.slice(first + 1, last);
    const actions = s.slice(last + 1).split(",").map((a) => a.trim()).filter(Boolean);
    if (!actions.length) continue;
    if (type === "repository" && !isValidRepositoryName(name)) continue;
    if (type === "registry" && name !== "catalog") continue;
    if (type !== "repository" && type !== "registry") continue;
    const key = `${type}\0${name}`;
    const prev = merged.get(key);
    merged.set(key, { type, name, actions: [...new Set([...(prev?.actions ?? []), ...actions])] });
  }
  return [...merged.values()];
}

function parseBasic(header: string | undefined): { username: string; password: string } | null | "malformed" {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return /^Basic/i.test(header) ? "malformed" : null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > 64 * 1024) return null;
    parts.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(parts).toString("utf8"));
}

function oci(code: string, message: string) {
  return { errors: [{ code, message, detail: null }] };
}

function oauthError(error: string, description: string) {
  return { error, error_description: description, ...oci(error === "invalid_grant" ? "UNAUTHORIZED" : "UNSUPPORTED", description) };
}

function unauthorized(res: ServerResponse, message: string): void {
  res.setHeader("WWW-Authenticate", 'Basic realm="Wharf token service"');
  sendJson(res, 401, { ...oci("UNAUTHORIZED", message), error: "invalid_grant", error_description: message });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
