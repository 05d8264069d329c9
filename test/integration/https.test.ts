import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { OciLayout } from "../helpers/oci-layout";
import { podmanKit } from "../helpers/podman";
import { portalSignIn } from "../helpers/portal-session";
import { skopeoSandbox } from "../helpers/skopeo";
import { ADMIN_PASSWORD, runCli, startWharf, type Wharf } from "../helpers/wharf";

const run = promisify(execFile);
const creds = `admin:${ADMIN_PASSWORD}`;

/** curl with the given CA and nothing else trusted; returns status, headers and body. */
async function curl(url: string, ca: string, ...args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const { stdout } = await run("curl", ["-sS", "--cacert", ca, "-D", "-", ...args, url]);
  const [headers, ...body] = stdout.split("\r\n\r\n");
  return { status: Number(/^HTTP\/\S+ (\d+)/.exec(headers)?.[1]), headers, body: body.join("\r\n\r\n") };
}

/** A directory holding `cert` as ca.crt: what skopeo's and podman's --cert-dir want. */
function certDir(cert: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-certdir-"));
  fs.copyFileSync(cert, path.join(dir, "ca.crt"));
  return dir;
}

describe("HTTPS with WHARF_TLS=self-signed", () => {
  let w: Wharf;
  let cert: string;
  let certs: string;
  let layout: OciLayout;
  let sandbox: ReturnType<typeof skopeoSandbox>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-https-"));

  before(async () => {
    w = await startWharf({ env: { WHARF_TLS: "self-signed", WHARF_TLS_HOSTNAMES: "registry.test" } });
    cert = path.join(w.dataDir, "tls", "cert.pem");
    certs = certDir(cert);
    layout = new OciLayout(path.join(tmp, "src"));
    layout.tag({ v1: layout.image({ fileContent: "hello over https\n" }) });
    sandbox = skopeoSandbox("wharf-https-skopeo-", w.output);
    const created = await runCli(w, ["registry", "create", "--name", "contoso", "--sku", "Standard"]);
    assert.equal(created.code, 0, created.stderr);
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (certs) fs.rmSync(certs, { recursive: true, force: true });
  });

  it("generates a certificate for the configured names and says once where it is and how to trust it", () => {
    assert.match(w.url, /^https:/);
    const x509 = new crypto.X509Certificate(fs.readFileSync(cert));
    for (const name of ["DNS:localhost", "IP Address:127.0.0.1", "DNS:registry.test"]) assert.ok(x509.subjectAltName?.includes(name), `${name} in ${x509.subjectAltName}`);
    assert.equal(fs.statSync(path.join(w.dataDir, "tls", "key.pem")).mode & 0o077, 0, "the key is readable by its owner only");
    const out = w.output();
    assert.match(out, /Generated a self-signed certificate/);
    assert.ok(out.includes(cert), "the notice names the file");
    assert.match(out, /certs\.d/);
    assert.match(out, /--cert-dir/);
    assert.match(out, /update-ca-certificates/);
  });

  it("curl trusting the certificate gets 401 with an https token realm; without trusting it, refuses", async () => {
    const res = await curl(`${w.url}/v2/`, cert);
    assert.equal(res.status, 401);
    assert.match(res.headers, new RegExp(`www-authenticate: Bearer realm="https://127\\.0\\.0\\.1:${w.port}/oauth2/token"`, "i"));
    await assert.rejects(run("curl", ["-sS", "--cacert", "/etc/ssl/certs/ca-certificates.crt", `${w.url}/v2/`]), /certificate/i);
  });

  it("an upload's Location is https", async () => {
    const token = JSON.parse((await curl(`${w.url}/oauth2/token?service=127.0.0.1:${w.port}&scope=repository:contoso/loc:push,pull`, cert, "-u", creds)).body).access_token;
    const res = await curl(`${w.url}/v2/contoso/loc/blobs/uploads/`, cert, "-X", "POST", "-H", `Authorization: Bearer ${token}`);
    assert.equal(res.status, 202, res.body);
    assert.match(res.headers, new RegExp(`location: https://127\\.0\\.0\\.1:${w.port}/v2/contoso/loc/blobs/uploads/`, "i"));
  });

  it("skopeo pushes and pulls with TLS verification on, trusting the certificate through --cert-dir", async () => {
    const { skopeo } = sandbox;
    await skopeo("copy", "--dest-creds", creds, "--dest-cert-dir", certs, `oci:${layout.dir}:v1`, `docker://${w.host}/contoso/hello:v1`);
    const out = path.join(tmp, "pulled");
    await skopeo("copy", "--src-creds", creds, "--src-cert-dir", certs, `docker://${w.host}/contoso/hello:v1`, `oci:${out}:v1`);
    assert.equal(OciLayout.readTagged(out, "v1")?.digest, OciLayout.readTagged(layout.dir, "v1")?.digest);
    // Verification is on: without the certificate the same pull is refused.
    await assert.rejects(skopeo("copy", "--src-creds", creds, `docker://${w.host}/contoso/hello:v1`, `oci:${path.join(tmp, "refused")}:v1`), /certificate/i);
  });

  it("podman logs in and pushes with --cert-dir", async () => {
    const kit = podmanKit({ context: () => `--- server output ---\n${w.output().slice(-3000)}` });
    try {
      await kit.podman("login", "--cert-dir", certs, "-u", "admin", "-p", ADMIN_PASSWORD, w.host);
      await kit.build("hello:v1", "hello from podman over https\n");
      await kit.podman("push", "--cert-dir", certs, "localhost/hello:v1", `docker://${w.host}/contoso/podman:v1`);
      const token = JSON.parse((await curl(`${w.url}/oauth2/token?service=127.0.0.1:${w.port}&scope=repository:contoso/podman:pull`, cert, "-u", creds)).body).access_token;
      const listed = await curl(`${w.url}/v2/contoso/podman/tags/list`, cert, "-H", `Authorization: Bearer ${token}`);
      assert.deepEqual(JSON.parse(listed.body).tags, ["v1"]);
    } finally {
      await kit.cleanup();
    }
  });

  it("the portal signs in over HTTPS and its overview shows podman commands without --tls-verify=false", async () => {
    const jar = path.join(tmp, "cookies");
    const { csrfToken } = JSON.parse((await curl(`${w.url}/api/auth/csrf`, cert, "-c", jar)).body);
    const signIn = await curl(`${w.url}/api/auth/callback/credentials`, cert, "-b", jar, "-c", jar, "--data-urlencode", `csrfToken=${csrfToken}`, "--data-urlencode", "username=admin", "--data-urlencode", `password=${ADMIN_PASSWORD}`);
    assert.equal(signIn.status, 302);
    assert.doesNotMatch(signIn.headers, /error=/);
    const page = (await curl(`${w.url}/registries/contoso`, cert, "-b", jar)).body;
    assert.ok(page.includes(`podman login ${w.host}`), "the overview shows podman's sign-in command");
    assert.ok(page.includes(`podman push ${w.host}/contoso/hello-world:v1`));
    assert.doesNotMatch(page, /tls-verify/);
    assert.doesNotMatch(page, /insecure-registries/);
  });

  it("a restart reuses the same certificate and says nothing about generating one", async () => {
    const before = fs.readFileSync(cert, "utf8");
    w = await w.restart();
    assert.equal(fs.readFileSync(cert, "utf8"), before);
    assert.doesNotMatch(w.output(), /Generated a self-signed certificate/);
    assert.equal((await curl(`${w.url}/v2/`, cert)).status, 401);
  });
});

describe("HTTPS with WHARF_TLS_CERT and WHARF_TLS_KEY", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-own-cert-"));
  const cert = path.join(dir, "own.crt");
  const key = path.join(dir, "own.key");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    await run("/usr/bin/openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", key, "-out", cert,
      "-subj", "/CN=own-test", "-addext", "subjectAltName=IP:127.0.0.1",
    ]);
  });

  it("serves the operator's certificate", async () => {
    const w = await startWharf({ env: { WHARF_TLS_CERT: cert, WHARF_TLS_KEY: key } });
    try {
      assert.match(w.url, /^https:/);
      const res = await curl(`${w.url}/v2/`, cert);
      assert.equal(res.status, 401);
      assert.match(res.headers, /realm="https:/i);
      assert.ok(!fs.existsSync(path.join(w.dataDir, "tls")), "nothing is generated when files are given");
    } finally {
      await w.stop();
    }
  });

  it("a missing key file stops start-up with an error naming the variable and the path", async () => {
    const missing = path.join(dir, "nope.key");
    await assert.rejects(startWharf({ env: { WHARF_TLS_CERT: cert, WHARF_TLS_KEY: missing } }), (err: Error) => {
      assert.match(err.message, /WHARF_TLS_KEY: cannot read .*nope\.key.*no such file/);
      return true;
    });
  });

  it("a certificate without its key is refused: both or neither", async () => {
    await assert.rejects(startWharf({ env: { WHARF_TLS_CERT: cert } }), /WHARF_TLS_CERT is set but WHARF_TLS_KEY is not/);
  });
});

describe("plain HTTP stays as it was", () => {
  it("the overview's podman commands carry --tls-verify=false and Docker's insecure-registries note", async () => {
    const w = await startWharf();
    try {
      assert.match(w.url, /^http:/);
      assert.equal((await runCli(w, ["registry", "create", "--name", "contoso"])).code, 0);
      const { session } = await portalSignIn(w, "admin", ADMIN_PASSWORD);
      assert.ok(session, "signed in");
      const page = await (await fetch(`${w.url}/registries/contoso`, { headers: { Cookie: session } })).text();
      assert.ok(page.includes(`podman login --tls-verify=false ${w.host}`), "podman's sign-in works as shown over HTTP");
      assert.ok(page.includes(`podman push --tls-verify=false ${w.host}/contoso/hello-world:v1`));
      assert.match(page, /insecure-registries/);
      assert.ok(!fs.existsSync(path.join(w.dataDir, "tls")), "no certificate is generated");
    } finally {
      await w.stop();
    }
  });
});

describe("connection caps under HTTPS", () => {
  it("a connection over the per-address cap gets its 429 over TLS, not cleartext", async () => {
    const w = await startWharf({ env: { WHARF_TLS: "self-signed", WHARF_MAX_CONNECTIONS_PER_ADDRESS: "1" } });
    const ca = fs.readFileSync(path.join(w.dataDir, "tls", "cert.pem"));
    const open = () =>
      new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ host: "127.0.0.1", port: w.port, ca, servername: "localhost" }, () => resolve(s));
        s.once("error", reject);
      });
    const held = await open();
    try {
      const refused = await open();
      const answer = await new Promise<string>((resolve, reject) => {
        let text = "";
        refused.on("data", (d) => (text += d));
        refused.once("end", () => resolve(text));
        refused.once("error", reject);
      });
      assert.match(answer, /^HTTP\/1\.1 429 /);
      assert.match(answer, /already holds 1 open connections/);
    } finally {
      held.destroy();
      await w.stop();
    }
  });
});
