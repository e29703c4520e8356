-- 0002_engine_store: columns the engine's Store needs (ARCHITECTURE §5), written as Prisma would
-- create them for SQLite from prisma/schema.prisma. Never edit this file once merged.

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "currentNodes" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Ticket" ADD COLUMN "done" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "TicketEvent" ADD COLUMN "decisions" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Agent" ADD COLUMN "role" TEXT NOT NULL DEFAULT 'agent';

-- CreateIndex
CREATE INDEX "Ticket_team_done_assigneeId_createdAt_idx" ON "Ticket"("team", "done", "assigneeId", "createdAt");
