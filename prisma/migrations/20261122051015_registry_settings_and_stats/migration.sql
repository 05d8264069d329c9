-- CreateTable
CREATE TABLE "RegistryDailyStat" (
    "registryId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "pushes" INTEGER NOT NULL DEFAULT 0,
    "pulls" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("registryId", "day"),
    CONSTRAINT "RegistryDailyStat_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    CONSTRAINT "Registry_resourceGroupId_fkey" FOREIGN KEY ("resourceGroupId") REFERENCES "ResourceGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Registry" ("adminPassword1At", "adminPassword1Hash", "adminPassword2At", "adminPassword2Hash", "adminUserEnabled", "anonymousPullEnabled", "createdAt", "id", "location", "name", "networkDefaultAction", "networkRules", "publicNetworkAccess", "resourceGroupId", "sku", "updatedAt") SELECT "adminPassword1At", "adminPassword1Hash", "adminPassword2At", "adminPassword2Hash", "adminUserEnabled", "anonymousPullEnabled", "createdAt", "id", "location", "name", "networkDefaultAction", "networkRules", "publicNetworkAccess", "resourceGroupId", "sku", "updatedAt" FROM "Registry";
DROP TABLE "Registry";
ALTER TABLE "new_Registry" RENAME TO "Registry";
CREATE UNIQUE INDEX "Registry_name_key" ON "Registry"("name");
CREATE INDEX "Registry_resourceGroupId_idx" ON "Registry"("resourceGroupId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
