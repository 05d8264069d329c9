import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { startWharf, basicAuth, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";
import { api, createRegistryRow, ociError, rawRequest, sha256, token, type Api } from "../helpers/registry-fixtures";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const ALL = (name: string) => `repository:${name}:pull,push,delete`;

function claimsOf(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
}

describe("OCI data plane over HTTP", () => {
  let w: Wharf;
  let a: Api;

  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
    await createRegistryRow(w, "fabrikam");
    const names = ["contoso/hello", "contoso/other", "contoso/ups", "contoso/mnt", "contoso/mf", "contoso/tags", "contoso/ref", "contoso/neg", "fabrikam/app", "contoso/cat/a", "contoso/cat/b", "contoso/del"];
    a = api(w, await token(w, [...names.map(ALL), "registry:catalog:*"]));
  });
  after(async () => w?.stop());

  describe("authentication", () => {
    it("GET /v2/ without a token: 401 with a Bearer challenge naming realm and service", async () => {
      const r = await fetch(`${w.url}/v2/`);
      assert.equal(r.status, 401);
      assert.equal(r.headers.get("docker-distribution-api-version"), "registry/2.0");
      assert.equal(r.headers.get("www-authenticate"), `Bearer realm="${w.url}/oauth2/token",service="${w.host}"`);
      assert.equal(await ociError(r), "UNAUTHORIZED");
    });

    it("GET /v2/ with a token: 200 {}", async () => {
      const r = await a.fetch("/v2/");
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), {});
      assert.equal(r.headers.get("docker-distribution-api-version"), "registry/2.0");
    });

    it("repository requests without a token get a challenge with the scope they need", async () => {
      let r = await fetch(`${w.url}/v2/contoso/hello/manifests/v1`);
      assert.equal(r.status, 401);
      assert.match(r.headers.get("www-authenticate")!, /scope="repository:contoso\/hello:pull"/);
      r = await fetch(`${w.url}/v2/contoso/hello/blobs/uploads/`, { method: "POST" });
      assert.match(r.headers.get("www-authenticate")!, /scope="repository:contoso\/hello:pull,push"/);
      r = await fetch(`${w.url}/v2/contoso/hello/manifests/v1`, { method: "DELETE" });
      assert.match(r.headers.get("www-authenticate")!, /scope="repository:contoso\/hello:delete"/);
      r = await fetch(`${w.url}/v2/_catalog`);
      assert.match(r.headers.get("www-authenticate")!, /scope="registry:catalog:\*"/);
    });

    it("a token for another repository, or without push, is not enough", async () => {
      const pullOnly = api(w, await token(w, ["repository:contoso/hello:pull"]));
      const r = await pullOnly.fetch("/v2/contoso/hello/blobs/uploads/", { method: "POST" });
      assert.equal(r.status, 401);
      assert.match(r.headers.get("www-authenticate")!, /error="insufficient_scope"/);
      const r2 = await pullOnly.fetch("/v2/contoso/other/tags/list");
      assert.equal(r2.status, 401);
    });

    it("a forged or garbage token is refused", async () => {
      const t = await token(w, [ALL("contoso/hello")]);
      const [h, p] = t.split(".");
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claimsOf(t), sub: "user:evil" })).toString("base64url")}.${t.split(".")[2]}`;
      for (const bad of [forged, "garbage"]) {
        const r = await fetch(`${w.url}/v2/`, { headers: { Authorization: `Bearer ${bad}` } });
        assert.equal(r.status, 401, bad);
      }
      assert.ok(p);
    });
  });

  describe("token endpoint", () => {
    it("GET with Basic credentials: token, access_token, expires_in, issued_at, granted scopes", async () => {
      const q = new URLSearchParams({ service: w.host });
      q.append("scope", "repository:contoso/hello:pull,push");
      q.append("scope", "repository:contoso/hello:delete");
      q.append("scope", "registry:catalog:*");
      q.append("scope", "repository:Contoso/..:pull");
      q.append("scope", "nonsense");
      const r = await fetch(`${w.url}/oauth2/token?${q}`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } });
      assert.equal(r.status, 200);
      const body = (await r.json()) as Record<string, unknown>;
      assert.equal(body.token, body.access_token);
      assert.equal(typeof body.expires_in, "number");
      assert.ok(!Number.isNaN(Date.parse(String(body.issued_at))));
      const c = claimsOf(String(body.token));
      assert.equal(c.aud, w.host);
      assert.equal(c.iss, "wharf");
      assert.deepEqual(c.access, [
        { type: "repository", name: "contoso/hello", actions: ["pull", "push", "delete", "metadata_read", "metadata_write"] },
        { type: "registry", name: "catalog", actions: ["*"] },
      ]);
    });

    it("wrong password or unknown user: 401 with a clear message", async () => {
      for (const [u, p] of [["admin", "nope-nope"], ["ghost", "whatever1"]]) {
        const r = await fetch(`${w.url}/oauth2/token?service=${w.host}&scope=repository:contoso/hello:pull`, { headers: { Authorization: basicAuth(u, p) } });
        assert.equal(r.status, 401);
        const body = (await r.json()) as { errors: { code: string; message: string }[] };
        assert.equal(body.errors[0].code, "UNAUTHORIZED");
        assert.match(body.errors[0].message, /username or password is incorrect/);
      }
    });

    it("anonymous callers get a token that grants nothing while anonymous pull is off", async () => {
      const r = await fetch(`${w.url}/oauth2/token?service=${w.host}&scope=repository:contoso/hello:pull`);
      assert.equal(r.status, 200);
      const body = (await r.json()) as { token: string; refresh_token?: string };
      assert.deepEqual(claimsOf(body.token).access, []);
      assert.equal(body.refresh_token, undefined);
      const m = await fetch(`${w.url}/v2/contoso/hello/tags/list`, { headers: { Authorization: `Bearer ${body.token}` } });
      assert.equal(m.status, 401);
      assert.match(m.headers.get("www-authenticate") ?? "", /error="insufficient_scope"/);
    });

    it("POST OAuth2 form with grant_type=password", async () => {
      const form = new URLSearchParams({ grant_type: "password", username: "admin", password: ADMIN_PASSWORD, service: w.host, scope: "repository:contoso/hello:pull registry:catalog:*", client_id: "docker" });
      const r = await fetch(`${w.url}/oauth2/token`, { method: "POST", body: form });
      assert.equal(r.status, 200);
      const body = (await r.json()) as { access_token: string; expires_in: number };
      assert.deepEqual(claimsOf(body.access_token).access.map((x: { name: string }) => x.name), ["contoso/hello", "catalog"]);
      const ok = await fetch(`${w.url}/v2/contoso/hello/tags/list`, { headers: { Authorization: `Bearer ${body.access_token}` } });
      assert.notEqual(ok.status, 401);

      const bad = await fetch(`${w.url}/oauth2/token`, { method: "POST", body: new URLSearchParams({ ...Object.fromEntries(form), password: "wrong-one" }) });
      assert.equal(bad.status, 401);
      const grant = await fetch(`${w.url}/oauth2/token`, { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials" }) });
      assert.equal(grant.status, 400);
      assert.equal(((await grant.json()) as { error: string }).error, "unsupported_grant_type");
    });

    it("refuses a token for another service", async () => {
      const r = await fetch(`${w.url}/oauth2/token?service=elsewhere.example.com`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } });
      assert.equal(r.status, 400);
    });
  });

  describe("names", () => {
    it("invalid names: NAME_INVALID (checked before authentication, leaks nothing)", async () => {
      for (const p of ["/v2/Contoso/../hello/tags/list", "/v2/contoso/Hello/tags/list", "/v2/contoso//hello/tags/list", "/v2/contoso/tags/list", "/v2/contoso/hello-/manifests/v1"]) {
        const r = await rawRequest(w, { method: "GET", path: p, headers: { Authorization: `Bearer x` } });
        assert.equal(r.status, 400, p);
        assert.equal(JSON.parse(r.body).errors[0].code, "NAME_INVALID", p);
        assert.equal(r.headers["docker-distribution-api-version"], "registry/2.0");
      }
    });

    it("unknown registry or repository: NAME_UNKNOWN", async () => {
      const t = api(w, await token(w, [ALL("nosuchreg/app"), ALL("contoso/never")]));
      let r = await t.fetch("/v2/nosuchreg/app/tags/list");
      assert.equal(r.status, 404);
      assert.equal(await ociError(r), "NAME_UNKNOWN");
      r = await t.fetch("/v2/contoso/never/manifests/latest");
      assert.equal(r.status, 404);
      assert.equal(await ociError(r), "NAME_UNKNOWN");
      r = await t.fetch("/v2/nosuchreg/app/blobs/uploads/", { method: "POST" });
      assert.equal(await ociError(r), "NAME_UNKNOWN");
    });
  });

  describe("blob uploads", () => {
    it("chunked: POST, PATCH with Content-Range, status, stream PATCH, PUT with the last chunk", async () => {
      const data = crypto.randomBytes(300_000);
      let r = await a.fetch("/v2/contoso/ups/blobs/uploads/", { method: "POST" });
      assert.equal(r.status, 202);
      const uuid = r.headers.get("docker-upload-uuid")!;
      let loc = r.headers.get("location")!;
      assert.equal(loc, `${w.url}/v2/contoso/ups/blobs/uploads/${uuid}`);
      assert.equal(r.headers.get("range"), "0-0");

      r = await a.fetch(loc, { method: "PATCH", body: data.subarray(0, 100_000), headers: { "Content-Range": "0-99999", "Content-Type": "application/octet-stream" } });
      assert.equal(r.status, 202);
      assert.equal(r.headers.get("range"), "0-99999");
      loc = r.headers.get("location")!;

      r = await a.fetch(loc, { method: "PATCH", body: data.subarray(0, 10), headers: { "Content-Range": "0-9" } });
      assert.equal(r.status, 416, "out of order");
      assert.equal(await ociError(r), "BLOB_UPLOAD_INVALID");
      r = await a.fetch(loc, { method: "PATCH", body: data.subarray(0, 10), headers: { "Content-Range": "nonsense" } });
      assert.equal(r.status, 416, "malformed");

      r = await a.fetch(loc);
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("range"), "0-99999");
      assert.equal(r.headers.get("docker-upload-uuid"), uuid);

      r = await a.fetch(loc, { method: "PATCH", body: data.subarray(100_000, 200_000) });
      assert.equal(r.status, 202);
      assert.equal(r.headers.get("range"), "0-199999");

      const digest = sha256(data);
      r = await a.fetch(`${loc}?digest=${digest}`, { method: "PUT", body: data.subarray(200_000) });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("location"), `${w.url}/v2/contoso/ups/blobs/${digest}`);
      assert.equal(r.headers.get("docker-content-digest"), digest);

      r = await a.fetch(`/v2/contoso/ups/blobs/${digest}`, { method: "HEAD" });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-length"), String(data.length));
      r = await a.fetch(`/v2/contoso/ups/blobs/${digest}`);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(data));

      r = await a.fetch(loc);
      assert.equal(r.status, 404, "a finished session is gone");
      assert.equal(await ociError(r), "BLOB_UPLOAD_UNKNOWN");
    });

    it("wrong digest on finish: DIGEST_INVALID and nothing stored", async () => {
      const data = crypto.randomBytes(5000);
      const wrong = sha256("something else");
      let r = await a.fetch("/v2/contoso/ups/blobs/uploads/", { method: "POST" });
      const loc = r.headers.get("location")!;
      r = await a.fetch(`${loc}?digest=${wrong}`, { method: "PUT", body: data });
      assert.equal(r.status, 400);
      assert.equal(await ociError(r), "DIGEST_INVALID");
      for (const d of [wrong, sha256(data)]) {
        r = await a.fetch(`/v2/contoso/ups/blobs/${d}`, { method: "HEAD" });
        assert.equal(r.status, 404);
      }
      r = await a.fetch(loc);
      assert.equal(r.status, 404);
      // Monolithic too.
      r = await a.fetch(`/v2/contoso/ups/blobs/uploads/?digest=${wrong}`, { method: "POST", body: data });
      assert.equal(await ociError(r), "DIGEST_INVALID");
      r = await a.fetch(`/v2/contoso/ups/blobs/uploads/?digest=sha256:abc`, { method: "POST", body: data });
      assert.equal(r.status, 400);
      assert.equal(await ociError(r), "DIGEST_INVALID");
    });

    it("PUT without a digest is refused; the session stays usable", async () => {
      let r = await a.fetch("/v2/contoso/ups/blobs/uploads/", { method: "POST" });
      const loc = r.headers.get("location")!;
      r = await a.fetch(loc, { method: "PUT" });
      assert.equal(await ociError(r), "DIGEST_INVALID");
      r = await a.fetch(`${loc}?digest=${sha256("")}`, { method: "PUT" });
      assert.equal(r.status, 201, "the empty blob");
    });

    it("unknown or cancelled sessions: BLOB_UPLOAD_UNKNOWN", async () => {
      let r = await a.fetch(`/v2/contoso/ups/blobs/uploads/${crypto.randomUUID()}`);
      assert.equal(r.status, 404);
      assert.equal(await ociError(r), "BLOB_UPLOAD_UNKNOWN");
      r = await a.fetch(`/v2/contoso/ups/blobs/uploads/not-a-uuid`, { method: "PATCH", body: "x" });
      assert.equal(await ociError(r), "BLOB_UPLOAD_UNKNOWN");
      r = await a.fetch("/v2/contoso/ups/blobs/uploads/", { method: "POST" });
      const loc = r.headers.get("location")!;
      r = await a.fetch(loc, { method: "DELETE" });
      assert.equal(r.status, 204);
      r = await a.fetch(loc, { method: "PATCH", body: "x" });
      assert.equal(await ociError(r), "BLOB_UPLOAD_UNKNOWN");
      // A session belongs to its repository.
      await a.fetch("/v2/contoso/other/blobs/uploads/", { method: "POST" });
      r = await a.fetch("/v2/contoso/ups/blobs/uploads/", { method: "POST" });
      const id = r.headers.get("docker-upload-uuid");
      r = await a.fetch(`/v2/contoso/other/blobs/uploads/${id}`);
      assert.equal(await ociError(r), "BLOB_UPLOAD_UNKNOWN");
    });
  });

  describe("blobs", () => {
    let digest: string;
    const data = crypto.randomBytes(4096);
    before(async () => {
      digest = await a.pushBlob("contoso/hello", data);
      await a.pushImage("contoso/other", "v1");
    });

    it("GET with Range: 206 and the right bytes; suffix ranges; 416 outside", async () => {
      let r = await a.fetch(`/v2/contoso/hello/blobs/${digest}`, { headers: { Range: "bytes=100-199" } });
      assert.equal(r.status, 206);
      assert.equal(r.headers.get("content-range"), `bytes 100-199/${data.length}`);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(data.subarray(100, 200)));
      r = await a.fetch(`/v2/contoso/hello/blobs/${digest}`, { headers: { Range: "bytes=-10" } });
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(data.subarray(data.length - 10)));
      r = await a.fetch(`/v2/contoso/hello/blobs/${digest}`, { headers: { Range: "bytes=4000-" } });
      assert.equal(r.headers.get("content-length"), "96");
      await r.arrayBuffer();
      r = await a.fetch(`/v2/contoso/hello/blobs/${digest}`, { headers: { Range: "bytes=5000-6000" } });
      assert.equal(r.status, 416);
      assert.equal(r.headers.get("content-range"), `bytes */${data.length}`);
      await r.arrayBuffer();
    });

    it("HEAD and GET carry digest, length and type", async () => {
      const r = await a.fetch(`/v2/contoso/hello/blobs/${digest}`, { method: "HEAD" });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("docker-content-digest"), digest);
      assert.equal(r.headers.get("content-length"), "4096");
      assert.equal(r.headers.get("content-type"), "application/octet-stream");
    });

    it("a blob of repository A is not readable through repository B", async () => {
      let r = await a.fetch(`/v2/contoso/other/blobs/${digest}`);
      assert.equal(r.status, 404);
      assert.equal(await ociError(r), "BLOB_UNKNOWN");
      r = await a.fetch(`/v2/contoso/other/blobs/${digest}`, { method: "HEAD" });
      assert.equal(r.status, 404);
      r = await a.fetch(`/v2/contoso/hello/blobs/not-a-digest`);
      assert.equal(await ociError(r), "DIGEST_INVALID");
    });

    it("cross-repository mount: from a repository that has it → 201; otherwise a new session (202)", async () => {
      let r = await a.fetch(`/v2/contoso/mnt/blobs/uploads/?mount=${digest}&from=contoso/other`, { method: "POST" });
      assert.equal(r.status, 202, "contoso/other does not link it");
      assert.ok(r.headers.get("docker-upload-uuid"));
      r = await a.fetch(`/v2/contoso/mnt/blobs/uploads/?mount=${digest}&from=fabrikam/app`, { method: "POST" });
      assert.equal(r.status, 202, "another registry");
      const limited = api(w, await token(w, [ALL("contoso/mnt")]));
      r = await limited.fetch(`/v2/contoso/mnt/blobs/uploads/?mount=${digest}&from=contoso/hello`, { method: "POST" });
      assert.equal(r.status, 202, "caller may not pull the source");

      r = await a.fetch(`/v2/contoso/mnt/blobs/uploads/?mount=${digest}&from=contoso/hello`, { method: "POST" });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("location"), `${w.url}/v2/contoso/mnt/blobs/${digest}`);
      assert.equal(r.headers.get("docker-content-digest"), digest);
      r = await a.fetch(`/v2/contoso/mnt/blobs/${digest}`);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(data));
    });

    it("mount without from: any repository of the same registry", async () => {
      const d2 = await a.pushBlob("contoso/hello", crypto.randomBytes(100));
      let r = await a.fetch(`/v2/contoso/cat/a/blobs/uploads/?mount=${d2}`, { method: "POST" });
      assert.equal(r.status, 201);
      r = await a.fetch(`/v2/fabrikam/app/blobs/uploads/?mount=${d2}`, { method: "POST" });
      assert.equal(r.status, 202, "never from another registry");
    });

    it("DELETE unlinks from that repository only", async () => {
      const d3 = await a.pushBlob("contoso/del", Buffer.from("delete me"));
      await a.fetch(`/v2/contoso/hello/blobs/uploads/?mount=${d3}&from=contoso/del`, { method: "POST" });
      let r = await a.fetch(`/v2/contoso/del/blobs/${d3}`, { method: "DELETE" });
      assert.equal(r.status, 202);
      r = await a.fetch(`/v2/contoso/del/blobs/${d3}`, { method: "HEAD" });
      assert.equal(r.status, 404);
      r = await a.fetch(`/v2/contoso/hello/blobs/${d3}`, { method: "HEAD" });
      assert.equal(r.status, 200);
      r = await a.fetch(`/v2/contoso/del/blobs/${d3}`, { method: "DELETE" });
      assert.equal(await ociError(r), "BLOB_UNKNOWN");
    });
  });

  describe("manifests", () => {
    it("GET and HEAD by tag and digest return the exact bytes pushed", async () => {
      const img = await a.pushImage("contoso/mf", "v1", { extra: { annotations: { "z": "1", "a": "2" } } });
      for (const ref of ["v1", img.digest]) {
        let r = await a.fetch(`/v2/contoso/mf/manifests/${ref}`, { headers: { Accept: OCI_MANIFEST } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get("content-type"), OCI_MANIFEST);
        assert.equal(r.headers.get("docker-content-digest"), img.digest);
        assert.equal(r.headers.get("content-length"), String(img.manifest.length));
        assert.ok(Buffer.from(await r.arrayBuffer()).equals(img.manifest));
        r = await a.fetch(`/v2/contoso/mf/manifests/${ref}`, { method: "HEAD" });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get("content-length"), String(img.manifest.length));
      }
    });

    it("PUT answers 201 with Location and Docker-Content-Digest; pretty-printed bytes keep their own digest", async () => {
      const img = await a.pushImage("contoso/mf", "base");
      const doc = JSON.parse(img.manifest.toString());
      const pretty = Buffer.from(JSON.stringify(doc, null, 3) + "\n");
      const r = await a.pushManifest("contoso/mf", "pretty", pretty);
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("docker-content-digest"), sha256(pretty));
      assert.equal(r.headers.get("location"), `${w.url}/v2/contoso/mf/manifests/${sha256(pretty)}`);
      const g = await a.fetch("/v2/contoso/mf/manifests/pretty");
      assert.ok(Buffer.from(await g.arrayBuffer()).equals(pretty));
    });

    it("a missing layer: MANIFEST_BLOB_UNKNOWN; a wrong size or bad JSON: MANIFEST_INVALID", async () => {
      const img = await a.pushImage("contoso/mf", "ok");
      const doc = JSON.parse(img.manifest.toString());
      const missing = sha256("not pushed");
      let r = await a.pushManifest("contoso/mf", "bad", { ...doc, layers: [{ ...doc.layers[0], digest: missing }] });
      assert.equal(r.status, 400);
      const body = (await r.json()) as { errors: { code: string; detail: { digest: string } }[] };
      assert.equal(body.errors[0].code, "MANIFEST_BLOB_UNKNOWN");
      assert.equal(body.errors[0].detail.digest, missing);
      r = await a.pushManifest("contoso/mf", "bad", { ...doc, layers: [{ ...doc.layers[0], size: 1 }] });
      assert.equal(await ociError(r), "MANIFEST_INVALID");
      r = await a.pushManifest("contoso/mf", "bad", Buffer.from("{not json"));
      assert.equal(await ociError(r), "MANIFEST_INVALID");
      r = await a.pushManifest("contoso/mf", "bad", { schemaVersion: 1, name: "x" });
      assert.equal(await ociError(r), "MANIFEST_INVALID");
      r = await a.pushManifest("contoso/mf", "bad", { ...doc, mediaType: DOCKER_MANIFEST });
      assert.equal(await ociError(r), "MANIFEST_INVALID", "media type differs from Content-Type");
      r = await a.fetch("/v2/contoso/mf/manifests/bad");
      assert.equal(await ociError(r), "MANIFEST_UNKNOWN");
      // A blob of another repository does not count.
      const foreign = await a.pushBlob("contoso/other", Buffer.from("foreign layer"));
      r = await a.pushManifest("contoso/mf", "bad", { ...doc, layers: [{ ...doc.layers[0], digest: foreign, size: 13 }] });
      assert.equal(await ociError(r), "MANIFEST_BLOB_UNKNOWN");
    });

    it("PUT by a digest that does not match the bytes: DIGEST_INVALID", async () => {
      const img = await a.pushImage("contoso/mf", "d1");
      const r = await a.pushManifest("contoso/mf", sha256("other"), img.manifest);
      assert.equal(await ociError(r), "DIGEST_INVALID");
      const ok = await a.pushManifest("contoso/mf", img.digest, img.manifest);
      assert.equal(ok.status, 201);
    });

    it("refuses a manifest over 4 MiB", async () => {
      const img = await a.pushImage("contoso/mf", "big");
      const doc = JSON.parse(img.manifest.toString());
      const big = Buffer.from(JSON.stringify({ ...doc, annotations: { pad: "x".repeat(4 * 1024 * 1024) } }));
      const r = await a.pushManifest("contoso/mf", "huge", big);
      assert.equal(r.status, 413);
      const body = (await r.json()) as { errors: { code: string; message: string }[] };
      assert.equal(body.errors[0].code, "MANIFEST_INVALID");
      assert.match(body.errors[0].message, /larger than 4194304 bytes/);
      assert.equal(await ociError(await a.fetch("/v2/contoso/mf/manifests/huge")), "MANIFEST_UNKNOWN");
    });

    it("tags move; DELETE by tag removes only the tag; by digest removes the manifest and its tags", async () => {
      const one = await a.pushImage("contoso/mf", "moving");
      const two = await a.pushImage("contoso/mf", "moving");
      let r = await a.fetch("/v2/contoso/mf/manifests/moving", { method: "HEAD" });
      assert.equal(r.headers.get("docker-content-digest"), two.digest);
      await a.pushManifest("contoso/mf", "second-tag", two.manifest);

      r = await a.fetch("/v2/contoso/mf/manifests/moving", { method: "DELETE" });
      assert.equal(r.status, 202);
      assert.equal((await a.fetch("/v2/contoso/mf/manifests/moving", { method: "HEAD" })).status, 404);
      assert.equal((await a.fetch(`/v2/contoso/mf/manifests/${two.digest}`, { method: "HEAD" })).status, 200);
      assert.equal((await a.fetch("/v2/contoso/mf/manifests/second-tag", { method: "HEAD" })).status, 200);

      r = await a.fetch(`/v2/contoso/mf/manifests/${two.digest}`, { method: "DELETE" });
      assert.equal(r.status, 202);
      assert.equal((await a.fetch(`/v2/contoso/mf/manifests/${two.digest}`, { method: "HEAD" })).status, 404);
      assert.equal((await a.fetch("/v2/contoso/mf/manifests/second-tag", { method: "HEAD" })).status, 404);
      assert.equal((await a.fetch(`/v2/contoso/mf/manifests/${one.digest}`, { method: "HEAD" })).status, 200);
      r = await a.fetch(`/v2/contoso/mf/manifests/${two.digest}`, { method: "DELETE" });
      assert.equal(await ociError(r), "MANIFEST_UNKNOWN");
    });

    it("Accept negotiation: stored type is served; an index the client cannot read resolves to linux/amd64 or 404", async () => {
      const amd = await a.pushImage("contoso/neg", "amd");
      const arm = await a.pushImage("contoso/neg", "arm");
      const index = {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: OCI_MANIFEST, digest: arm.digest, size: arm.manifest.length, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          { mediaType: OCI_MANIFEST, digest: amd.digest, size: amd.manifest.length, platform: { os: "linux", architecture: "amd64" } },
        ],
      };
      let r = await a.pushManifest("contoso/neg", "multi", index, OCI_INDEX);
      assert.equal(r.status, 201);
      const indexDigest = r.headers.get("docker-content-digest")!;

      r = await a.fetch("/v2/contoso/neg/manifests/multi", { headers: { Accept: `${OCI_INDEX}, ${OCI_MANIFEST}` } });
      assert.equal(r.headers.get("content-type"), OCI_INDEX);
      assert.equal(r.headers.get("docker-content-digest"), indexDigest);
      await r.arrayBuffer();
      r = await a.fetch("/v2/contoso/neg/manifests/multi", { headers: { Accept: OCI_MANIFEST } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("docker-content-digest"), amd.digest);
      await r.arrayBuffer();
      r = await a.fetch("/v2/contoso/neg/manifests/multi", { headers: { Accept: DOCKER_MANIFEST } });
      assert.equal(r.status, 404);
      assert.equal(await ociError(r), "MANIFEST_UNKNOWN");
      r = await a.fetch(`/v2/contoso/neg/manifests/${indexDigest}`, { headers: { Accept: DOCKER_MANIFEST } });
      assert.equal(r.headers.get("content-type"), OCI_INDEX, "by digest: what was asked for");
      await r.arrayBuffer();

      // An image manifest is served as stored, whatever the Accept list says.
      r = await a.fetch("/v2/contoso/neg/manifests/amd", { headers: { Accept: DOCKER_MANIFEST } });
      assert.equal(r.headers.get("content-type"), OCI_MANIFEST);
      await r.arrayBuffer();

      // An index whose child is missing is refused.
      r = await a.pushManifest("contoso/neg", "broken", { ...index, manifests: [{ ...index.manifests[0], digest: sha256("no such manifest") }] }, OCI_INDEX);
      assert.equal(await ociError(r), "MANIFEST_BLOB_UNKNOWN");
    });

    it("Docker schema 2 manifests keep their media type", async () => {
      const layer = await a.pushBlob("contoso/neg", Buffer.from("docker layer"));
      const cfgBytes = Buffer.from('{"architecture":"amd64","os":"linux"}');
      const cfg = await a.pushBlob("contoso/neg", cfgBytes);
      const m = {
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST,
        config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: cfg, size: cfgBytes.length },
        layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: layer, size: 12 }],
      };
      const r = await a.pushManifest("contoso/neg", "docker", m, DOCKER_MANIFEST);
      assert.equal(r.status, 201);
      const g = await a.fetch("/v2/contoso/neg/manifests/docker", { headers: { Accept: `${DOCKER_MANIFEST}, application/vnd.docker.distribution.manifest.list.v2+json` } });
      assert.equal(g.headers.get("content-type"), DOCKER_MANIFEST);
      await g.arrayBuffer();
    });
  });

  describe("listing", () => {
    it("tags/list pages with n and last and a Link header", async () => {
      const img = await a.pushImage("contoso/tags", "t0");
      for (const t of ["t3", "t1", "t4", "t2"]) await a.pushManifest("contoso/tags", t, img.manifest);
      let r = await a.fetch("/v2/contoso/tags/tags/list");
      assert.deepEqual(await r.json(), { name: "contoso/tags", tags: ["t0", "t1", "t2", "t3", "t4"] });
      assert.equal(r.headers.get("link"), null);

      const seen: string[] = [];
      let next: string | null = "/v2/contoso/tags/tags/list?n=2";
      let pages = 0;
      while (next) {
        r = await a.fetch(next);
        const body = (await r.json()) as { tags: string[] };
        seen.push(...body.tags);
        pages++;
        const link = r.headers.get("link");
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
      }
      assert.deepEqual(seen, ["t0", "t1", "t2", "t3", "t4"]);
      assert.equal(pages, 3);
      r = await a.fetch("/v2/contoso/tags/tags/list?n=2&last=t1");
      assert.deepEqual(((await r.json()) as { tags: string[] }).tags, ["t2", "t3"]);
      assert.equal(r.headers.get("link"), '</v2/contoso/tags/tags/list?n=2&last=t3>; rel="next"');
      r = await a.fetch("/v2/contoso/tags/tags/list?n=0");
      assert.deepEqual(((await r.json()) as { tags: string[] }).tags, []);
      r = await a.fetch("/v2/contoso/tags/tags/list?n=-1");
      assert.equal(r.status, 400);
    });

    it("_catalog lists repositories with content across registries, paged the same way", async () => {
      await a.pushImage("contoso/cat/b", "v1");
      await a.pushImage("fabrikam/app", "v1");
      await a.fetch("/v2/contoso/cat/a/blobs/uploads/", { method: "POST" }); // a repository with no manifest
      let r = await a.fetch("/v2/_catalog");
      const all = ((await r.json()) as { repositories: string[] }).repositories;
      assert.ok(all.includes("contoso/cat/b") && all.includes("fabrikam/app"));
      assert.ok(!all.includes("contoso/cat/a"));
      assert.deepEqual(all, [...all].sort());

      const seen: string[] = [];
      let next: string | null = "/v2/_catalog?n=2";
      while (next) {
        r = await a.fetch(next);
        seen.push(...((await r.json()) as { repositories: string[] }).repositories);
        const link = r.headers.get("link");
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
      }
      assert.deepEqual(seen, all);
    });

    it("referrers: OCI-Subject on push, an index of referrers, artifactType filter, empty index when none", async () => {
      const subject = await a.pushImage("contoso/ref", "v1");
      const empty = await a.pushBlob("contoso/ref", Buffer.from("{}"));
      const sigLayer = await a.pushBlob("contoso/ref", Buffer.from("signature bytes"));
      const artifact = (artifactType: string, note: string) => ({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType,
        config: { mediaType: "application/vnd.oci.empty.v1+json", digest: empty, size: 2 },
        layers: [{ mediaType: "application/octet-stream", digest: sigLayer, size: 15 }],
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
        annotations: { note },
      });
      const sig = Buffer.from(JSON.stringify(artifact("application/vnd.example.signature", "sig")));
      let r = await a.pushManifest("contoso/ref", sha256(sig), sig);
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("oci-subject"), subject.digest);
      const sbom = Buffer.from(JSON.stringify(artifact("application/spdx+json", "sbom")));
      r = await a.pushManifest("contoso/ref", sha256(sbom), sbom);
      assert.equal(r.headers.get("oci-subject"), subject.digest);

      r = await a.fetch(`/v2/contoso/ref/referrers/${subject.digest}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), OCI_INDEX);
      assert.equal(r.headers.get("oci-filters-applied"), null);
      const idx = (await r.json()) as { schemaVersion: number; mediaType: string; manifests: { digest: string; artifactType: string; size: number; annotations: Record<string, string> }[] };
      assert.equal(idx.schemaVersion, 2);
      assert.equal(idx.mediaType, OCI_INDEX);
      assert.deepEqual(
        idx.manifests.map((m) => [m.digest, m.artifactType, m.size, m.annotations.note]).sort(),
        [[sha256(sig), "application/vnd.example.signature", sig.length, "sig"], [sha256(sbom), "application/spdx+json", sbom.length, "sbom"]].sort(),
      );

      r = await a.fetch(`/v2/contoso/ref/referrers/${subject.digest}?artifactType=application/spdx%2Bjson`);
      assert.equal(r.headers.get("oci-filters-applied"), "artifactType");
      assert.deepEqual(((await r.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest), [sha256(sbom)]);

      r = await a.fetch(`/v2/contoso/ref/referrers/${sha256("nothing refers to this")}`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });

      // A manifest without subject sends no OCI-Subject.
      r = await a.pushManifest("contoso/ref", "plain", subject.manifest);
      assert.equal(r.headers.get("oci-subject"), null);
    });
  });

  it("unknown endpoints and methods answer with OCI errors", async () => {
    let r = await a.fetch("/v2/contoso/hello/whatever");
    assert.equal(r.status, 404);
    assert.equal(r.headers.get("docker-distribution-api-version"), "registry/2.0");
    r = await a.fetch("/v2/contoso/hello/tags/list", { method: "POST" });
    assert.equal(r.status, 405);
    assert.equal(await ociError(r), "UNSUPPORTED");
  });
});

describe("host-style registries (WHARF_REGISTRY_DOMAIN)", () => {
  let w: Wharf;
  before(async () => {
    w = await startWharf({ env: { WHARF_REGISTRY_DOMAIN: "registry.test" } });
    await createRegistryRow(w, "contoso");
  });
  after(async () => w?.stop());

  it("serves bare repository names on <registry>.<domain>", async () => {
    const host = `contoso.registry.test:${w.port}`;
    let r = await rawRequest(w, { method: "GET", path: "/v2/", headers: { Host: host } });
    assert.equal(r.status, 401);
    assert.equal(r.headers["www-authenticate"], `Bearer realm="http://${host}/oauth2/token",service="${host}"`);
    r = await rawRequest(w, {
      method: "GET",
      path: `/oauth2/token?service=${encodeURIComponent(host)}&scope=repository:hello:pull,push&scope=registry:catalog:*`,
      headers: { Host: host, Authorization: basicAuth("admin", ADMIN_PASSWORD) },
    });
    assert.equal(r.status, 200);
    const auth = `Bearer ${JSON.parse(r.body).token}`;
    const layer = Buffer.from("host style layer");
    const cfg = Buffer.from("{}");
    for (const b of [layer, cfg]) {
      r = await rawRequest(w, { method: "POST", path: `/v2/hello/blobs/uploads/?digest=${sha256(b)}`, headers: { Host: host, Authorization: auth, "Content-Length": b.length }, body: b });
      assert.equal(r.status, 201, r.body);
      assert.equal(r.headers.location, `http://${host}/v2/hello/blobs/${sha256(b)}`);
    }
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(cfg), size: 2 },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.length }],
    }));
    r = await rawRequest(w, { method: "PUT", path: "/v2/hello/manifests/v1", headers: { Host: host, Authorization: auth, "Content-Type": OCI_MANIFEST, "Content-Length": manifest.length }, body: manifest });
    assert.equal(r.status, 201, r.body);
    r = await rawRequest(w, { method: "GET", path: "/v2/hello/manifests/v1", headers: { Host: host, Authorization: auth } });
    assert.equal(r.body, manifest.toString());
    r = await rawRequest(w, { method: "GET", path: "/v2/_catalog", headers: { Host: host, Authorization: auth } });
    assert.deepEqual(JSON.parse(r.body).repositories, ["hello"]);
    // The token is bound to its login server: it is no good on the path-style host.
    r = await rawRequest(w, { method: "GET", path: "/v2/", headers: { Authorization: auth } });
    assert.equal(r.status, 401);
    // A token for one registry's host is no good on another's.
    r = await rawRequest(w, { method: "GET", path: "/v2/hello/tags/list", headers: { Host: `nosuch1.registry.test:${w.port}`, Authorization: auth } });
    assert.equal(r.status, 401, "token audience differs");
  });
});
