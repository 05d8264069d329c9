import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Real skopeo in a sandbox of its own: a private policy, registries.conf and empty
 * auth file under a temp dir, so no stored credentials or system settings leak in.
 * A failure names the command and ends with the server's recent output.
 */
export function skopeoSandbox(prefix: string, serverOutput: () => string) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(tmp, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
  fs.writeFileSync(path.join(tmp, "registries.conf"), "unqualified-search-registries = []\n");
  fs.writeFileSync(path.join(tmp, "auth.json"), "{}");
  const skopeo = async (...args: string[]) => {
    const [cmd, ...rest] = args;
    try {
      return await run(
        "skopeo",
        ["--policy", path.join(tmp, "policy.json"), "--registries-conf", path.join(tmp, "registries.conf"), cmd, ...rest],
        { env: { ...process.env, REGISTRY_AUTH_FILE: path.join(tmp, "auth.json"), HOME: tmp }, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`skopeo ${args.join(" ")} failed: ${e.stderr ?? e.message}\n--- server output ---\n${serverOutput().slice(-3000)}`);
    }
  };
  return { tmp, skopeo };
}
