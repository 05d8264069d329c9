import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { OciLayout } from "../test/helpers/oci-layout";
import { ADMIN_PASSWORD } from "../test/helpers/wharf";

const run = promisify(execFile);

/** Real skopeo with a private policy, registries.conf and (empty) auth file, so no stored credentials leak in. */
export function skopeoKit() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-e2e-skopeo-"));
  fs.writeFileSync(path.join(tmp, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
  fs.writeFileSync(path.join(tmp, "registries.conf"), "unqualified-search-registries = []\n");
  fs.writeFileSync(path.join(tmp, "auth.json"), "{}");
  const layout = new OciLayout(path.join(tmp, "src"));
  layout.tag({ v1: layout.image({ fileContent: "hello from the portal test\n" }) });
  const skopeo = async (...args: string[]) => {
    const [cmd, ...rest] = args;
    return run("skopeo", ["--policy", path.join(tmp, "policy.json"), "--registries-conf", path.join(tmp, "registries.conf"), cmd, ...rest], {
      env: { ...process.env, REGISTRY_AUTH_FILE: path.join(tmp, "auth.json"), HOME: tmp },
    });
  };
  return {
    /** Pushes the one-layer test image as `<ref>` with the admin user's credentials. */
    push: (ref: string) => skopeo("copy", "--dest-creds", `admin:${ADMIN_PASSWORD}`, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${ref}`),
    /** `skopeo inspect --no-creds`: resolves to true when it succeeds, false (with stderr kept) when refused. */
    inspectAnonymously: async (ref: string): Promise<{ ok: boolean; output: string }> => {
      try {
        const r = await skopeo("inspect", "--no-creds", "--tls-verify=false", `docker://${ref}`);
        return { ok: true, output: r.stdout };
      } catch (err) {
        return { ok: false, output: String((err as { stderr?: string }).stderr ?? err) };
      }
    },
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
