import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { tarFiles } from "../../lib/services/demo/content";

/** Builds OCI image layouts on disk for real clients (skopeo) to push. */

function sha256Hex(b: Buffer): string {
  return crypto.createHash("sha256").update(b).digest("hex");
}

/** A one-file ustar archive with file time 0, so the bytes (and digests) are the same on every run. */
export function tarOneFile(name: string, content: Buffer): Buffer {
  return tarFiles([{ name, content }], 0);
}

export type Desc = { mediaType: string; digest: string; size: number; platform?: { os: string; architecture: string } };

export class OciLayout {
  constructor(public readonly dir: string) {
    fs.mkdirSync(path.join(dir, "blobs", "sha256"), { recursive: true });
    fs.writeFileSync(path.join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  }

  blob(data: Buffer, mediaType: string): Desc {
    const hex = sha256Hex(data);
    fs.writeFileSync(path.join(this.dir, "blobs", "sha256", hex), data);
    return { mediaType, digest: `sha256:${hex}`, size: data.length };
  }

  /** An image with one gzip layer holding `fileContent`. Returns the manifest's descriptor. */
  image(opts: { arch?: string; fileContent: string }): Desc {
    const tar = tarOneFile("hello.txt", Buffer.from(opts.fileContent));
    const layer = this.blob(zlib.gzipSync(tar, { level: 6 }), "application/vnd.oci.image.layer.v1.tar+gzip");
    const config = this.blob(
      Buffer.from(
        JSON.stringify({
          architecture: opts.arch ?? "amd64",
          os: "linux",
          config: { Cmd: ["/hello"] },
          rootfs: { type: "layers", diff_ids: [`sha256:${sha256Hex(tar)}`] },
        }),
      ),
      "application/vnd.oci.image.config.v1+json",
    );
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config, layers: [layer] }),
    );
    return { ...this.blob(manifest, "application/vnd.oci.image.manifest.v1+json"), platform: { os: "linux", architecture: opts.arch ?? "amd64" } };
  }

  index(children: Desc[]): Desc {
    const idx = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: children }));
    return this.blob(idx, "application/vnd.oci.image.index.v1+json");
  }

  /** Writes index.json naming each descriptor by its tag. */
  tag(entries: Record<string, Desc>): void {
    const manifests = Object.entries(entries).map(([tag, d]) => ({
      mediaType: d.mediaType,
      digest: d.digest,
      size: d.size,
      annotations: { "org.opencontainers.image.ref.name": tag },
    }));
    fs.writeFileSync(path.join(this.dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests }));
  }

  static readTagged(dir: string, tag: string): { digest: string } | undefined {
    const idx = JSON.parse(fs.readFileSync(path.join(dir, "index.json"), "utf8"));
    return idx.manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.["org.opencontainers.image.ref.name"] === tag);
  }
}
