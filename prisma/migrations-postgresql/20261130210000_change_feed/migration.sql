-- Hand-written (not generated from schema.prisma): shared state for several Wharf nodes on one PostgreSQL.
-- Everything lives in schema wharf_shared, which Prisma neither migrates nor checks for drift. Triggers on Prisma's
-- tables tell every node when rows its caches hold changed (lib/registry/change-feed.ts):
-- * statement-level, so one NOTIFY per statement at most, and PostgreSQL folds identical notifications of one
--   transaction into one
-- * updates count only for the columns the caches read, so pull bookkeeping (Manifest.lastPulledAt) and a push's
--   blob claims (Blob.claimedAt, deletingAt) do not tell every node to forget
-- * each also bumps a sequence per topic, which nodes poll: a change whose notification was lost is still seen.
-- Rate-limit and failure-budget tables (UNLOGGED) are created in the same schema by the nodes on first use.
-- The migration tool splits scripts at every semicolon character, so the function bodies spell theirs \073 (octal).

CREATE SCHEMA IF NOT EXISTS wharf_shared;
CREATE SEQUENCE IF NOT EXISTS wharf_shared.reads_version;
CREATE SEQUENCE IF NOT EXISTS wharf_shared.credentials_version;
CREATE OR REPLACE FUNCTION wharf_shared.reads_changed() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM nextval(''wharf_shared.reads_version'')\073 PERFORM pg_notify(''wharf_changes'', ''reads'')\073 RETURN NULL\073 END';
CREATE OR REPLACE FUNCTION wharf_shared.credentials_changed() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM nextval(''wharf_shared.credentials_version'')\073 PERFORM pg_notify(''wharf_changes'', ''credentials'')\073 RETURN NULL\073 END';
CREATE OR REPLACE TRIGGER "wharf_reads_changed" AFTER INSERT OR UPDATE OF "name" OR DELETE OR TRUNCATE ON "Registry" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.reads_changed();
CREATE OR REPLACE TRIGGER "wharf_reads_changed" AFTER INSERT OR UPDATE OF "name", "registryId", "readEnabled" OR DELETE OR TRUNCATE ON "Repository" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.reads_changed();
CREATE OR REPLACE TRIGGER "wharf_reads_changed" AFTER INSERT OR UPDATE OF "name", "repositoryId", "manifestId", "readEnabled" OR DELETE OR TRUNCATE ON "Tag" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.reads_changed();
CREATE OR REPLACE TRIGGER "wharf_reads_changed" AFTER INSERT OR UPDATE OF "digest", "repositoryId", "mediaType", "size", "readEnabled" OR DELETE OR TRUNCATE ON "Manifest" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.reads_changed();
CREATE OR REPLACE TRIGGER "wharf_reads_changed" AFTER INSERT OR UPDATE OF "repositoryId", "digest" OR DELETE OR TRUNCATE ON "BlobLink" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.reads_changed();
CREATE OR REPLACE TRIGGER "wharf_reads_changed" AFTER INSERT OR UPDATE OF "digest", "size" OR DELETE OR TRUNCATE ON "Blob" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.reads_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ServicePrincipal" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RoleAssignment" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RegistryToken" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ScopeMap" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Registry" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
CREATE OR REPLACE TRIGGER "wharf_credentials_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ResourceGroup" FOR EACH STATEMENT EXECUTE FUNCTION wharf_shared.credentials_changed();
