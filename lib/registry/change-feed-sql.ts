/**
 * PostgreSQL triggers that tell every node when rows its caches hold changed (change-feed.ts). Statement-level:
 * one notification per statement at most, and PostgreSQL folds identical notifications of one transaction into
 * one. Updates count only for the columns the caches read, so pull bookkeeping (Manifest.lastPulledAt) and a
 * push's blob claims (Blob.claimedAt) do not empty every node's memo.
 *
 * Applied by the PostgreSQL migration that carries this text (the test applies it to its database).
 */
const READS: Record<string, string[] | null> = {
  Registry: ["name"],
  Repository: ["name", "registryId", "readEnabled"],
  Tag: ["name", "repositoryId", "manifestId", "readEnabled"],
  Manifest: ["digest", "repositoryId", "mediaType", "size", "readEnabled"],
  BlobLink: ["repositoryId", "digest"],
  Blob: ["digest", "size"],
};
// Everything a credential fingerprint or a registry's access policy is made of: any change counts.
const CREDENTIALS = ["User", "ServicePrincipal", "RoleAssignment", "RegistryToken", "ScopeMap", "Registry", "ResourceGroup"];

const fn = (topic: string) => `CREATE OR REPLACE FUNCTION wharf_shared.${topic}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('wharf_shared.${topic}_version');
  PERFORM pg_notify('wharf_changes', '${topic}');
  RETURN NULL;
END $$;`;

const trigger = (topic: string, table: string, columns: string[] | null) =>
  `CREATE OR REPLACE TRIGGER "wharf_${topic}_changed" AFTER INSERT OR UPDATE${columns ? ` OF ${columns.map((c) => `"${c}"`).join(", ")}` : ""} OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.${topic}_changed();`;

export const CHANGE_FEED_SQL = [
  "CREATE SCHEMA IF NOT EXISTS wharf_shared;",
  "CREATE SEQUENCE IF NOT EXISTS wharf_shared.reads_version;",
  "CREATE SEQUENCE IF NOT EXISTS wharf_shared.credentials_version;",
  fn("reads"),
  fn("credentials"),
  ...Object.entries(READS).map(([table, columns]) => trigger("reads", table, columns)),
  ...CREDENTIALS.map((table) => trigger("credentials", table, null)),
].join("\n");
