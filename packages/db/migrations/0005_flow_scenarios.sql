-- 0005_flow_scenarios: simulator scenarios stored per flow (issue 6), written as Prisma would
-- create it for SQLite from prisma/schema.prisma. Never edit this file once merged.
--   FlowScenario   one named scenario (sample ticket, event script, expectations) as JSON

-- CreateTable
CREATE TABLE "FlowScenario" (
    "flowId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT,

    PRIMARY KEY ("flowId", "name"),
    CONSTRAINT "FlowScenario_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
