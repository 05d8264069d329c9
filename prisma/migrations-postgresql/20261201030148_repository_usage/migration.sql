-- CreateTable
CREATE TABLE "RepositoryUsage" (
    "repositoryId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "computedVersion" INTEGER NOT NULL DEFAULT -1,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "sharedBytes" BIGINT NOT NULL DEFAULT 0,
    "computedAt" TIMESTAMP(3),

    CONSTRAINT "RepositoryUsage_pkey" PRIMARY KEY ("repositoryId")
);

-- AddForeignKey
ALTER TABLE "RepositoryUsage" ADD CONSTRAINT "RepositoryUsage_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma does not describe triggers): keep RepositoryUsage.version moving whenever a repository's
-- figures may have changed. A repository gaining or losing a digest changes its own figures, and changes another
-- repository's only when that one was the digest's single other holder (shared <-> exclusive). Each probe of other
-- holders reads at most two index entries per table, however popular the digest. Rows are only updated, never
-- inserted: a repository whose figures were never read has no row, and a cascade from a deleted repository finds none.
-- The migration tool splits scripts at every semicolon character, so the function body spells its own \073 (octal).
CREATE OR REPLACE FUNCTION wharf_shared.usage_changed() RETURNS trigger LANGUAGE plpgsql AS E'DECLARE r text\073 d text\073 BEGIN IF TG_OP = ''DELETE'' THEN r := OLD."repositoryId"\073 d := OLD."digest"\073 ELSE r := NEW."repositoryId"\073 d := NEW."digest"\073 END IF\073 UPDATE "RepositoryUsage" SET "version" = "version" + 1 WHERE "repositoryId" = r OR "repositoryId" = (SELECT MIN("o"."rid") FROM (SELECT "l"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "BlobLink" WHERE "digest" = d AND "repositoryId" <> r LIMIT 2) "l" UNION SELECT "m"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "Manifest" WHERE "digest" = d AND "repositoryId" <> r LIMIT 2) "m") "o" HAVING COUNT(*) = 1)\073 RETURN NULL\073 END';
CREATE OR REPLACE TRIGGER "wharf_usage_changed" AFTER INSERT OR DELETE ON "BlobLink" FOR EACH ROW EXECUTE FUNCTION wharf_shared.usage_changed();
CREATE OR REPLACE TRIGGER "wharf_usage_changed" AFTER INSERT OR DELETE ON "Manifest" FOR EACH ROW EXECUTE FUNCTION wharf_shared.usage_changed();
