import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { OciLayout, type Desc } from "../test/helpers/oci-layout";

const run = promisify(execFile);

/**
 * skopeo (Debian's) against a test server, with its own policy, registries.conf
 * and auth file in a temp dir, and OCI layouts to push from.
 */
export class Skopeo {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-e2e-skopeo-"));
  readonly layout: OciLayout;
  constructor() {
    fs.writeFileSync(path.join(this.dir, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    fs.writeFileSync(path.join(this.dir, "registries.conf"), "unqualified-search-registries = []\n");
    fs.writeFileSync(path.join(this.dir, "auth.json"), "{}");
    this.layout = new OciLayout(path.join(this.dir, "src"));
  }

  /** Runs skopeo; resolves with stdout or rejects with its stderr in the message. */
  async run(...args: string[]): Promise<string> {
    const [cmd, ...rest] = args;
    try {
      const { stdout } = await run(
        "skopeo",
        ["--policy", path.join(this.dir, "policy.json"), "--registries-conf", path.join(this.dir, "registries.conf"), cmd, ...rest],
        { env: { ...process.env, REGISTRY_AUTH_FILE: path.join(this.dir, "auth.json"), HOME: this.dir }, maxBuffer: 16 * 1024 * 1024 },
      );
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`skopeo ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
    }
  }

  /** Pushes layout entries `tags` to `docker://host/repo:tag` with `creds`. */
  async push(host: string, repo: string, tags: Record<string, Desc>, creds: string): Promise<void> {
    this.layout.tag(tags);
    for (const tag of Object.keys(tags)) {
      await this.run("copy", "--all", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${this.layout.dir}:${tag}`, `docker://${host}/${repo}:${tag}`);
    }
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
