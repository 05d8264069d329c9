import { context, slot } from "../core/context";

/**
 * Small content by digest: manifests and small blobs such as image configs. Content-addressed, so an entry is never stale;
 * bounded by total bytes, least recently used first out.
 */
export class ByteLru {
  private map = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  delete(key: string): void {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.bytes -= v.length;
    }
  }

  set(key: string, value: Buffer): void {
    if (value.length > this.maxBytes / 4) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.length;
      this.map.delete(key);
    }
    this.map.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.length;
    }
  }
}

const manifestByteCache = slot("manifestBytes", () => new ByteLru(64 * 1024 * 1024));

/** Manifest and small-blob bytes by digest, for this process. */
export function manifestBytes(): ByteLru {
  return context().get(manifestByteCache);
}
