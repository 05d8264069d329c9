#!/usr/bin/env node
// `npm run image`: build the container image localhost/wharf:<version> (and :latest) with
// buildah from the Containerfile, after `node scripts/build.mjs`. The Containerfile is
// FROM scratch (see its comments for why): this script assembles the root file system it
// copies, from this checkout's build output and this host's Node binary and libraries.
//
//   node scripts/image.mjs [--tag NAME] [--keep-context]
//
// --tag replaces localhost/wharf (tests use a throwaway name); --keep-context leaves the
// assembled build context in place and prints where it is.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { must, root } from "./lib.mjs";

const APP = "app";
const UID = 10001;
/** Production packages that the server never loads: a compiler, an image library, type declarations. */
const EXCLUDED_PACKAGES = [
  /^node_modules\/@next\/swc-/, // Next's compiler: not needed at run time, next.config.js is plain JavaScript
  /^node_modules\/sharp$/, // image optimisation: the portal serves no next/image
  /^node_modules\/@img\//,
  /^node_modules\/@types\//, // type declarations some packages list as dependencies: never loaded
];
/** Packages outside `dependencies` that start-up needs: the migration engine scripts/migrate.mjs runs. */
const EXTRA_PACKAGES = ["node_modules/@prisma/schema-engine-wasm"];
/** Inside packages: sources, build intermediates and docs a running server never reads. */
const PACKAGE_TRIM = {
  "node_modules/better-sqlite3": (rel) => rel === "package.json" || rel.startsWith("lib/") || rel === "build/Release/better_sqlite3.node",
  // Next's source maps (~80 MB) only map its own stack frames; dist/esm (~28 MB) is the
  // copy bundlers read at build time, the server loads dist/*.js (CommonJS).
  "node_modules/next": (rel) => !rel.endsWith(".map") && !rel.startsWith("dist/esm/"),
};
/** .next without the build cache, traces and generated types. */
const NEXT_SKIP = new Set(["cache", "trace", "trace-build", "types", "diagnostics"]);

export function buildImage({ tag = "localhost/wharf", keepContext = false, log = console.log } = {}) {
  const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
  const started = Date.now();
  const context = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-image-"));
  try {
    const rootfs = path.join(context, "rootfs");
    assembleRootfs(rootfs);
    fs.mkdirSync(path.join(context, "data"));
    fs.copyFileSync(path.join(root, "Containerfile"), path.join(context, "Containerfile"));
    const refs = [`${tag}:${version}`, `${tag}:latest`];
    log(`→ Building ${refs.join(" and ")} with buildah…`);
    must("buildah", [
      "bud",
      "--format", "docker", // keeps HEALTHCHECK, which the OCI image config has no field for
      "--timestamp", "0", // reproducible: epoch creation time and file times
      "--layers=false",
      "--identity-label=false", // the label carries buildah's version, which is no property of the image
      "-f", path.join(context, "Containerfile"),
      ...refs.flatMap((ref) => ["-t", ref]),
      context,
    ]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`✓ Built ${refs.join(", ")} in ${seconds} s (${formatSize(dirSize(rootfs))} unpacked)`);
    if (keepContext) log(`  Build context kept in ${context}`);
    return { refs, seconds: Number(seconds), context };
  } finally {
    if (!keepContext) fs.rmSync(context, { recursive: true, force: true });
  }
}

function assembleRootfs(rootfs) {
  const app = path.join(rootfs, APP);
  for (const required of [".next/BUILD_ID", "dist/server.js", "node_modules/@wharf/lib/dist/core/context.js"]) {
    if (!fs.existsSync(path.join(root, required))) throw new Error(`${required} is missing: run \`node scripts/build.mjs\` first.`);
  }
  copyNode(rootfs);
  writeEtc(rootfs);
  fs.mkdirSync(path.join(rootfs, "tmp"), { recursive: true, mode: 0o1777 });
  fs.chmodSync(path.join(rootfs, "tmp"), 0o1777);

  copy("package.json", app);
  copy("dist", app);
  copy("bin", app);
  copy("prisma", app);
  for (const script of ["migrate.mjs", "migrate-postgres.mjs", "pg-schema.mjs"]) copy(`scripts/${script}`, app);
  if (fs.existsSync(path.join(root, "public"))) copy("public", app);
  for (const entry of fs.readdirSync(path.join(root, ".next"))) if (!NEXT_SKIP.has(entry)) copy(`.next/${entry}`, app);
  copy("next.config.js", app);
  for (const pkg of productionPackages()) copyPackage(pkg, app);
  copyPackage("node_modules/@wharf/lib", app, (rel) => rel === "package.json" || rel.startsWith("dist/"));
  for (const lib of sharedLibraries([path.join(rootfs, "usr/local/bin/node"), ...nativeAddons(app)])) copyLibrary(lib, rootfs);
  makeReadable(rootfs);
}

/** Everything package-lock.json marks as needed in production, as installed on this host. */
function productionPackages() {
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")).packages;
  const names = Object.entries(lock)
    // `devOptional` marks dev tools that production packages name as optional peers (prisma, typescript).
    .filter(([key, meta]) => key && !meta.dev && !meta.devOptional && !meta.link)
    .map(([key]) => key)
    .filter((key) => !EXCLUDED_PACKAGES.some((re) => re.test(key)))
    // Optional packages for other platforms are in the lockfile but not installed.
    .filter((key) => fs.existsSync(path.join(root, key)));
  return [...names, ...EXTRA_PACKAGES];
}

function copyPackage(pkg, app, keep = PACKAGE_TRIM[pkg]) {
  const from = path.join(root, pkg);
  fs.cpSync(from, path.join(app, pkg), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      const rel = path.relative(from, src);
      if (!rel) return true;
      // Nested packages are copied on their own, when production needs them.
      if (rel === "node_modules" || rel.startsWith(`node_modules${path.sep}`)) return false;
      if (!keep) return true;
      return fs.lstatSync(src).isDirectory() ? true : keep(rel.split(path.sep).join("/"));
    },
  });
}

function copy(rel, app) {
  const dest = path.join(app, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(path.join(root, rel), dest, { recursive: true, verbatimSymlinks: true });
}

/** The host's Node binary, as /usr/local/bin/node. */
function copyNode(rootfs) {
  const dest = path.join(rootfs, "usr/local/bin/node");
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(fs.realpathSync(process.execPath), dest);
  fs.chmodSync(dest, 0o755);
}

function writeEtc(rootfs) {
  const etc = path.join(rootfs, "etc");
  fs.mkdirSync(path.join(etc, "ssl/certs"), { recursive: true });
  fs.writeFileSync(path.join(etc, "passwd"), `root:x:0:0:root:/root:/sbin/nologin\nwharf:x:${UID}:${UID}:Wharf:/data:/sbin/nologin\n`);
  fs.writeFileSync(path.join(etc, "group"), `root:x:0:\nwharf:x:${UID}:\n`);
  // glibc resolves host names itself (files and dns are built into libc since 2.34).
  fs.writeFileSync(path.join(etc, "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  const bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: install Debian's ca-certificates package.`);
  fs.copyFileSync(bundle, path.join(etc, "ssl/certs/ca-certificates.crt"));
}

function nativeAddons(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".node")) out.push(p);
    }
  };
  walk(path.join(dir, "node_modules"));
  return out;
}

/** What `ldd` says these files load (the dynamic loader included), as host paths. */
function sharedLibraries(files) {
  const libs = new Set();
  for (const file of files) {
    const r = spawnSync("ldd", [file], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`ldd ${file} failed: ${r.stderr || r.stdout}`);
    for (const line of r.stdout.split("\n")) {
      const m = line.match(/(?:=>\s*)?(\/\S+)\s+\(0x/);
      if (m) libs.add(m[1]);
      else if (/not found/.test(line)) throw new Error(`${file} needs a library this host lacks: ${line.trim()}`);
    }
  }
  return [...libs].sort();
}

/**
 * Copy a library to the path the loader will look for it at. Debian merges /lib into
 * /usr/lib, so the top-level links (/lib, /lib64) are recreated as links and the file
 * goes where its folder really is, under the name ldd used.
 */
function copyLibrary(lib, rootfs) {
  const top = "/" + lib.split("/")[1];
  const hostTop = fs.lstatSync(top);
  const rootTop = path.join(rootfs, top);
  if (hostTop.isSymbolicLink() && !fs.existsSync(rootTop)) fs.symlinkSync(fs.readlinkSync(top), rootTop);
  const dest = path.join(rootfs, fs.realpathSync(path.dirname(lib)), path.basename(lib));
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(fs.realpathSync(lib), dest);
  fs.chmodSync(dest, 0o755);
}

/** The server runs as uid 10001 and owns nothing outside /data: everything must be world-readable. */
function makeReadable(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    const mode = fs.statSync(p).mode & 0o7777;
    if (e.isDirectory()) {
      fs.chmodSync(p, mode | 0o555);
      makeReadable(p);
    } else fs.chmodSync(p, mode & 0o100 ? mode | 0o555 : mode | 0o444);
  }
}

function dirSize(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

export const formatSize = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(root, "scripts", "image.mjs")) {
  const args = process.argv.slice(2);
  const tagAt = args.indexOf("--tag");
  try {
    buildImage({ tag: tagAt >= 0 ? args[tagAt + 1] : undefined, keepContext: args.includes("--keep-context") });
  } catch (err) {
    console.error(`✖ ${err.message}`);
    process.exit(1);
  }
}
