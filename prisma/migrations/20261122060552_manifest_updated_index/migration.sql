-- CreateIndex
CREATE INDEX "Manifest_repositoryId_updatedAt_idx" ON "Manifest"("repositoryId", "updatedAt");
