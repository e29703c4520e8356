-- 0007_classifier_models: trained intent models and their training jobs (issue 8), written as
-- Prisma would create them for SQLite from prisma/schema.prisma. Never edit this file once merged.
--   ClassifierModel   one trained model: metadata and cross-validation figures (JSON in the data folder)
--   TrainingJob       a background training run and its progress

-- CreateTable
CREATE TABLE "ClassifierModel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "sourceKind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "examples" INTEGER NOT NULL,
    "folds" INTEGER NOT NULL,
    "accuracy" REAL NOT NULL,
    "macroF1" REAL NOT NULL,
    "evaluation" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "archivedAt" DATETIME
);

-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "phase" TEXT,
    "fold" INTEGER,
    "folds" INTEGER NOT NULL,
    "progress" REAL NOT NULL DEFAULT 0,
    "modelId" TEXT,
    "error" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ClassifierModel_createdAt_idx" ON "ClassifierModel"("createdAt");

-- CreateIndex
CREATE INDEX "TrainingJob_createdAt_idx" ON "TrainingJob"("createdAt");
