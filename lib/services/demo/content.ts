import crypto from "node:crypto";
import zlib from "node:zlib";

/**
 * The demo's images, built in memory with no network: small but valid OCI images (a gzip tar layer, a config
 * whose diff_ids match), a two-platform index, an SBOM and a signature that refer to an image, and a Helm chart
 * shaped artifact. Deterministic for a given input, so a second seed pushes the same digests.
 */

export type Blob = { mediaType: string; digest: string; size: number; bytes: Buffer };
export type Built = { mediaType: string; digest: string; size: number; bytes: Buffer; blobs: Blob[]; children?: Built[] };

const sha256 = (b: Buffer) => `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;
const blobOf = (bytes: Buffer, mediaType: string): Blob => ({ mediaType, digest: sha256(bytes), size: bytes.length, bytes });
const descriptor = (b: { mediaType: string; digest: string; size: number }) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
const EPOCH = 1_767_225_600; // 2026-01-01: the layers' file times, fixed so a second seed builds the same bytes

/** A ustar archive of the given files, by hand: deterministic bytes and no dependency. Tests build theirs with it too. */
export function tarFiles(files: { name: string; content: Buffer }[], mtimeSeconds = EPOCH): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const h = Buffer.alloc(512);
    h.write(f.name, 0, 100, "utf8");
    h.write("0000644\0", 100);
    h.write("0000000\0", 108);
    h.write("0000000\0", 116);
    h.write(`${f.content.length.toString(8).padStart(11, "0")}\0`, 124);
    h.write(`${mtimeSeconds.toString(8).padStart(11, "0")}\0`, 136);
    h.write("        ", 148);
    h.write("0", 156);
    h.write("ustar\0" + "00", 257);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    parts.push(h, f.content, Buffer.alloc((512 - (f.content.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

function manifestOf(body: object, blobs: Blob[]): Built {
  const bytes = Buffer.from(JSON.stringify(body));
  const mediaType = (body as { mediaType: string }).mediaType;
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes, blobs };
}

/** An image for one platform: a base layer shared by every image of the app, and a layer of its own. */
export function image(app: string, version: string, platform = { os: "linux", architecture: "amd64" }, subject?: Built): Built {
  const baseTar = tarFiles([{ name: "etc/os-release", content: Buffer.from(`NAME="Wharf demo base"\nID=wharf-demo\nVERSION_ID=1\n`) }]);
  const appTar = tarFiles([
    { name: `srv/${app.replace(/\//g, "-")}/VERSION`, content: Buffer.from(`${app} ${version} ${platform.os}/${platform.architecture}\n`) },
    { name: `srv/${app.replace(/\//g, "-")}/app.js`, content: Buffer.from(`console.log(${JSON.stringify(`${app} ${version}`)});\n`) },
  ]);
  const layers = [baseTar, appTar].map((t) => blobOf(zlib.gzipSync(t, { level: 9 }), "application/vnd.oci.image.layer.v1.tar+gzip"));
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        created: new Date(EPOCH * 1000).toISOString(),
        architecture: platform.architecture,
        os: platform.os,
        config: { Cmd: ["node", `/srv/${app.replace(/\//g, "-")}/app.js`], Labels: { "org.opencontainers.image.version": version, "org.opencontainers.image.title": app } },
        rootfs: { type: "layers", diff_ids: [baseTar, appTar].map(sha256) },
        history: [{ created_by: "wharf demo: base" }, { created_by: `wharf demo: ${app} ${version}` }],
      }),
    ),
    "application/vnd.oci.image.config.v1+json",
  );
  return manifestOf(
    {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptor(config),
      layers: layers.map(descriptor),
      annotations: { "org.opencontainers.image.version": version, "org.opencontainers.image.source": `https://example.com/contoso/${app}` },
      ...(subject ? { subject: descriptor(subject) } : {}),
    },
    [config, ...layers],
  );
}

/** A two-platform index (linux/amd64 and linux/arm64) whose children are pushed first. */
export function multiArch(app: string, version: string): Built {
  const children = [image(app, version), image(app, version, { os: "linux", architecture: "arm64" })];
  const index = manifestOf(
    {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: children.map((c, i) => ({ ...descriptor(c), platform: i === 0 ? { os: "linux", architecture: "amd64" } : { os: "linux", architecture: "arm64" } })),
    },
    [],
  );
  return { ...index, children };
}

const EMPTY_CONFIG = blobOf(Buffer.from("{}"), "application/vnd.oci.empty.v1+json");

/** An OCI artifact with one file as its layer, optionally referring to a subject (as SBOMs and signatures do). */
function artifact(artifactType: string, layerType: string, content: Buffer, subject: Built | null, annotations: Record<string, string>): Built {
  const layer = blobOf(content, layerType);
  return manifestOf(
    {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType,
      config: descriptor(EMPTY_CONFIG),
      layers: [descriptor(layer)],
      ...(subject ? { subject: descriptor(subject) } : {}),
      annotations: { "org.opencontainers.image.created": new Date(EPOCH * 1000).toISOString(), ...annotations },
    },
    [EMPTY_CONFIG, layer],
  );
}

/** An SPDX SBOM of the subject, as a referrer. */
export function sbom(subject: Built, app: string, version: string): Built {
  const doc = {
    spdxVersion: "SPDX-2.3",
    SPDXID: "SPDXRef-DOCUMENT",
    name: `${app}-${version}`,
    dataLicense: "CC0-1.0",
    packages: [
      { SPDXID: "SPDXRef-app", name: app, versionInfo: version, licenseConcluded: "MIT" },
      { SPDXID: "SPDXRef-node", name: "node", versionInfo: "20.18.0", licenseConcluded: "MIT" },
    ],
  };
  return artifact("application/spdx+json", "application/spdx+json", Buffer.from(JSON.stringify(doc, null, 2)), subject, { "org.opencontainers.image.description": "SBOM (SPDX 2.3)" });
}

/**
 * A signature envelope shaped like Notation's, as a referrer. The demo has no signing key to trust, so the payload
 * is the subject's descriptor signed with a key made for the demo: it shows where a signature sits, not a trust chain.
 */
export function signature(subject: Built): Built {
  // A fixed demo key (Ed25519 signs deterministically): a second seed pushes the same signature, not a new one.
  const seed = crypto.createHash("sha256").update("wharf demo signing key").digest();
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
  const publicKey = crypto.createPublicKey(privateKey);
  const payload = Buffer.from(JSON.stringify({ targetArtifact: descriptor(subject) }));
  const envelope = {
    payload: payload.toString("base64"),
    signature: crypto.sign(null, payload, privateKey).toString("base64"),
    publicKey: publicKey.export({ type: "spki", format: "pem" }),
  };
  return artifact("application/vnd.cncf.notary.signature", "application/jose+json", Buffer.from(JSON.stringify(envelope)), subject, { "io.cncf.notary.x509chain.thumbprint#S256": "[]" });
}

/** A Helm chart as Helm 3 pushes it: the chart's metadata as config, the packaged chart as its one layer. */
export function helmChart(name: string, version: string): Built {
  const chartYaml = `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "${version}"\ndescription: The ${name} chart of the Wharf demo\ntype: application\n`;
  const tgz = zlib.gzipSync(
    tarFiles([
      { name: `${name}/Chart.yaml`, content: Buffer.from(chartYaml) },
      { name: `${name}/values.yaml`, content: Buffer.from(`image:\n  repository: contosoprod/shop/frontend\n  tag: "${version}"\nreplicas: 2\n`) },
    ]),
    { level: 9 },
  );
  const config = blobOf(Buffer.from(JSON.stringify({ name, version, apiVersion: "v2", appVersion: version, description: `The ${name} chart of the Wharf demo`, type: "application" })), "application/vnd.cncf.helm.config.v1+json");
  const layer = blobOf(tgz, "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
  return manifestOf({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: descriptor(config), layers: [descriptor(layer)] }, [config, layer]);
}
