// A throw-away single-host Ceph (1 monitor, 1 bluestore OSD on a sparse file, no mgr, cephx) and its RADOS
// Gateway (real S3) on 127.0.0.1, everything under one directory. Measured choices (see the README's "Scale out"):
// msgr v1 only; cephx keys, because with auth none the OSD sometimes sends its boot message before it has the
// monmap and exits; pool size 1; a 50 ms paxos interval, which takes radosgw's first start from 9 s to 0.6 s.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { alive, killAll, portOpen, sh, waitFor } from "./infra.mjs";

function conf({ dir, fsid, monPort, rgwPort, osdPorts }) {
  return `[global]
fsid = ${fsid}
mon host = [v1:127.0.0.1:${monPort}]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr2 = false
ms bind ipv6 = false
keyring = ${dir}/keyring
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
pid file = ${dir}/run/$name.pid
log file = ${dir}/log/$name.log
log to stderr = false
err to stderr = false
mon cluster log file = ${dir}/log/cluster.log
crash dir = ${dir}/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = ${dir}/mon/$id
paxos propose interval = 0.05
paxos min wait = 0.01
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false

[osd]
osd data = ${dir}/osd/$id
ms bind port min = ${osdPorts[0]}
ms bind port max = ${osdPorts[1]}
osd objectstore = bluestore
osd memory target = 1073741824
osd op num shards = 2
osd op num threads per shard = 2
bluestore block create = true
bluestore block size = ${20 * 1024 ** 3}
bluestore fsck on mkfs = false
bluestore fsck on mount = false
bluestore cache autotune = false
bluestore cache size = 268435456

[client]
rgw data = ${dir}/rgw
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw thread pool size = 64
rgw enable usage log = false
`;
}

/**
 * Starts Ceph under `dir` and answers { dir, pids, endpoint, accessKey, secretKey, region }. `osdPorts` is the
 * [min, max] range the OSD binds its four ports in. `onStarted` sees the state once daemons exist, so a caller
 * can record it before a later step fails.
 */
export async function startCeph({ dir, monPort, rgwPort, osdPorts = [6800, 7300], onStarted = () => {} }) {
  if (fs.existsSync(dir)) throw new Error(`${dir} exists: stop the Ceph there first`);
  for (const d of ["mon/a", "osd/0", "run", "log", "rgw", "crash"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const cfg = path.join(dir, "ceph.conf");
  const fsid = crypto.randomUUID();
  const osdUuid = crypto.randomUUID();
  fs.writeFileSync(cfg, conf({ dir, fsid, monPort, rgwPort, osdPorts }));
  const state = {
    dir,
    monPort,
    rgwPort,
    endpoint: `http://127.0.0.1:${rgwPort}`,
    accessKey: crypto.randomBytes(10).toString("hex").toUpperCase(),
    secretKey: crypto.randomBytes(20).toString("hex"),
    region: "us-east-1",
  };
  onStarted(state);
  const env = { ...process.env, CEPH_CONF: cfg };
  const run = (cmd, args, timeout) => sh(cmd, args, { env, timeout });
  try {
    const kr = path.join(dir, "keyring");
    run("ceph-authtool", ["-C", kr, "-g", "-n", "mon.", "--cap", "mon", "allow *"]);
    run("ceph-authtool", [kr, "-g", "-n", "client.admin", "--cap", "mon", "allow *", "--cap", "osd", "allow *", "--cap", "mgr", "allow *"]);
    run("ceph-authtool", [kr, "-g", "-n", "osd.0", "--cap", "mon", "allow profile osd", "--cap", "osd", "allow *", "--cap", "mgr", "allow profile osd"]);
    run("ceph-authtool", [kr, "-g", "-n", "client.rgw.a", "--cap", "mon", "allow rw", "--cap", "osd", "allow rwx", "--cap", "mgr", "allow rw"]);
    run("monmaptool", ["--create", "--clobber", "--fsid", fsid, "--addv", "a", `[v1:127.0.0.1:${monPort}]`, path.join(dir, "monmap")]);
    run("ceph-mon", ["-c", cfg, "--mkfs", "-i", "a", "--monmap", path.join(dir, "monmap"), "--keyring", kr]);
    run("ceph-mon", ["-c", cfg, "-i", "a"]); // forks; pid in run/mon.a.pid
    const osdId = run("ceph", ["--connect-timeout", "30", "osd", "new", osdUuid], 60_000).trim();
    run("ceph-osd", ["-c", cfg, "-i", osdId, "--mkfs", "--osd-uuid", osdUuid]);
    run("ceph-osd", ["-c", cfg, "-i", osdId]); // forks; adds itself to CRUSH on boot
    await waitFor(`osd.${osdId} not up`, () => new RegExp(`^osd\\.${osdId} up`, "m").test(run("ceph", ["osd", "dump"], 30_000)), 60);
    run("radosgw", ["-c", cfg, "-n", "client.rgw.a"]); // forks; creates its pools on first start
    await waitFor(`radosgw not answering on 127.0.0.1:${rgwPort}`, async () => (await portOpen(rgwPort)) && (await fetch(state.endpoint).then((r) => r.ok, () => false)), 120);
    run("radosgw-admin", ["user", "create", "--uid=wharf", "--display-name=wharf", `--access-key=${state.accessKey}`, `--secret=${state.secretKey}`]);
    state.pids = cephPids(dir);
    return state;
  } catch (err) {
    const logs = fs.readdirSync(path.join(dir, "log")).map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, "log", f), "utf8").split("\n").slice(-15).join("\n")}`);
    throw new Error(`${err.message}\n${logs.join("\n")}`);
  }
}

/** Daemons of the Ceph under `dir`: by pid file, and only while the process still names this cluster's conf. */
function cephPids(dir) {
  const run = path.join(dir, "run");
  if (!fs.existsSync(run)) return [];
  return fs
    .readdirSync(run)
    .filter((f) => f.endsWith(".pid"))
    .map((f) => Number(fs.readFileSync(path.join(run, f), "utf8").trim()))
    .filter((pid) => pid && alive(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(path.join(dir, "ceph.conf")));
}

/** SIGKILL (graceful stop takes 6-10 s and the data goes anyway), then the whole directory. */
export async function stopCeph(ceph) {
  if (!ceph?.dir) return;
  await killAll([...new Set([...cephPids(ceph.dir), ...(ceph.pids ?? []).filter((p) => alive(p) && fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(ceph.dir))])]);
  fs.rmSync(ceph.dir, { recursive: true, force: true });
}

/** Creates a bucket through S3 itself (radosgw-admin cannot), with the SDK settings Ceph needs. */
export async function createBucket(ceph, bucket) {
  // The SDK's notice that 2027 releases want Node 22 says nothing about this cluster.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { S3Client, CreateBucketCommand } = await import("@aws-sdk/client-s3");
  const s3 = new S3Client({
    endpoint: ceph.endpoint,
    region: ceph.region,
    forcePathStyle: true,
    credentials: { accessKeyId: ceph.accessKey, secretAccessKey: ceph.secretKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
}
