-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Manifest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "repositoryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "artifactType" TEXT,
    "size" INTEGER NOT NULL,
    "subjectDigest" TEXT,
    "configDigest" TEXT,
    "contentSize" BIGINT NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "writeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deleteEnabled" BOOLEAN NOT NULL DEFAULT true,
    "readEnabled" BOOLEAN NOT NULL DEFAULT true,
    "listEnabled" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Manifest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Manifest" ("artifactType", "configDigest", "contentSize", "createdAt", "digest", "id", "mediaType", "repositoryId", "size", "subjectDigest", "updatedAt") SELECT "artifactType", "configDigest", "contentSize", "createdAt", "digest", "id", "mediaType", "repositoryId", "size", "subjectDigest", "updatedAt" FROM "Manifest";
DROP TABLE "Manifest";
ALTER TABLE "new_Manifest" RENAME TO "Manifest";
CREATE INDEX "Manifest_repositoryId_subjectDigest_idx" ON "Manifest"("repositoryId", "subjectDigest");
CREATE UNIQUE INDEX "Manifest_repositoryId_digest_key" ON "Manifest"("repositoryId", "digest");
CREATE TABLE "new_Repository" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "writeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deleteEnabled" BOOLEAN NOT NULL DEFAULT true,
    "readEnabled" BOOLEAN NOT NULL DEFAULT true,
    "listEnabled" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Repository_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Repository" ("createdAt", "id", "name", "registryId", "updatedAt") SELECT "createdAt", "id", "name", "registryId", "updatedAt" FROM "Repository";
DROP TABLE "Repository";
ALTER TABLE "new_Repository" RENAME TO "Repository";
CREATE UNIQUE INDEX "Repository_registryId_name_key" ON "Repository"("registryId", "name");
CREATE TABLE "new_Tag" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "repositoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "manifestId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "writeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deleteEnabled" BOOLEAN NOT NULL DEFAULT true,
    "readEnabled" BOOLEAN NOT NULL DEFAULT true,
    "listEnabled" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Tag_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Tag_manifestId_fkey" FOREIGN KEY ("manifestId") REFERENCES "Manifest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Tag" ("createdAt", "id", "manifestId", "name", "repositoryId", "updatedAt") SELECT "createdAt", "id", "manifestId", "name", "repositoryId", "updatedAt" FROM "Tag";
DROP TABLE "Tag";
ALTER TABLE "new_Tag" RENAME TO "Tag";
CREATE INDEX "Tag_manifestId_idx" ON "Tag"("manifestId");
CREATE UNIQUE INDEX "Tag_repositoryId_name_key" ON "Tag"("repositoryId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
