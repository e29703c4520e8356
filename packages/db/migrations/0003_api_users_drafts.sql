-- 0003_api_users_drafts: what the tRPC API needs (issue 4), written as Prisma would create it for
-- SQLite from prisma/schema.prisma. Never edit this file once merged.
--   Flow.draftRevision   optimistic concurrency for saving drafts
--   User.disabled        an admin can lock an account without deleting it
--   FlowVersion          contentHash no longer unique: a rollback republishes an old document

-- AlterTable
ALTER TABLE "Flow" ADD COLUMN "draftRevision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false;

-- DropIndex
DROP INDEX "FlowVersion_contentHash_key";

-- CreateIndex
CREATE INDEX "FlowVersion_flowId_contentHash_idx" ON "FlowVersion"("flowId", "contentHash");
