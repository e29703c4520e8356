import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { scenarioSchema } from '@switchyard/engine';
import type { Scenario } from '@switchyard/engine';
import { NotFoundError } from '../errors';
import type { AuditLog } from './audit';
import { fromDbTime } from './accounts';

export interface StoredScenario {
  readonly name: string;
  readonly scenario: Scenario;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

/**
 * Simulator scenarios stored per flow (table FlowScenario, one JSON row per name; deleted with
 * the flow). Every write is audited in the same transaction.
 */
export function createScenarioStore(db: SqliteDatabase, now: () => number, audit: AuditLog) {
  const sql = {
    list: db.prepare<
      [string],
      { name: string; data: string; updatedAt: string; updatedBy: string | null }
    >(
      'SELECT "name", "data", "updatedAt", "updatedBy" FROM "FlowScenario" WHERE "flowId" = ? ORDER BY "name"',
    ),
    upsert: db.prepare(
      `INSERT INTO "FlowScenario" ("flowId", "name", "data", "updatedAt", "updatedBy")
       VALUES (@flowId, @name, @data, @at, @by)
       ON CONFLICT ("flowId", "name") DO UPDATE SET "data" = excluded."data",
         "updatedAt" = excluded."updatedAt", "updatedBy" = excluded."updatedBy"`,
    ),
    remove: db.prepare('DELETE FROM "FlowScenario" WHERE "flowId" = ? AND "name" = ?'),
  };
  return {
    list(flowId: string): StoredScenario[] {
      return sql.list.all(flowId).map((row) => ({
        name: row.name,
        // Stored rows were validated on save; parsing again fills defaults of newer schemas.
        scenario: scenarioSchema.parse(JSON.parse(row.data)),
        updatedAt: fromDbTime(row.updatedAt),
        updatedBy: row.updatedBy,
      }));
    },
    /** Inserts or replaces the scenario with the same name. */
    save(flowId: string, scenario: Scenario, actorId: string | null): void {
      db.transaction(() => {
        sql.upsert.run({
          flowId,
          name: scenario.name,
          data: JSON.stringify(scenario),
          at: toSqliteTimestamp(new Date(now())),
          by: actorId,
        });
        audit.write(actorId, 'scenario.save', flowId, { name: scenario.name });
      })();
    },
    remove(flowId: string, name: string, actorId: string | null): void {
      db.transaction(() => {
        if (sql.remove.run(flowId, name).changes === 0) {
          throw new NotFoundError(`Flow ${flowId} has no stored scenario named "${name}"`);
        }
        audit.write(actorId, 'scenario.delete', flowId, { name });
      })();
    },
  };
}

export type ScenarioStore = ReturnType<typeof createScenarioStore>;
