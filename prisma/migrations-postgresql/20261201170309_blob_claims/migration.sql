-- AlterTable
ALTER TABLE "Blob" ADD COLUMN     "claims" INTEGER NOT NULL DEFAULT 0;

-- A claim made before this migration (claimedAt set, its push in flight or dead) counts as one.
UPDATE "Blob" SET "claims" = 1 WHERE "claimedAt" IS NOT NULL;
