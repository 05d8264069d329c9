-- CreateTable
CREATE TABLE "ImportJob" (
    "id" TEXT NOT NULL,
    "registryId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "targets" TEXT NOT NULL,
    "username" TEXT,
    "passwordSealed" TEXT,
    "force" BOOLEAN NOT NULL DEFAULT false,
    "includeReferrers" BOOLEAN NOT NULL DEFAULT false,
    "requestedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "layersTotal" INTEGER NOT NULL DEFAULT 0,
    "layersDone" INTEGER NOT NULL DEFAULT 0,
    "bytesTotal" BIGINT NOT NULL DEFAULT 0,
    "bytesDone" BIGINT NOT NULL DEFAULT 0,
    "result" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImportJob_status_leaseUntil_idx" ON "ImportJob"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "ImportJob_registryId_createdAt_idx" ON "ImportJob"("registryId", "createdAt");
