-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceGroup" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "location" TEXT NOT NULL DEFAULT 'local',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResourceGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Registry" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sku" TEXT NOT NULL DEFAULT 'Standard',
    "location" TEXT NOT NULL DEFAULT 'local',
    "resourceGroupId" TEXT,
    "anonymousPullEnabled" BOOLEAN NOT NULL DEFAULT false,
    "adminUserEnabled" BOOLEAN NOT NULL DEFAULT false,
    "adminPassword1Hash" TEXT,
    "adminPassword1At" TIMESTAMP(3),
    "adminPassword2Hash" TEXT,
    "adminPassword2At" TIMESTAMP(3),
    "publicNetworkAccess" TEXT NOT NULL DEFAULT 'Enabled',
    "networkDefaultAction" TEXT NOT NULL DEFAULT 'Allow',
    "networkRules" TEXT NOT NULL DEFAULT '[]',
    "encryption" TEXT NOT NULL DEFAULT 'service-managed',
    "encryptionKeyName" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "retentionEnabled" BOOLEAN NOT NULL DEFAULT false,
    "retentionDays" INTEGER NOT NULL DEFAULT 7,
    "softDeleteEnabled" BOOLEAN NOT NULL DEFAULT false,
    "softDeleteDays" INTEGER NOT NULL DEFAULT 7,

    CONSTRAINT "Registry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServicePrincipal" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServicePrincipal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "id" TEXT NOT NULL,
    "principalType" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "registryId" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScopeMap" (
    "id" TEXT NOT NULL,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "actions" TEXT NOT NULL DEFAULT '[]',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScopeMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistryToken" (
    "id" TEXT NOT NULL,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopeMapId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "password1Hash" TEXT,
    "password1Expiry" TIMESTAMP(3),
    "password1At" TIMESTAMP(3),
    "password2Hash" TEXT,
    "password2Expiry" TIMESTAMP(3),
    "password2At" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegistryToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Repository" (
    "id" TEXT NOT NULL,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "writeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deleteEnabled" BOOLEAN NOT NULL DEFAULT true,
    "readEnabled" BOOLEAN NOT NULL DEFAULT true,
    "listEnabled" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Blob" (
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMP(3),
    "deletingAt" TIMESTAMP(3),

    CONSTRAINT "Blob_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "BlobLink" (
    "repositoryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastReferencedAt" TIMESTAMP(3),

    CONSTRAINT "BlobLink_pkey" PRIMARY KEY ("repositoryId","digest")
);

-- CreateTable
CREATE TABLE "Manifest" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "artifactType" TEXT,
    "size" INTEGER NOT NULL,
    "subjectDigest" TEXT,
    "configDigest" TEXT,
    "contentSize" BIGINT NOT NULL DEFAULT 0,
    "lastPulledAt" TIMESTAMP(3),
    "untaggedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "writeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deleteEnabled" BOOLEAN NOT NULL DEFAULT true,
    "readEnabled" BOOLEAN NOT NULL DEFAULT true,
    "listEnabled" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Manifest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ManifestReference" (
    "manifestId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "platform" TEXT,

    CONSTRAINT "ManifestReference_pkey" PRIMARY KEY ("manifestId","digest")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "manifestId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "writeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deleteEnabled" BOOLEAN NOT NULL DEFAULT true,
    "readEnabled" BOOLEAN NOT NULL DEFAULT true,
    "listEnabled" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Upload" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "registryId" TEXT,
    "before" TEXT,
    "after" TEXT,

    CONSTRAINT "ActivityLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistryDailyStat" (
    "registryId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "pushes" INTEGER NOT NULL DEFAULT 0,
    "pulls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RegistryDailyStat_pkey" PRIMARY KEY ("registryId","day")
);

-- CreateTable
CREATE TABLE "LinkReview" (
    "repositoryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkReview_pkey" PRIMARY KEY ("repositoryId","digest")
);

-- CreateTable
CREATE TABLE "BlobReview" (
    "digest" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registryId" TEXT,

    CONSTRAINT "BlobReview_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "GcStat" (
    "registryId" TEXT NOT NULL,
    "bytesFreed" BIGINT NOT NULL DEFAULT 0,
    "blobsDeleted" INTEGER NOT NULL DEFAULT 0,
    "manifestsDeleted" INTEGER NOT NULL DEFAULT 0,
    "uploadsDeleted" INTEGER NOT NULL DEFAULT 0,
    "lastRunAt" TIMESTAMP(3),

    CONSTRAINT "GcStat_pkey" PRIMARY KEY ("registryId")
);

-- CreateTable
CREATE TABLE "Job" (
    "name" TEXT NOT NULL,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'idle',
    "progress" TEXT NOT NULL DEFAULT '{}',
    "requestedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "lastResult" TEXT,
    "lastError" TEXT,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "RecycledManifest" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "deletedBy" TEXT NOT NULL,

    CONSTRAINT "RecycledManifest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecycledReference" (
    "entryId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "platform" TEXT,

    CONSTRAINT "RecycledReference_pkey" PRIMARY KEY ("entryId","digest")
);

-- CreateTable
CREATE TABLE "TagRule" (
    "id" TEXT NOT NULL,
    "registryId" TEXT NOT NULL,
    "repositoryPattern" TEXT NOT NULL DEFAULT '**',
    "tagPattern" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TagRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceGroup_name_key" ON "ResourceGroup"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Registry_name_key" ON "Registry"("name");

-- CreateIndex
CREATE INDEX "Registry_resourceGroupId_idx" ON "Registry"("resourceGroupId");

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
CREATE UNIQUE INDEX "Repository_registryId_name_key" ON "Repository"("registryId", "name");

-- CreateIndex
CREATE INDEX "BlobLink_digest_idx" ON "BlobLink"("digest");

-- CreateIndex
CREATE INDEX "Manifest_digest_idx" ON "Manifest"("digest");

-- CreateIndex
CREATE INDEX "Manifest_repositoryId_subjectDigest_idx" ON "Manifest"("repositoryId", "subjectDigest");

-- CreateIndex
CREATE INDEX "Manifest_repositoryId_updatedAt_idx" ON "Manifest"("repositoryId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Manifest_repositoryId_digest_key" ON "Manifest"("repositoryId", "digest");

-- CreateIndex
CREATE INDEX "ManifestReference_digest_idx" ON "ManifestReference"("digest");

-- CreateIndex
CREATE INDEX "Tag_manifestId_idx" ON "Tag"("manifestId");

-- CreateIndex
CREATE INDEX "Tag_repositoryId_updatedAt_idx" ON "Tag"("repositoryId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_repositoryId_name_key" ON "Tag"("repositoryId", "name");

-- CreateIndex
CREATE INDEX "Upload_repositoryId_idx" ON "Upload"("repositoryId");

-- CreateIndex
CREATE INDEX "ActivityLog_registryId_at_idx" ON "ActivityLog"("registryId", "at");

-- CreateIndex
CREATE INDEX "ActivityLog_at_idx" ON "ActivityLog"("at");

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

-- AddForeignKey
ALTER TABLE "Registry" ADD CONSTRAINT "Registry_resourceGroupId_fkey" FOREIGN KEY ("resourceGroupId") REFERENCES "ResourceGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScopeMap" ADD CONSTRAINT "ScopeMap_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistryToken" ADD CONSTRAINT "RegistryToken_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistryToken" ADD CONSTRAINT "RegistryToken_scopeMapId_fkey" FOREIGN KEY ("scopeMapId") REFERENCES "ScopeMap"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Repository" ADD CONSTRAINT "Repository_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlobLink" ADD CONSTRAINT "BlobLink_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlobLink" ADD CONSTRAINT "BlobLink_digest_fkey" FOREIGN KEY ("digest") REFERENCES "Blob"("digest") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Manifest" ADD CONSTRAINT "Manifest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManifestReference" ADD CONSTRAINT "ManifestReference_manifestId_fkey" FOREIGN KEY ("manifestId") REFERENCES "Manifest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_manifestId_fkey" FOREIGN KEY ("manifestId") REFERENCES "Manifest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistryDailyStat" ADD CONSTRAINT "RegistryDailyStat_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkReview" ADD CONSTRAINT "LinkReview_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GcStat" ADD CONSTRAINT "GcStat_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecycledManifest" ADD CONSTRAINT "RecycledManifest_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecycledManifest" ADD CONSTRAINT "RecycledManifest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecycledReference" ADD CONSTRAINT "RecycledReference_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "RecycledManifest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagRule" ADD CONSTRAINT "TagRule_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
