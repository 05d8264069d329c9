-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "registryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uriSealed" TEXT NOT NULL,
    "uriDisplay" TEXT NOT NULL,
    "actions" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "headersSealed" TEXT,
    "secretSealed" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'enabled',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Webhook_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "redeliveryOf" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestHeaders" TEXT NOT NULL,
    "responseStatus" INTEGER,
    "responseHeaders" TEXT,
    "responseBody" TEXT,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ActivityLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "registryId" TEXT,
    "before" TEXT,
    "after" TEXT,
    "address" TEXT,
    "repository" TEXT,
    "tag" TEXT,
    "digest" TEXT,
    "result" TEXT NOT NULL DEFAULT 'ok',
    "count" INTEGER NOT NULL DEFAULT 1,
    "groupKey" TEXT
);
INSERT INTO "new_ActivityLog" ("action", "actor", "after", "at", "before", "id", "registryId", "target") SELECT "action", "actor", "after", "at", "before", "id", "registryId", "target" FROM "ActivityLog";
DROP TABLE "ActivityLog";
ALTER TABLE "new_ActivityLog" RENAME TO "ActivityLog";
CREATE UNIQUE INDEX "ActivityLog_groupKey_key" ON "ActivityLog"("groupKey");
CREATE INDEX "ActivityLog_registryId_at_idx" ON "ActivityLog"("registryId", "at");
CREATE INDEX "ActivityLog_registryId_actor_at_idx" ON "ActivityLog"("registryId", "actor", "at");
CREATE INDEX "ActivityLog_registryId_action_at_idx" ON "ActivityLog"("registryId", "action", "at");
CREATE INDEX "ActivityLog_actor_at_idx" ON "ActivityLog"("actor", "at");
CREATE INDEX "ActivityLog_action_at_idx" ON "ActivityLog"("action", "at");
CREATE INDEX "ActivityLog_at_idx" ON "ActivityLog"("at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Webhook_registryId_name_key" ON "Webhook"("registryId", "name");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_at_idx" ON "WebhookAttempt"("deliveryId", "at");
