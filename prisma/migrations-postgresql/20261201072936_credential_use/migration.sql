-- CreateTable
CREATE TABLE "CredentialUse" (
    "key" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CredentialUse_pkey" PRIMARY KEY ("key")
);
