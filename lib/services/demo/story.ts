/**
 * The demo's story (`npm run demo`, `wharf demo seed`): who and what it creates. One place, read by the seed, by
 * the script that prints the sign-ins, and by the test that checks the portal shows it.
 */

/** The sign-ins printed at the end. The Owner is the bootstrap administrator (WHARF_ADMIN_PASSWORD). */
export const DEMO_USERS = {
  owner: { username: "admin", password: "Demo-owner-2026", role: "Owner of the organisation" },
  lead: { username: "lead", password: "Demo-lead-2026", role: "Reader on the organisation (a team lead reviewing access)" },
  developer: { username: "dev", password: "Demo-dev-2026", role: "AcrPush on contosodev/team/api only" },
} as const;

/** More people: a release manager reaching the platform resource group through a group, and a leaver. */
export const DEMO_RELEASE_MANAGER = { username: "rita", password: "Demo-rita-2026" };
export const DEMO_LEAVER = { username: "former-contractor", password: "Demo-leaver-2026" };
export const DEMO_GROUP = { name: "release-managers", description: "Ship to production: Contributor on the platform resource group." };

export const DEMO_RESOURCE_GROUPS = ["platform", "apps"] as const;

/** Three registries of three SKUs. */
export const DEMO_REGISTRIES = {
  prod: { name: "contosoprod", sku: "Premium", resourceGroup: "platform" },
  dev: { name: "contosodev", sku: "Standard", resourceGroup: "apps" },
  sandbox: { name: "sandbox", sku: "Basic", resourceGroup: "apps" },
} as const;

/** Service principals: the pipeline that pushes every day, and a scanner that only pulls. */
export const DEMO_SERVICE_PRINCIPALS = { pipeline: "ci-pipeline", scanner: "image-scanner" } as const;

/**
 * Tokens of contosoprod: one used by the deploy job every day (it expires), one legacy that was never used and never
 * expires, and one last used by a nightly export long ago (the access review calls it stale).
 */
export const DEMO_TOKENS = { deploy: "deploy-pull", legacy: "legacy-push", stale: "nightly-export" } as const;

/** Days of history before today (each replayed with the server's clock moved back, when libfaketime is here). */
export const DEMO_HISTORY_DAYS = 6;
/** The day, long before the week, when the registries were set up and the nightly export last ran. */
export const DEMO_SETUP_DAY = -120;

/** Repositories with content, by registry. */
export const DEMO_REPOSITORIES = {
  prod: ["shop/api", "shop/frontend", "release/payments"],
  dev: ["team/api", "team/web", "base/runtime", "charts/shop"],
  sandbox: ["experiments/hello"],
} as const;

/** Where the cache rule of contosoprod sends misses: contosodev's base images, pulled anonymously. */
export const DEMO_CACHE_RULE = { name: "devbase", targetRepo: "mirror/*" };

/** The file in the data dir where the seed keeps the secrets it generated, so a second run can push and print them. */
export const DEMO_SECRETS_FILE = "demo-secrets.json";
