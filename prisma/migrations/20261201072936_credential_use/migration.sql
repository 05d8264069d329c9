-- CreateTable
CREATE TABLE "CredentialUse" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "lastUsedAt" DATETIME NOT NULL
);
