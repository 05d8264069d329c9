// The container image (Containerfile, scripts/image.mjs): built with buildah, its config
// checked, exported to an OCI layout, unpacked with umoci and the server run from that root
// file system with chroot, as the image's user, until /readyz answers. Containers cannot
// run on this machine; chroot runs the same files with the same user, env and entrypoint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, freePort } from "../helpers/wharf";

const PASSWORD = "Image-test-Pass-1";

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

type DockerConfig = {
  User: string;
  Env: string[];
  ExposedPorts: Record<string, object>;
  Volumes: Record<string, object>;
  Entrypoint: string[];
  WorkingDir: string;
  Healthcheck?: { Test: string[] };
};

// The image runs on its own data dir (SQLite + files inside the chroot): the PostgreSQL + S3 phase would build and
// test the very same thing again, so it runs once, in the default phase.
const skip =
  process.getuid?.() !== 0 ? "chroot needs root" : process.env.WHARF_TEST_POSTGRES_URL ? "the image test does not depend on the backend; it ran in the default phase" : false;

test("the image builds from scratch, is configured to run as a non-root user on /data, and its root file system serves /readyz", { skip }, async (t) => {
  const tag = `localhost/wharf-image-test-${crypto.randomBytes(4).toString("hex")}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-image-test-"));
  let server: ChildProcess | undefined;
  t.after(() => {
    server?.kill("SIGKILL");
    for (const ref of [`${tag}:latest`, `${tag}:${version()}`]) spawnSync("buildah", ["rmi", ref], { stdio: "ignore" });
    fs.rmSync(work, { recursive: true, force: true });
  });

  const started = Date.now();
  const built = spawnSync(process.execPath, ["scripts/image.mjs", "--tag", tag], { cwd: ROOT, encoding: "utf8" });
  assert.equal(built.status, 0, `scripts/image.mjs failed:\n${built.stdout}\n${built.stderr}`);
  const buildSeconds = (Date.now() - started) / 1000;
  const ref = `${tag}:${version()}`;

  // The config a container engine will run (Docker format, so HEALTHCHECK is kept).
  const inspected = JSON.parse(sh("buildah", ["inspect", "--type", "image", ref]));
  const config: DockerConfig = inspected.Docker.config;
  assert.equal(config.User, "10001:10001");
  assert.deepEqual(Object.keys(config.ExposedPorts), ["3000/tcp"]);
  assert.deepEqual(Object.keys(config.Volumes), ["/data"]);
  assert.ok(config.Env.includes("WHARF_DATA_DIR=/data"), config.Env.join(" "));
  assert.ok(config.Env.includes("HOST=0.0.0.0"), config.Env.join(" "));
  assert.ok(config.Env.includes("NODE_ENV=production"), config.Env.join(" "));
  assert.deepEqual(config.Entrypoint, ["/usr/local/bin/node", "dist/server.js"]);
  assert.equal(config.WorkingDir, "/app");
  assert.equal(config.Healthcheck?.Test[0], "CMD");
  assert.match(config.Healthcheck!.Test.join(" "), /\/readyz/);
  assert.equal(inspected.Docker.os, "linux");
  // The same under the tag `npm run image` users pull by.
  assert.equal(JSON.parse(sh("buildah", ["inspect", "--type", "image", `${tag}:latest`])).FromImageID, inspected.FromImageID);

  // Export as OCI layout and unpack it the way a runtime would (rootless: ownership kept as xattrs).
  const layout = path.join(work, "oci");
  sh("buildah", ["push", ref, `oci:${layout}:test`]);
  const index = JSON.parse(fs.readFileSync(path.join(layout, "index.json"), "utf8"));
  const blob = (digest: string) => path.join(layout, "blobs", ...digest.split(":"));
  const manifest = JSON.parse(fs.readFileSync(blob(index.manifests[0].digest), "utf8"));
  const compressed = manifest.layers.reduce((n: number, l: { size: number }) => n + l.size, 0);
  // /data belongs to the image's user, so a fresh named volume does too.
  const listing = manifest.layers.map((l: { digest: string }) => sh("tar", ["--numeric-owner", "-tvzf", blob(l.digest)])).join("");
  assert.match(listing, /^d\S+ 10001\/10001 .* data\/?$/m);
  const bundle = path.join(work, "bundle");
  sh("umoci", ["unpack", "--rootless", "--image", `${layout}:test`, bundle]);
  const rootfs = path.join(bundle, "rootfs");
  const unpacked = Number(sh("du", ["-sb", rootfs]).split("\t")[0]);
  t.diagnostic(`image built in ${buildSeconds.toFixed(1)} s; ${(compressed / 1e6).toFixed(0)} MB compressed, ${(unpacked / 1e6).toFixed(0)} MB unpacked`);

  // Only what the server runs: no shell, compiler, package manager or dev dependency.
  for (const p of ["bin/sh", "usr/bin/gcc", "usr/bin/cc", "usr/bin/make", "usr/bin/npm", "usr/local/bin/npm", "app/node_modules/npm"]) {
    assert.ok(!fs.existsSync(path.join(rootfs, p)), `${p} is in the image`);
  }
  const dev = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies);
  const shipped = dev.filter((name) => fs.existsSync(path.join(rootfs, "app/node_modules", name)));
  assert.deepEqual(shipped, ["@prisma/schema-engine-wasm"], "only the migration engine of the dev dependencies is shipped");
  assert.ok(!fs.readdirSync(path.join(rootfs, "app/node_modules/@next")).some((n) => n.startsWith("swc-")), "Next's SWC compiler is shipped");

  // A runtime would mount the volume owned by uid 10001; umoci --rootless unpacked it as us.
  const dataDir = path.join(rootfs, "data");
  fs.chownSync(dataDir, 10001, 10001);
  const port = await freePort();
  const env = Object.fromEntries(config.Env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  // chroot starts in /: the entrypoint's relative script is resolved against WORKDIR.
  const [node, script] = config.Entrypoint;
  const output: string[] = [];
  const childEnv: NodeJS.ProcessEnv = { ...env, NODE_ENV: env.NODE_ENV as NodeJS.ProcessEnv["NODE_ENV"], HOST: "127.0.0.1", PORT: String(port), WHARF_ADMIN_PASSWORD: PASSWORD };
  const proc = spawn("chroot", ["--userspec=10001:10001", rootfs, node, path.posix.resolve(config.WorkingDir, script)], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = proc;
  proc.stdout.on("data", (d: Buffer) => output.push(String(d)));
  proc.stderr.on("data", (d: Buffer) => output.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  const status = await waitForReady(`${base}/readyz`, proc);
  assert.equal(status, 200, `/readyz never answered 200 (last: ${status}):\n${output.join("")}`);

  // The portal renders (Next loads its compiled config without SWC) and the data plane signs in against /data.
  const login = await fetch(`${base}/login`);
  assert.equal(login.status, 200);
  assert.match(await login.text(), /<title>[^<]*Wharf/);
  const token = await fetch(`${base}/oauth2/token?service=127.0.0.1:${port}&scope=registry:catalog:*`, {
    headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}` },
  });
  assert.equal(token.status, 200, await token.clone().text());
  assert.ok(((await token.json()) as { token?: string }).token);
  assert.ok(fs.existsSync(path.join(dataDir, "wharf.db")), "the database is not in /data");
  assert.equal(fs.statSync(path.join(dataDir, "wharf.db")).uid, 10001, "the server did not run as uid 10001");
});

function version(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
}

async function waitForReady(url: string, proc: ChildProcess): Promise<number> {
  let last = 0;
  // A deadline for start-up, not a timing assertion: the loop ends early when the server exits.
  for (let i = 0; i < 240 && proc.exitCode === null; i++) {
    try {
      last = (await fetch(url)).status;
      if (last === 200) return last;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}
