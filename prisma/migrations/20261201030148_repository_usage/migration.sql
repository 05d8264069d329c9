-- CreateTable
CREATE TABLE "RepositoryUsage" (
    "repositoryId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0,
    "computedVersion" INTEGER NOT NULL DEFAULT -1,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "sharedBytes" BIGINT NOT NULL DEFAULT 0,
    "computedAt" DATETIME,
    CONSTRAINT "RepositoryUsage_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Hand-written (Prisma does not describe triggers): keep RepositoryUsage.version moving whenever a repository's
-- figures may have changed. A repository gaining or losing a digest changes its own figures, and changes another
-- repository's only when that one was the digest's single other holder (shared <-> exclusive). Each probe of other
-- holders reads at most two index entries per table, however popular the digest. Rows are only updated, never
-- inserted: a repository whose figures were never read has no row, and a cascade from a deleted repository finds none.
CREATE TRIGGER "wharf_usage_BlobLink_insert" AFTER INSERT ON "BlobLink" BEGIN UPDATE "RepositoryUsage" SET "version" = "version" + 1 WHERE "repositoryId" = NEW."repositoryId" OR "repositoryId" = (SELECT MIN("o"."rid") FROM (SELECT "l"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "BlobLink" WHERE "digest" = NEW."digest" AND "repositoryId" <> NEW."repositoryId" LIMIT 2) "l" UNION SELECT "m"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "Manifest" WHERE "digest" = NEW."digest" AND "repositoryId" <> NEW."repositoryId" LIMIT 2) "m") "o" HAVING COUNT(*) = 1); END;
CREATE TRIGGER "wharf_usage_BlobLink_delete" AFTER DELETE ON "BlobLink" BEGIN UPDATE "RepositoryUsage" SET "version" = "version" + 1 WHERE "repositoryId" = OLD."repositoryId" OR "repositoryId" = (SELECT MIN("o"."rid") FROM (SELECT "l"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "BlobLink" WHERE "digest" = OLD."digest" AND "repositoryId" <> OLD."repositoryId" LIMIT 2) "l" UNION SELECT "m"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "Manifest" WHERE "digest" = OLD."digest" AND "repositoryId" <> OLD."repositoryId" LIMIT 2) "m") "o" HAVING COUNT(*) = 1); END;
CREATE TRIGGER "wharf_usage_Manifest_insert" AFTER INSERT ON "Manifest" BEGIN UPDATE "RepositoryUsage" SET "version" = "version" + 1 WHERE "repositoryId" = NEW."repositoryId" OR "repositoryId" = (SELECT MIN("o"."rid") FROM (SELECT "l"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "BlobLink" WHERE "digest" = NEW."digest" AND "repositoryId" <> NEW."repositoryId" LIMIT 2) "l" UNION SELECT "m"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "Manifest" WHERE "digest" = NEW."digest" AND "repositoryId" <> NEW."repositoryId" LIMIT 2) "m") "o" HAVING COUNT(*) = 1); END;
CREATE TRIGGER "wharf_usage_Manifest_delete" AFTER DELETE ON "Manifest" BEGIN UPDATE "RepositoryUsage" SET "version" = "version" + 1 WHERE "repositoryId" = OLD."repositoryId" OR "repositoryId" = (SELECT MIN("o"."rid") FROM (SELECT "l"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "BlobLink" WHERE "digest" = OLD."digest" AND "repositoryId" <> OLD."repositoryId" LIMIT 2) "l" UNION SELECT "m"."rid" FROM (SELECT "repositoryId" AS "rid" FROM "Manifest" WHERE "digest" = OLD."digest" AND "repositoryId" <> OLD."repositoryId" LIMIT 2) "m") "o" HAVING COUNT(*) = 1); END;
