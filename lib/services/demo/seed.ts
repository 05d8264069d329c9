import fs from "node:fs";
import path from "node:path";
import { LOCAL_OPERATOR as me } from "../../auth/actor";
import { config } from "../../core/context";
import { WharfError } from "../../core/errors";
import { createCacheRule, listCacheRules } from "../cache-rules";
import { addGroupMember, createGroup, listGroups } from "../groups";
import { createImport, getImport, listImports } from "../import";
import { loginServerOf } from "../login-server";
import { setLocks } from "../locks";
import { deleteManifest } from "../manifests";
import { listDeleted, showSoftDelete, updateSoftDelete } from "../recycle-bin";
import { createRegistry, listRegistries } from "../registries";
import { createResourceGroup, listResourceGroups } from "../resource-groups";
import { updateRegistry } from "../registry-settings";
import { showRetention, updateRetention } from "../retention";
import { createRoleAssignment } from "../role-assignments";
import { createServicePrincipal, listServicePrincipals, resetServicePrincipalSecret } from "../service-principals";
import { createTagRule, listTagRules } from "../tag-rules";
import { createToken, generateTokenPassword, listTokens } from "../tokens";
import { createUserAs, listUsers, setUserDisabled } from "../users";
import { checkWebhookUri } from "../webhook-rules";
import { createWebhook, listWebhooks, updateWebhook } from "../webhooks";
import { helmChart, image, multiArch, sbom, signature } from "./content";
import {
  DEMO_CACHE_RULE, DEMO_GROUP, DEMO_HISTORY_DAYS, DEMO_LEAVER, DEMO_REGISTRIES, DEMO_RELEASE_MANAGER, DEMO_RESOURCE_GROUPS,
  DEMO_SECRETS_FILE, DEMO_SERVICE_PRINCIPALS, DEMO_SETUP_DAY, DEMO_TOKENS, DEMO_USERS,
} from "./story";
import { DemoClient } from "./v2-client";

/**
 * `wharf demo seed`: the demo's story, built only through Wharf's services (as the operator on this data dir) and
 * the running server's /v2 (as the story's people and robots), so a broken feature breaks the seed loudly.
 * Idempotent: each step looks for its result first. `day` is how many days before today this run plays (the
 * script runs the server and this command with their clocks moved back for the history); 0 is today.
 */

export type SeedOptions = { url: string; day: number; webhookUrl?: string | null; log?: (line: string) => void };
type Login = { username: string; password: string };
export type DemoSecrets = { pipeline: { clientId: string; secret: string }; scanner: { clientId: string; secret: string }; deployToken: Login; staleToken?: Login };

const { prod, dev, sandbox } = DEMO_REGISTRIES;

/** Runs a create that may already have happened; a CONFLICT means it did. */
async function once<T>(make: () => Promise<T>): Promise<T | null> {
  try {
    return await make();
  } catch (err) {
    if (err instanceof WharfError && err.code === "CONFLICT") return null;
    throw err;
  }
}

function secretsPath(): string {
  return path.join(config().dataDir, DEMO_SECRETS_FILE);
}

function readSecrets(): Partial<DemoSecrets> {
  try {
    return JSON.parse(fs.readFileSync(secretsPath(), "utf8")) as Partial<DemoSecrets>;
  } catch {
    return {};
  }
}

function writeSecrets(s: Partial<DemoSecrets>): void {
  fs.writeFileSync(secretsPath(), `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}

/** The organisation, people, groups, registries and their policies: everything that is not content. */
async function seedStructure(opts: SeedOptions): Promise<DemoSecrets> {
  const log = opts.log ?? (() => {});
  const groups = new Set((await listResourceGroups(me)).map((g) => g.name));
  for (const rg of DEMO_RESOURCE_GROUPS) if (!groups.has(rg)) await createResourceGroup(me, { name: rg });

  const registries = new Set((await listRegistries(me)).map((r) => r.name));
  if (!registries.has(prod.name)) {
    log(`creating ${prod.name} (Premium, selected networks)`);
    await createRegistry(me, {
      name: prod.name, sku: prod.sku, resourceGroup: { mode: "existing", name: prod.resourceGroup },
      publicAccess: "selected", networkRules: ["127.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16"],
      tags: [{ name: "env", value: "production" }, { name: "owner", value: "platform-team" }],
    });
  }
  if (!registries.has(dev.name)) {
    await createRegistry(me, { name: dev.name, sku: dev.sku, resourceGroup: { mode: "existing", name: dev.resourceGroup }, tags: [{ name: "env", value: "development" }] });
    await updateRegistry(me, dev.name, { anonymousPullEnabled: true });
  }
  if (!registries.has(sandbox.name)) {
    await createRegistry(me, { name: sandbox.name, sku: sandbox.sku, resourceGroup: { mode: "existing", name: sandbox.resourceGroup } });
    await updateRegistry(me, sandbox.name, { adminUserEnabled: true });
  }

  // Policies of the production registry: a week in the recycle bin, untagged manifests kept 30 days, releases once.
  // Only when they differ, so a second seed leaves no "changed" entries in the activity log.
  const soft = await showSoftDelete(me, { registry: prod.name });
  if (soft.status !== "enabled" || soft.days !== 7) await updateSoftDelete(me, { registry: prod.name, status: "enabled", days: 7 });
  const retention = await showRetention(me, { registry: prod.name });
  if (retention.status !== "enabled" || retention.days !== 30) await updateRetention(me, { registry: prod.name, status: "enabled", days: 30 });
  if (!(await listTagRules(me, { registry: prod.name })).length) {
    await createTagRule(me, { registry: prod.name, repositoryPattern: "release/*", tagPattern: "*.*.*" });
  }

  // People.
  const people = await listUsers();
  const users = new Set(people.map((u) => u.username));
  for (const u of [DEMO_USERS.lead, DEMO_USERS.developer, DEMO_RELEASE_MANAGER, DEMO_LEAVER]) {
    if (!users.has(u.username)) await createUserAs(me, { username: u.username, password: u.password });
  }
  if (!(await listGroups(me)).some((g) => g.name === DEMO_GROUP.name)) {
    await createGroup(me, DEMO_GROUP);
    await addGroupMember(me, { group: DEMO_GROUP.name, member: DEMO_RELEASE_MANAGER.username });
  }

  // Robots: secrets are shown once, so the seed keeps its own copy in the demo's data dir.
  const secrets = readSecrets();
  const sps = await listServicePrincipals(me);
  for (const [key, name] of [["pipeline", DEMO_SERVICE_PRINCIPALS.pipeline], ["scanner", DEMO_SERVICE_PRINCIPALS.scanner]] as const) {
    const found = sps.find((s) => s.displayName === name);
    if (!found) {
      const sp = await createServicePrincipal(me, { displayName: name });
      secrets[key] = { clientId: sp.clientId, secret: sp.secret };
    } else if (secrets[key]?.clientId !== found.clientId) {
      const reset = await resetServicePrincipalSecret(me, found.clientId);
      secrets[key] = { clientId: found.clientId, secret: reset.secret };
    }
  }
  writeSecrets(secrets);

  // Role assignments at every scope (repeats are refused as conflicts, which `once` reads as done).
  const assign = (assignee: string, role: string, scope: string) => once(() => createRoleAssignment(me, { assignee, role, scope }));
  await assign(DEMO_USERS.lead.username, "Reader", "/");
  await assign(secrets.pipeline!.clientId, "AcrPush", "/");
  await assign(`group:${DEMO_GROUP.name}`, "Contributor", `/resourceGroups/${prod.resourceGroup}`);
  await assign(secrets.scanner!.clientId, "AcrPull", `/registries/${prod.name}`);
  await assign(DEMO_USERS.developer.username, "AcrPush", `/registries/${dev.name}/repositories/team/api`);
  await assign(DEMO_LEAVER.username, "AcrPush", `/registries/${sandbox.name}`);
  if (!people.find((u) => u.username === DEMO_LEAVER.username)?.disabled) await setUserDisabled(me, DEMO_LEAVER.username, true);

  // Tokens of the production registry: the deploy job's (its password expires) and a legacy one nobody uses.
  const tokens = new Set((await listTokens(me, prod.name)).map((t) => t.name));
  if (!tokens.has(DEMO_TOKENS.legacy)) await createToken(me, { registry: prod.name, name: DEMO_TOKENS.legacy, scopeMap: "_repositories_push" });
  if (!tokens.has(DEMO_TOKENS.deploy) || !secrets.deployToken) {
    if (!tokens.has(DEMO_TOKENS.deploy)) await createToken(me, { registry: prod.name, name: DEMO_TOKENS.deploy, repositories: [{ repository: "shop/api", actions: ["content/read", "metadata/read"] }, { repository: "shop/frontend", actions: ["content/read", "metadata/read"] }], generatePasswords: false });
    const pw = await generateTokenPassword(me, { registry: prod.name, name: DEMO_TOKENS.deploy, password: 1, expiry: new Date(Date.now() + 365 * 86_400_000) });
    secrets.deployToken = { username: pw.username, password: pw.passwords[0].value };
    writeSecrets(secrets);
  }

  // Webhooks: one to the receiver the demo script runs (when there is one), one to an address nobody answers.
  const hooks = new Map((await listWebhooks(me, { registry: prod.name })).map((w) => [w.name, w]));
  const deploybot = hooks.get("deploybot");
  if (opts.webhookUrl && !deploybot) {
    await createWebhook(me, { registry: prod.name, name: "deploybot", uri: opts.webhookUrl, actions: ["push", "delete"], scope: "shop/*", headers: { "X-Team": "platform" } });
  } else if (opts.webhookUrl && deploybot && deploybot.uri !== checkWebhookUri(opts.webhookUrl).display) {
    // The demo restarted on another port: its receiver moved with it.
    await updateWebhook(me, { registry: prod.name, name: "deploybot", uri: opts.webhookUrl });
  }
  if (!hooks.has("chatops")) await createWebhook(me, { registry: prod.name, name: "chatops", uri: "http://127.0.0.1:9/notify", actions: ["push"], scope: "release/*" });

  // The cache rule: misses under mirror/* come from contosodev's base images, through this server, anonymously.
  const sourceRepo = `${new URL(opts.url).host}/${dev.name}/base/*`;
  const rule = (await listCacheRules(me, { registry: prod.name })).find((r) => r.name === DEMO_CACHE_RULE.name);
  if (!rule) {
    await createCacheRule(me, { registry: prod.name, name: DEMO_CACHE_RULE.name, sourceRepo, targetRepo: DEMO_CACHE_RULE.targetRepo, ttlSeconds: 3600 });
  } else if (rule.sourceRepo !== sourceRepo) {
    // A rule's source cannot change (as in ACR), and a new rule may not cover what the old one cached.
    log(`The cache rule '${rule.name}' still fetches from ${rule.sourceRepo} (the demo ran on another port before): it serves what it cached, marked stale. --reset rebuilds it for this port.`);
  }
  return secrets as DemoSecrets;
}

/** The content that exists from the first day: the base image, the frontend with its SBOM and signature, a chart. */
async function seedFirstContent(pipeline: DemoClient): Promise<void> {
  const p = (repo: string) => `${prod.name}/${repo}`;
  const d = (repo: string) => `${dev.name}/${repo}`;
  if (await pipeline.digestOf(p("shop/frontend"), "1.0.0")) return;
  await pipeline.push(d("base/runtime"), image("base/runtime", "1"), "1");
  await pipeline.push(d("team/web"), image("team/web", "1.0"), "1.0");
  await pipeline.push(d("charts/shop"), helmChart("shop", "0.1.0"), "0.1.0");
  const frontend = multiArch("shop/frontend", "1.0.0");
  await pipeline.push(p("shop/frontend"), frontend, "1.0.0");
  await pipeline.push(p("shop/frontend"), sbom(frontend, "shop/frontend", "1.0.0"), null);
  await pipeline.push(p("shop/frontend"), signature(frontend), null);
  await pipeline.push(p("release/payments"), image("release/payments", "2.0.0"), "2.0.0");
  await setLocks(me, { registry: prod.name, repository: "release/payments", tag: "2.0.0" }, { writeEnabled: false, deleteEnabled: false });
  await pipeline.push(`${sandbox.name}/experiments/hello`, image("experiments/hello", "v1"), "v1");
}

/** One day of work: a build of the API (moving `latest`), the developer's push, deploys, scans and anonymous pulls. */
async function seedDay(url: string, day: number, secrets: DemoSecrets, log: (line: string) => void): Promise<void> {
  const n = DEMO_HISTORY_DAYS + day; // 0 on the first day of the history, DEMO_HISTORY_DAYS today
  const pipeline = new DemoClient(url, { username: secrets.pipeline.clientId, password: secrets.pipeline.secret });
  await seedFirstContent(pipeline);
  const api = `${prod.name}/shop/api`;
  const version = `1.${n}.0`;
  if (await pipeline.digestOf(api, version)) return log(`day ${day}: already played`);
  log(`day ${day}: shop/api ${version}`);
  await pipeline.push(api, image("shop/api", version), version);
  await pipeline.push(api, image("shop/api", version), "latest");
  // A nightly build each day, pushed by digest only: untagged manifests for retention and the Manifests view.
  await pipeline.push(api, image("shop/api", `${version}-nightly`), null);

  const developer = new DemoClient(url, DEMO_USERS.developer);
  await developer.push(`${dev.name}/team/api`, image("team/api", `0.${n}`), `0.${n}`);
  if (n % 3 === 1) await developer.failedLogin(DEMO_USERS.developer.username, `${dev.name}/team/api`);

  const deploy = new DemoClient(url, secrets.deployToken);
  const scanner = new DemoClient(url, { username: secrets.scanner.clientId, password: secrets.scanner.secret });
  const anonymous = new DemoClient(url, null);
  const pulls = 2 + ((n * 5) % 4); // a different number each day, so the chart has a shape
  for (let i = 0; i < pulls; i++) await deploy.pull(api, "latest");
  await deploy.pull(`${prod.name}/shop/frontend`, "1.0.0");
  await scanner.pull(api, version);
  for (let i = 0; i < 1 + (n % 3); i++) await anonymous.pull(`${dev.name}/base/runtime`, "1");
  await new DemoClient(url, DEMO_USERS.lead).token(api, "pull").catch(() => null);
}

/** Today only: a delete into the recycle bin, a pull through the cache rule, and an import job. */
async function seedToday(url: string, secrets: DemoSecrets, log: (line: string) => void): Promise<void> {
  const pipeline = new DemoClient(url, { username: secrets.pipeline.clientId, password: secrets.pipeline.secret });
  // A release candidate pushed and withdrawn: it waits in the recycle bin for its 7 days.
  if (!(await listDeleted(me, { registry: prod.name })).items.length) {
    log("withdrawing shop/api 2.0.0-rc1 into the recycle bin");
    const rc = await pipeline.push(`${prod.name}/shop/api`, image("shop/api", "2.0.0-rc1"), "2.0.0-rc1");
    await deleteManifest(me, { registry: prod.name, repository: "shop/api", digest: rc });
  }
  // mirror/runtime is not pushed anywhere: the pull misses, and the cache rule fetches contosodev/base/runtime.
  await pipeline.pull(`${prod.name}/mirror/runtime`, "1").catch((err: Error) => {
    const host = new URL(url).host;
    throw new Error(`${err.message}\nThe demo's cache rule pulls from this same server over plain HTTP: start it with WHARF_INSECURE_REGISTRIES=${host} (npm run demo does).`);
  });
  if (!(await listImports(me, { registry: prod.name })).length) {
    log("importing contosodev/team/web:1.0 into contosoprod/shop/web");
    const job = await createImport(me, { registry: prod.name, source: `${new URL(url).host}/${dev.name}/team/web:1.0`, images: ["shop/web:1.0"] });
    for (let i = 0; i < 100; i++) {
      const now = await getImport(me, { registry: prod.name, id: job.id });
      if (now.status === "succeeded") break;
      if (now.status === "failed") throw new Error(`the demo's import failed: ${now.error}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/**
 * The setup day, months back: the registries' first content, and the one night the export token ran (so the access
 * review has a credential unused for longer than its threshold).
 */
async function seedSetupDay(url: string, secrets: DemoSecrets, log: (line: string) => void): Promise<void> {
  await seedFirstContent(new DemoClient(url, { username: secrets.pipeline.clientId, password: secrets.pipeline.secret }));
  if ((await listTokens(me, prod.name)).some((t) => t.name === DEMO_TOKENS.stale)) return log("setup day: already played");
  log(`setup day: the ${DEMO_TOKENS.stale} token's one run`);
  await createToken(me, { registry: prod.name, name: DEMO_TOKENS.stale, scopeMap: "_repositories_pull", generatePasswords: false });
  const pw = await generateTokenPassword(me, { registry: prod.name, name: DEMO_TOKENS.stale, password: 1, expiry: new Date(Date.now() + 365 * 86_400_000) });
  secrets.staleToken = { username: pw.username, password: pw.passwords[0].value };
  writeSecrets(secrets);
  await new DemoClient(url, secrets.staleToken).pull(`${prod.name}/shop/frontend`, "1.0.0");
}

/** The days `--day` accepts: the setup day, then the week before today. */
export const isDemoDay = (day: number) => day === DEMO_SETUP_DAY || (Number.isInteger(day) && day <= 0 && day >= -DEMO_HISTORY_DAYS);

/** Runs the seed for one day; returns the secrets the printed commands use. */
export async function seedDemo(opts: SeedOptions): Promise<DemoSecrets> {
  const log = opts.log ?? (() => {});
  if (!isDemoDay(opts.day)) throw new Error(`--day must be ${DEMO_SETUP_DAY} or a whole number from -${DEMO_HISTORY_DAYS} to 0 (days before today).`);
  const secrets = await seedStructure(opts);
  if (opts.day === DEMO_SETUP_DAY) {
    await seedSetupDay(opts.url, secrets, log);
    return secrets;
  }
  await seedDay(opts.url, opts.day, secrets, log);
  if (opts.day === 0) await seedToday(opts.url, secrets, log);
  return secrets;
}

/** The server this data dir's last server recorded (the CLI has no port of its own): where `wharf demo seed` pushes. */
export function recordedServerUrl(): string {
  const c = config();
  return c.WHARF_PUBLIC_URL ?? `http://${loginServerOf("x").loginServer}`;
}
