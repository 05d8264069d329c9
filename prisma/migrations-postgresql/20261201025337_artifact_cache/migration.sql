-- CreateTable
CREATE TABLE "CredentialSet" (
    "id" TEXT NOT NULL,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "loginServer" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "sealedPassword" TEXT NOT NULL,
    "lastLoginResult" TEXT,
    "lastLoginAt" TIMESTAMP(3),
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CredentialSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CacheRule" (
    "id" TEXT NOT NULL,
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
    "lastRefreshAt" TIMESTAMP(3),
    "lastUpstreamError" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CacheRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CacheTagCheck" (
    "ruleId" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CacheTagCheck_pkey" PRIMARY KEY ("ruleId","repository","tag")
);

-- CreateIndex
CREATE UNIQUE INDEX "CredentialSet_registryId_name_key" ON "CredentialSet"("registryId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CacheRule_registryId_name_key" ON "CacheRule"("registryId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CacheRule_registryId_targetRepo_key" ON "CacheRule"("registryId", "targetRepo");

-- AddForeignKey
ALTER TABLE "CredentialSet" ADD CONSTRAINT "CredentialSet_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CacheRule" ADD CONSTRAINT "CacheRule_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CacheRule" ADD CONSTRAINT "CacheRule_credentialSetId_fkey" FOREIGN KEY ("credentialSetId") REFERENCES "CredentialSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CacheTagCheck" ADD CONSTRAINT "CacheTagCheck_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "CacheRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
