-- 0006_console_analytics: what the operations console needs (issue 9), written as Prisma would
-- create it for SQLite from prisma/schema.prisma. Never edit this file once merged.
--   Ticket firstResponseAt/Ms, resolvedAt, resolutionMs,    kept by the store on every commit
--          reopenCount, csatAt
--   Ticket_createdAt_idx                                    the inbox's newest-first page
--   Ticket_customerEmail_createdAt_idx                      the customer panel
--   Ticket_analytics_idx                                    covering index of dashboards/reports
--   SavedView                                               a user's named inbox filters
--   Report                                                  generated daily/weekly/monthly reports

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "firstResponseAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "firstResponseMs" INTEGER;
ALTER TABLE "Ticket" ADD COLUMN "resolvedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "resolutionMs" INTEGER;
ALTER TABLE "Ticket" ADD COLUMN "reopenCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Ticket" ADD COLUMN "csatAt" DATETIME;

-- CreateTable
CREATE TABLE "SavedView" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "filters" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SavedView_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "generatedAt" DATETIME NOT NULL,
    "generatedBy" TEXT
);

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");

-- CreateIndex
CREATE INDEX "Ticket_customerEmail_createdAt_idx" ON "Ticket"("customerEmail", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_analytics_idx" ON "Ticket"("createdAt", "channel", "category", "status", "team", "slaBreached", "slaResolutionDueAt", "escalationLevel", "reopenCount", "firstResponseMs", "resolvedAt", "resolutionMs", "csatAt", "csatScore");

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_userId_name_key" ON "SavedView"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Report_kind_periodStart_timeZone_key" ON "Report"("kind", "periodStart", "timeZone");

-- CreateIndex
CREATE INDEX "Report_generatedAt_idx" ON "Report"("generatedAt");
