-- CreateTable
CREATE TABLE "CredentialSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "loginServer" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "sealedPassword" TEXT NOT NULL,
    "lastLoginResult" TEXT,
    "lastLoginAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CredentialSet_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CacheRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sourceRepo" TEXT NOT NULL,
    "targetRepo" TEXT NOT NULL,
    "credentialSetId" TEXT,
    "ttlSeconds" INTEGER NOT NULL DEFAULT 3600,
    "hits" BIGINT NOT NULL DEFAULT 0,
    "misses" BIGINT NOT NULL DEFAULT 0,
    "upstreamErrors" BIGINT NOT NULL DEFAULT 0,
    "bytesCached" BIGINT NOT NULL DEFAULT 0,
    "lastRefreshAt" DATETIME,
    "lastUpstreamError" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CacheRule_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CacheRule_credentialSetId_fkey" FOREIGN KEY ("credentialSetId") REFERENCES "CredentialSet" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CacheTagCheck" (
    "ruleId" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL,

    PRIMARY KEY ("ruleId", "repository", "tag"),
    CONSTRAINT "CacheTagCheck_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "CacheRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CredentialSet_registryId_name_key" ON "CredentialSet"("registryId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CacheRule_registryId_name_key" ON "CacheRule"("registryId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CacheRule_registryId_targetRepo_key" ON "CacheRule"("registryId", "targetRepo");
