-- AlterTable
ALTER TABLE "Blob" ADD COLUMN "claimedAt" DATETIME;
ALTER TABLE "Blob" ADD COLUMN "deletingAt" DATETIME;

-- AlterTable
ALTER TABLE "BlobLink" ADD COLUMN "lastReferencedAt" DATETIME;

-- AlterTable
ALTER TABLE "Manifest" ADD COLUMN "lastPulledAt" DATETIME;
ALTER TABLE "Manifest" ADD COLUMN "untaggedAt" DATETIME;

-- CreateTable
CREATE TABLE "LinkReview" (
    "repositoryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("repositoryId", "digest"),
    CONSTRAINT "LinkReview_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BlobReview" (
    "digest" TEXT NOT NULL PRIMARY KEY,
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registryId" TEXT
);

-- CreateTable
CREATE TABLE "GcStat" (
    "registryId" TEXT NOT NULL PRIMARY KEY,
    "bytesFreed" BIGINT NOT NULL DEFAULT 0,
    "blobsDeleted" INTEGER NOT NULL DEFAULT 0,
    "manifestsDeleted" INTEGER NOT NULL DEFAULT 0,
    "uploadsDeleted" INTEGER NOT NULL DEFAULT 0,
    "lastRunAt" DATETIME,
    CONSTRAINT "GcStat_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "progress" TEXT NOT NULL DEFAULT '{}',
    "requestedAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "lastResult" TEXT,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "RecycledManifest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "artifactType" TEXT,
    "size" INTEGER NOT NULL,
    "subjectDigest" TEXT,
    "configDigest" TEXT,
    "contentSize" BIGINT NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL,
    "deletedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "deletedBy" TEXT NOT NULL,
    CONSTRAINT "RecycledManifest_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RecycledManifest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecycledReference" (
    "entryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "platform" TEXT,

    PRIMARY KEY ("entryId", "digest"),
    CONSTRAINT "RecycledReference_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "RecycledManifest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TagRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "repositoryPattern" TEXT NOT NULL DEFAULT '**',
    "tagPattern" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TagRule_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Registry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "sku" TEXT NOT NULL DEFAULT 'Standard',
    "location" TEXT NOT NULL DEFAULT 'local',
    "resourceGroupId" TEXT,
    "anonymousPullEnabled" BOOLEAN NOT NULL DEFAULT false,
    "adminUserEnabled" BOOLEAN NOT NULL DEFAULT false,
    "adminPassword1Hash" TEXT,
    "adminPassword1At" DATETIME,
    "adminPassword2Hash" TEXT,
    "adminPassword2At" DATETIME,
    "publicNetworkAccess" TEXT NOT NULL DEFAULT 'Enabled',
    "networkDefaultAction" TEXT NOT NULL DEFAULT 'Allow',
    "networkRules" TEXT NOT NULL DEFAULT '[]',
    "encryption" TEXT NOT NULL DEFAULT 'service-managed',
    "encryptionKeyName" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "retentionEnabled" BOOLEAN NOT NULL DEFAULT false,
    "retentionDays" INTEGER NOT NULL DEFAULT 7,
    "softDeleteEnabled" BOOLEAN NOT NULL DEFAULT false,
    "softDeleteDays" INTEGER NOT NULL DEFAULT 7,
    CONSTRAINT "Registry_resourceGroupId_fkey" FOREIGN KEY ("resourceGroupId") REFERENCES "ResourceGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Registry" ("adminPassword1At", "adminPassword1Hash", "adminPassword2At", "adminPassword2Hash", "adminUserEnabled", "anonymousPullEnabled", "createdAt", "encryption", "encryptionKeyName", "id", "location", "name", "networkDefaultAction", "networkRules", "publicNetworkAccess", "resourceGroupId", "sku", "tags", "updatedAt") SELECT "adminPassword1At", "adminPassword1Hash", "adminPassword2At", "adminPassword2Hash", "adminUserEnabled", "anonymousPullEnabled", "createdAt", "encryption", "encryptionKeyName", "id", "location", "name", "networkDefaultAction", "networkRules", "publicNetworkAccess", "resourceGroupId", "sku", "tags", "updatedAt" FROM "Registry";
DROP TABLE "Registry";
ALTER TABLE "new_Registry" RENAME TO "Registry";
CREATE UNIQUE INDEX "Registry_name_key" ON "Registry"("name");
CREATE INDEX "Registry_resourceGroupId_idx" ON "Registry"("resourceGroupId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LinkReview_since_idx" ON "LinkReview"("since");

-- CreateIndex
CREATE INDEX "BlobReview_since_idx" ON "BlobReview"("since");

-- CreateIndex
CREATE INDEX "RecycledManifest_digest_idx" ON "RecycledManifest"("digest");

-- CreateIndex
CREATE INDEX "RecycledManifest_registryId_deletedAt_idx" ON "RecycledManifest"("registryId", "deletedAt");

-- CreateIndex
CREATE INDEX "RecycledManifest_expiresAt_idx" ON "RecycledManifest"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecycledManifest_repositoryId_digest_key" ON "RecycledManifest"("repositoryId", "digest");

-- CreateIndex
CREATE INDEX "RecycledReference_digest_idx" ON "RecycledReference"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "TagRule_registryId_repositoryPattern_tagPattern_key" ON "TagRule"("registryId", "repositoryPattern", "tagPattern");

-- CreateIndex
CREATE INDEX "Manifest_digest_idx" ON "Manifest"("digest");
