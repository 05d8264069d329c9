import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import type { Config } from "../core/config";

const run = promisify(execFile);

export type TlsFiles = {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  /** Set when this start generated the certificate: how to trust it, said once. */
  generatedNotice?: string;
};

/** The certificate and key the port serves, or null for plain HTTP. */
export async function loadTls(cfg: Config): Promise<TlsFiles | null> {
  if (cfg.tls.mode === "off") return null;
  if (cfg.tls.mode === "files") {
    return { cert: fs.readFileSync(cfg.tls.certFile), key: fs.readFileSync(cfg.tls.keyFile), certFile: cfg.tls.certFile };
  }
  return selfSigned(cfg);
}

/** Names the generated certificate must cover: loopback, the public URL's host, the registry domain and its hosts, extras. */
export function certificateNames(cfg: Config): string[] {
  const names = ["localhost", "127.0.0.1", "::1"];
  if (cfg.WHARF_PUBLIC_URL) names.push(new URL(cfg.WHARF_PUBLIC_URL).hostname.replace(/^\[|\]$/g, ""));
  if (cfg.WHARF_REGISTRY_DOMAIN) {
    const domain = cfg.WHARF_REGISTRY_DOMAIN.replace(/:\d+$/, "");
    names.push(domain, `*.${domain}`);
  }
  if (cfg.HOST !== "0.0.0.0" && cfg.HOST !== "::") names.push(cfg.HOST);
  names.push(...cfg.WHARF_TLS_HOSTNAMES);
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

/**
 * Generated once into <dataDir>/tls and reused, so a client trusts it once. A certificate that no longer covers
 * every configured name (a new WHARF_PUBLIC_URL, say) or expires within 30 days is replaced, and the notice says so.
 */
async function selfSigned(cfg: Config): Promise<TlsFiles> {
  const dir = path.join(cfg.dataDir, "tls");
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  const names = certificateNames(cfg);
  let replaced: string | null = null;
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const cert = fs.readFileSync(certFile);
    const problem = stale(cert, names);
    if (!problem) return { cert, key: fs.readFileSync(keyFile), certFile };
    replaced = problem;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written beside the final names and renamed: a node sharing the data dir never reads half a file.
  const tmp = path.join(dir, `.new-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
  try {
    await run("/usr/bin/openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-sha256", "-days", "825",
      "-keyout", `${tmp}.key`, "-out", `${tmp}.crt`,
      "-subj", "/O=Wharf/CN=Wharf self-signed",
      "-addext", `subjectAltName=${names.map((n) => (net.isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(",")}`,
      // Clients are told to trust this very certificate as a CA (Docker's certs.d/ca.crt), so it says it is one.
      "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
      "-addext", "extendedKeyUsage=serverAuth",
    ]);
    fs.chmodSync(`${tmp}.key`, 0o600);
    fs.renameSync(`${tmp}.key`, keyFile);
    fs.renameSync(`${tmp}.crt`, certFile);
  } catch (err) {
    fs.rmSync(`${tmp}.key`, { force: true });
    fs.rmSync(`${tmp}.crt`, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`WHARF_TLS=self-signed: generating a certificate with /usr/bin/openssl failed: ${(e.stderr ?? e.message).trim()}`);
  }
  return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile), certFile, generatedNotice: trustNotice(certFile, names, cfg, replaced) };
}

/** Why an existing certificate cannot be reused, or null. */
function stale(pem: Buffer, names: string[]): string | null {
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(pem);
  } catch {
    return "the stored certificate could not be read";
  }
  if (new Date(cert.validTo).getTime() < Date.now() + 30 * 86_400_000) return `the stored certificate expires on ${cert.validTo}`;
  const has = new Set((cert.subjectAltName ?? "").split(", ").map((s) => s.replace(/^(DNS|IP Address):/, "").toLowerCase()));
  const missing = names.filter((n) => !has.has(n) && !has.has(canonicalIp(n)));
  return missing.length ? `the stored certificate does not cover ${missing.join(", ")}` : null;
}

/** Node prints IPv6 SANs in full form (0:0:…:1). */
function canonicalIp(name: string): string {
  if (net.isIPv6(name)) {
    const sl = new net.SocketAddress({ address: name, family: "ipv6" }).address;
    const [head, tail = ""] = sl.split("::");
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const full = sl.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    return full.map((p) => p.replace(/^0+(?=.)/, "").toUpperCase()).join(":");
  }
  return name;
}

function trustNotice(certFile: string, names: string[], cfg: Config, replaced: string | null): string {
  const host = cfg.WHARF_PUBLIC_URL ? new URL(cfg.WHARF_PUBLIC_URL).host : `HOST:${cfg.PORT}`;
  return [
    `${replaced ? `Replaced the self-signed certificate (${replaced}); clients must trust the new one.` : "Generated a self-signed certificate."}`,
    `It is ${certFile} (names: ${names.join(", ")}). Clients must trust it:`,
    `Docker: copy it to /etc/docker/certs.d/${host}/ca.crt;`,
    `podman/skopeo/buildah: put it as ca.crt in a directory and pass --cert-dir DIR (or /etc/containers/certs.d/${host}/ca.crt);`,
    `the system store: copy it to /usr/local/share/ca-certificates/wharf.crt and run update-ca-certificates.`,
  ].join(" ");
}
