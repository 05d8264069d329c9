import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * podman and buildah with their own vfs storage, auth file and registries.conf under a temp dir, so a test touches
 * nothing global. They speak the registry protocol only: running a container needs privileges this sandbox lacks.
 */
export function podmanKit(opts: { context?: () => string } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-podman-"));
  fs.writeFileSync(path.join(tmp, "auth.json"), "{}");
  fs.writeFileSync(path.join(tmp, "registries.conf"), "unqualified-search-registries = []\n");
  const storage = ["--root", path.join(tmp, "root"), "--runroot", path.join(tmp, "run"), "--storage-driver", "vfs"];
  const env = {
    ...process.env,
    HOME: tmp,
    REGISTRY_AUTH_FILE: path.join(tmp, "auth.json"),
    CONTAINERS_REGISTRIES_CONF: path.join(tmp, "registries.conf"),
    XDG_RUNTIME_DIR: path.join(tmp, "run"),
    BUILDAH_ISOLATION: "chroot",
  };
  const tool = async (bin: "podman" | "buildah", args: string[]) => {
    try {
      return await run(bin, [...storage, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${bin} ${args.join(" ")} failed: ${e.stderr ?? e.message}${opts.context ? `\n${opts.context()}` : ""}`);
    }
  };
  return {
    dir: tmp,
    podman: (...args: string[]) => tool("podman", args),
    buildah: (...args: string[]) => tool("buildah", args),
    /** Builds `localhost/<name>` (a tag may follow the name) from scratch: one file, a command, any extra `buildah config` flags. */
    async build(name: string, content: string, config: string[] = []) {
      const ctr = (await tool("buildah", ["from", "scratch"])).stdout.trim();
      fs.writeFileSync(path.join(tmp, "content"), content);
      await tool("buildah", ["copy", ctr, path.join(tmp, "content"), "/hello.txt"]);
      await tool("buildah", ["config", "--cmd", "/hello.txt", ...config, ctr]);
      await tool("buildah", ["commit", ctr, `localhost/${name}`]);
    },
    async cleanup() {
      await run("podman", [...storage, "system", "reset", "--force"], { env }).catch(() => undefined);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
