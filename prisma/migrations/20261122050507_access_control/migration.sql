-- CreateTable
CREATE TABLE "ResourceGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "location" TEXT NOT NULL DEFAULT 'local',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ServicePrincipal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "principalType" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "registryId" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RoleAssignment_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScopeMap" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "actions" TEXT NOT NULL DEFAULT '[]',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ScopeMap_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RegistryToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopeMapId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "password1Hash" TEXT,
    "password1Expiry" DATETIME,
    "password1At" DATETIME,
    "password2Hash" TEXT,
    "password2Expiry" DATETIME,
    "password2At" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RegistryToken_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RegistryToken_scopeMapId_fkey" FOREIGN KEY ("scopeMapId") REFERENCES "ScopeMap" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActivityLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "registryId" TEXT,
    "before" TEXT,
    "after" TEXT
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Registry_resourceGroupId_fkey" FOREIGN KEY ("resourceGroupId") REFERENCES "ResourceGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Registry" ("adminUserEnabled", "anonymousPullEnabled", "createdAt", "id", "location", "name", "sku", "updatedAt") SELECT "adminUserEnabled", "anonymousPullEnabled", "createdAt", "id", "location", "name", "sku", "updatedAt" FROM "Registry";
DROP TABLE "Registry";
ALTER TABLE "new_Registry" RENAME TO "Registry";
CREATE UNIQUE INDEX "Registry_name_key" ON "Registry"("name");
CREATE INDEX "Registry_resourceGroupId_idx" ON "Registry"("resourceGroupId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ResourceGroup_name_key" ON "ResourceGroup"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ServicePrincipal_clientId_key" ON "ServicePrincipal"("clientId");

-- CreateIndex
CREATE INDEX "RoleAssignment_principalId_idx" ON "RoleAssignment"("principalId");

-- CreateIndex
CREATE INDEX "RoleAssignment_scope_idx" ON "RoleAssignment"("scope");

-- CreateIndex
CREATE UNIQUE INDEX "RoleAssignment_principalType_principalId_role_scope_key" ON "RoleAssignment"("principalType", "principalId", "role", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "ScopeMap_registryId_name_key" ON "ScopeMap"("registryId", "name");

-- CreateIndex
CREATE INDEX "RegistryToken_name_idx" ON "RegistryToken"("name");

-- CreateIndex
CREATE INDEX "RegistryToken_scopeMapId_idx" ON "RegistryToken"("scopeMapId");

-- CreateIndex
CREATE UNIQUE INDEX "RegistryToken_registryId_name_key" ON "RegistryToken"("registryId", "name");

-- CreateIndex
CREATE INDEX "ActivityLog_registryId_at_idx" ON "ActivityLog"("registryId", "at");

-- CreateIndex
CREATE INDEX "ActivityLog_at_idx" ON "ActivityLog"("at");
