import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { flowDocumentSchema } from '@switchyard/flow';
import type { FlowDocument } from '@switchyard/flow';
import { getContentHash } from '../canonical-json';
import { NotFoundError, PreconditionError, StaleWriteError } from '../errors';
import type { AuditLog } from './audit';
import { fromDbTime } from './accounts';

export interface FlowListRow {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: 'draft' | 'published';
  readonly publishedVersion: number | null;
  readonly publishedAt: string | null;
  /** The draft differs from the current published version (always true when unpublished). */
  readonly draftChanged: boolean;
  readonly draftUpdatedAt: string;
  /** E-mail of who saved the draft last (null: seeded). */
  readonly draftUpdatedBy: string | null;
  readonly channels: readonly string[];
  readonly nodeCount: number;
}

export interface VersionRow {
  readonly version: number;
  readonly note: string | null;
  readonly publishedAt: string;
  readonly publishedBy: string | null;
  readonly contentHash: string;
  readonly isCurrent: boolean;
}

export interface NewVersion {
  /** Given when something (the model pins) must name the version before its row exists. */
  readonly id?: string;
  readonly flowId: string;
  readonly contentHash: string;
  readonly document: string;
  readonly machine: string;
  readonly sourceMap: string;
  readonly note: string | null;
  readonly publishedById: string | null;
}

/** A stored document; every write went through the schema, so a failure here is a bug. */
function parseStored(text: string, what: string): FlowDocument {
  const parsed = flowDocumentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`The stored ${what} is not a Flow document`);
  return parsed.data;
}

/** A flow id made from `base` that no flow has yet: `base`, `base-2`, `base-3`… */
function nextFreeId(base: string, taken: (id: string) => boolean): string {
  const stem = base.slice(0, 58);
  if (!taken(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** Flows with their drafts, published versions and channel bindings. */
export function createFlows(db: SqliteDatabase, now: () => number, audit: AuditLog) {
  const at = () => toSqliteTimestamp(new Date(now()));
  const sql = {
    flows: db.prepare<
      [],
      {
        id: string;
        name: string;
        description: string | null;
        draft: string;
        updatedAt: string;
        updatedBy: string | null;
        publishedVersion: number | null;
        publishedAt: string | null;
        currentHash: string | null;
      }
    >(
      `SELECT f."id", f."name", f."description", f."draft", f."updatedAt", u."email" AS "updatedBy",
              v."number" AS "publishedVersion", v."publishedAt", v."contentHash" AS "currentHash"
       FROM "Flow" f
       LEFT JOIN "User" u ON u."id" = f."updatedBy"
       LEFT JOIN "FlowVersion" v ON v."flowId" = f."id"
         AND v."number" = (SELECT max("number") FROM "FlowVersion" WHERE "flowId" = f."id")
       ORDER BY f."name", f."id"`,
    ),
    flow: db.prepare<
      [string],
      {
        id: string;
        name: string;
        description: string | null;
        draft: string;
        draftRevision: number;
        updatedAt: string;
        updatedBy: string | null;
      }
    >(
      `SELECT f."id", f."name", f."description", f."draft", f."draftRevision", f."updatedAt",
              u."email" AS "updatedBy"
       FROM "Flow" f LEFT JOIN "User" u ON u."id" = f."updatedBy" WHERE f."id" = ?`,
    ),
    exists: db.prepare<[string], { id: string }>('SELECT "id" FROM "Flow" WHERE "id" = ?'),
    insertFlow: db.prepare(
      `INSERT INTO "Flow" ("id", "name", "description", "draft", "draftRevision", "createdAt", "updatedAt", "updatedBy")
       VALUES (@id, @name, @description, @draft, 0, @at, @at, @by)`,
    ),
    saveDraft: db.prepare(
      `UPDATE "Flow" SET "name" = @name, "description" = @description, "draft" = @draft,
         "draftRevision" = "draftRevision" + 1, "updatedAt" = @at, "updatedBy" = @by
       WHERE "id" = @id AND "draftRevision" = @baseRevision`,
    ),
    revision: db.prepare<[string], { draftRevision: number }>(
      'SELECT "draftRevision" FROM "Flow" WHERE "id" = ?',
    ),
    deleteVersions: db.prepare('DELETE FROM "FlowVersion" WHERE "flowId" = ?'),
    deleteFlow: db.prepare('DELETE FROM "Flow" WHERE "id" = ?'),
    ticketsOfFlow: db.prepare<[string], { n: number }>(
      `SELECT count(*) AS "n" FROM "Ticket" t JOIN "FlowVersion" v ON v."id" = t."flowVersionId"
       WHERE v."flowId" = ?`,
    ),
    versions: db.prepare<
      [string],
      {
        number: number;
        note: string | null;
        publishedAt: string;
        publishedBy: string | null;
        contentHash: string;
      }
    >(
      `SELECT v."number", v."note", v."publishedAt", u."email" AS "publishedBy", v."contentHash"
       FROM "FlowVersion" v LEFT JOIN "User" u ON u."id" = v."publishedById"
       WHERE v."flowId" = ? ORDER BY v."number" DESC`,
    ),
    version: db.prepare<
      [string, number],
      {
        id: string;
        number: number;
        note: string | null;
        publishedAt: string;
        publishedBy: string | null;
        contentHash: string;
        document: string;
        machine: string;
        sourceMap: string;
      }
    >(
      `SELECT v."id", v."number", v."note", v."publishedAt", u."email" AS "publishedBy",
              v."contentHash", v."document", v."machine", v."sourceMap"
       FROM "FlowVersion" v LEFT JOIN "User" u ON u."id" = v."publishedById"
       WHERE v."flowId" = ? AND v."number" = ?`,
    ),
    latestNumber: db.prepare<[string], { number: number | null }>(
      'SELECT max("number") AS "number" FROM "FlowVersion" WHERE "flowId" = ?',
    ),
    latestVersion: db.prepare<[string], { id: string; document: string }>(
      'SELECT "id", "document" FROM "FlowVersion" WHERE "flowId" = ? ORDER BY "number" DESC LIMIT 1',
    ),
    versionDocument: db.prepare<[string], { document: string }>(
      'SELECT "document" FROM "FlowVersion" WHERE "id" = ?',
    ),
    countVersions: db.prepare<[], { n: number }>('SELECT count(*) AS "n" FROM "FlowVersion"'),
    insertVersion: db.prepare(
      `INSERT INTO "FlowVersion" ("id", "flowId", "number", "contentHash", "document", "machine",
         "sourceMap", "note", "publishedById", "publishedAt")
       VALUES (@id, @flowId, @number, @contentHash, @document, @machine, @sourceMap, @note,
         @publishedById, @at)`,
    ),
    bindings: db.prepare<[], { channel: string; flowId: string; name: string; updatedAt: string }>(
      `SELECT b."channel", b."flowId", f."name", b."updatedAt"
       FROM "ChannelBinding" b JOIN "Flow" f ON f."id" = b."flowId" ORDER BY b."channel"`,
    ),
    bind: db.prepare(
      `INSERT INTO "ChannelBinding" ("channel", "flowId", "updatedAt") VALUES (?, ?, ?)
       ON CONFLICT ("channel") DO UPDATE SET "flowId" = excluded."flowId", "updatedAt" = excluded."updatedAt"`,
    ),
    unbind: db.prepare('DELETE FROM "ChannelBinding" WHERE "channel" = ?'),
    boundFlow: db.prepare<[string], { flowId: string }>(
      'SELECT "flowId" FROM "ChannelBinding" WHERE "channel" = ?',
    ),
    channelsOf: db.prepare<[string], { channel: string }>(
      'SELECT "channel" FROM "ChannelBinding" WHERE "flowId" = ? ORDER BY "channel"',
    ),
  };

  function channelsOf(flowId: string): string[] {
    return sql.channelsOf.all(flowId).map((row) => row.channel);
  }

  function latestNumber(flowId: string): number | null {
    return sql.latestNumber.get(flowId)?.number ?? null;
  }

  function requireFlow(id: string) {
    const row = sql.flow.get(id);
    if (row === undefined) throw new NotFoundError(`Flow ${id} does not exist`);
    return row;
  }

  return {
    listFlows(search?: string): FlowListRow[] {
      const needle = search?.trim().toLowerCase() ?? '';
      const bindings = sql.bindings.all();
      return sql.flows
        .all()
        .filter(
          (row) =>
            needle === '' ||
            row.id.toLowerCase().includes(needle) ||
            row.name.toLowerCase().includes(needle) ||
            (row.description ?? '').toLowerCase().includes(needle),
        )
        .map((row) => {
          const draft = JSON.parse(row.draft) as { nodes?: unknown };
          return {
            id: row.id,
            name: row.name,
            description: row.description,
            status: row.publishedVersion === null ? ('draft' as const) : ('published' as const),
            publishedVersion: row.publishedVersion,
            publishedAt: fromDbTime(row.publishedAt),
            draftChanged: row.currentHash === null || getContentHash(draft) !== row.currentHash,
            draftUpdatedAt: fromDbTime(row.updatedAt),
            draftUpdatedBy: row.updatedBy,
            channels: bindings.filter((b) => b.flowId === row.id).map((b) => b.channel),
            nodeCount: Array.isArray(draft.nodes) ? draft.nodes.length : 0,
          };
        });
    },
    getFlow(id: string) {
      const row = requireFlow(id);
      return {
        id: row.id,
        name: row.name,
        description: row.description,
        draft: parseStored(row.draft, `draft of ${id}`),
        draftRevision: row.draftRevision,
        draftUpdatedAt: fromDbTime(row.updatedAt),
        draftUpdatedBy: row.updatedBy,
        publishedVersion: latestNumber(id),
        channels: channelsOf(id),
      };
    },
    flowExists: (id: string) => sql.exists.get(id) !== undefined,
    /** A flow id from `base` that is still free. */
    getFreeFlowId(base: string): string {
      return nextFreeId(base, (id) => sql.exists.get(id) !== undefined);
    },
    createFlow(flow: {
      id: string;
      name: string;
      description: string | null;
      draft: string;
      by: string | null;
    }): void {
      db.transaction(() => {
        sql.insertFlow.run({ ...flow, at: at() });
        audit.write(flow.by, 'flow.create', flow.id, { name: flow.name });
      })();
    },
    /** Saves a draft if `baseRevision` is still current; returns the new revision. */
    saveDraft(
      id: string,
      draft: { document: string; name: string; description: string | null },
      baseRevision: number,
      by: string | null,
    ): number {
      const result = sql.saveDraft.run({
        id,
        name: draft.name,
        description: draft.description,
        draft: draft.document,
        baseRevision,
        at: at(),
        by,
      });
      const current = sql.revision.get(id);
      if (current === undefined) throw new NotFoundError(`Flow ${id} does not exist`);
      if (result.changes === 0) {
        throw new StaleWriteError(
          `The draft of ${id} was saved meanwhile (revision ${current.draftRevision}, you edited ${baseRevision}): reload it and apply your change again`,
          { draftRevision: current.draftRevision },
        );
      }
      return current.draftRevision;
    },
    /** Deletes a flow that serves no channel and has no tickets. */
    deleteFlow(id: string, actorId: string | null): void {
      db.transaction(() => {
        requireFlow(id);
        const channels = channelsOf(id);
        if (channels.length > 0) {
          throw new PreconditionError(
            `Flow ${id} serves the ${channels.join(', ')} channel(s): bind them to another flow first`,
          );
        }
        const tickets = sql.ticketsOfFlow.get(id)?.n ?? 0;
        if (tickets > 0) {
          throw new PreconditionError(`Flow ${id} has ${tickets} ticket(s) and cannot be deleted`);
        }
        sql.deleteVersions.run(id);
        sql.deleteFlow.run(id);
        audit.write(actorId, 'flow.delete', id, {});
      })();
    },

    listVersions(flowId: string): VersionRow[] {
      requireFlow(flowId);
      const rows = sql.versions.all(flowId);
      const current = rows[0]?.number;
      return rows.map((row) => ({
        version: row.number,
        note: row.note,
        publishedAt: fromDbTime(row.publishedAt),
        publishedBy: row.publishedBy,
        contentHash: row.contentHash,
        isCurrent: row.number === current,
      }));
    },
    getVersion(flowId: string, number: number) {
      const row = sql.version.get(flowId, number);
      if (row === undefined) {
        throw new NotFoundError(`Flow ${flowId} has no version ${number}`);
      }
      return {
        id: row.id,
        version: row.number,
        note: row.note,
        publishedAt: fromDbTime(row.publishedAt),
        publishedBy: row.publishedBy,
        contentHash: row.contentHash,
        isCurrent: row.number === latestNumber(flowId),
        document: parseStored(row.document, `version ${number} of ${flowId}`),
        machineText: row.machine,
        sourceMapText: row.sourceMap,
      };
    },
    /** Inserts the next version of a flow and audits it, in one transaction. */
    insertVersion(version: NewVersion, action: string, details: unknown): number {
      return db.transaction(() => {
        const number = (latestNumber(version.flowId) ?? 0) + 1;
        sql.insertVersion.run({ id: randomUUID(), number, ...version, at: at() });
        audit.write(version.publishedById, action, version.flowId, {
          version: number,
          contentHash: version.contentHash,
          ...(details as Record<string, unknown>),
        });
        return number;
      })();
    },
    countFlowVersions: () => sql.countVersions.get()?.n ?? 0,
    /** The newest published version of a flow, or null. */
    getLatestVersion(flowId: string): { id: string; document: string } | null {
      return sql.latestVersion.get(flowId) ?? null;
    },
    getVersionDocument(versionId: string): string | null {
      return sql.versionDocument.get(versionId)?.document ?? null;
    },

    listBindings() {
      return sql.bindings.all().map((row) => ({
        channel: row.channel,
        flowId: row.flowId,
        flowName: row.name,
        updatedAt: fromDbTime(row.updatedAt),
      }));
    },
    getBoundFlowId(channel: string): string | null {
      return sql.boundFlow.get(channel)?.flowId ?? null;
    },
    bindChannel(channel: string, flowId: string): void {
      sql.bind.run(channel, flowId, at());
    },
    /** Binds a channel to a published flow (null unbinds it); audited. */
    setBinding(channel: string, flowId: string | null, actorId: string | null): void {
      db.transaction(() => {
        if (flowId === null) {
          sql.unbind.run(channel);
        } else {
          requireFlow(flowId);
          if (latestNumber(flowId) === null) {
            throw new PreconditionError(
              `Flow ${flowId} has no published version: publish it before binding ${channel}`,
            );
          }
          sql.bind.run(channel, flowId, at());
        }
        audit.write(actorId, 'settings.binding', channel, { flowId });
      })();
    },
  };
}

export type Flows = ReturnType<typeof createFlows>;
