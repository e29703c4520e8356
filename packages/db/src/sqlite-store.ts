import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ConflictError, DuplicateKeyError } from '@switchyard/engine';
import type {
  AgentRecord,
  EffectKind,
  EffectRecord,
  EffectStatus,
  EventRecord,
  FlowVersionRecord,
  StepCommit,
  Store,
  TicketRecord,
  TimerRecord,
  TimerStatus,
} from '@switchyard/engine';
import type { SqliteDatabase } from './sqlite';
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_PRAGMAS, toSqliteTimestamp } from './sqlite';
import { createWriter } from './sqlite-writer.mjs';
import type { PreparedStep, Write, WriteOutcome } from './sqlite-writer.mjs';

/** When queued writes are flushed into one transaction. */
export type SqliteStoreBatching = 'immediate' | 'microtask';

/** Options for {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * When to flush queued writes: `'immediate'` (default: a `setImmediate` turn, after every
   * pending promise continuation has queued its write) or `'microtask'` (sooner, smaller batches).
   */
  readonly batchOn?: SqliteStoreBatching;
  /** Most writes in one transaction (default 1000); more wait for the next one. */
  readonly maxBatch?: number;
  /** Wall clock (ms) for `deliveredAt` of effects marked delivered outside a step. */
  readonly now?: () => number;
  /**
   * Where transactions run: `'thread'` (default for files) — a worker thread with its own
   * connection, so the engine keeps working while a batch commits and the next batch fills — or
   * `'inline'` on `db` itself (the only choice for an in-memory database).
   */
  readonly writer?: 'thread' | 'inline';
}

/** How much batching the store has done: `writes / transactions` is the mean batch size. */
export interface SqliteStoreStats {
  readonly transactions: number;
  readonly writes: number;
  /** Writes rolled back to their savepoint (conflicts, duplicate keys, constraint errors). */
  readonly refused: number;
  readonly largestBatch: number;
}

/** Extra fields of a published version the engine does not read but the table keeps. */
export interface FlowVersionExtras {
  /** The Flow document as JSON text (default `'{}'`). */
  readonly document?: string;
  /** The version's number within its flow (default: the next one). */
  readonly number?: number;
  /** The flow's display name when its Flow row is created (default: the flow id). */
  readonly flowName?: string;
  readonly publishedAt?: string;
}

export type SqliteStore = Store & {
  /** Saves a published version (and its Flow row if missing). Idempotent by version id. */
  addFlowVersion(version: FlowVersionRecord, extras?: FlowVersionExtras): void;
  /** Inserts or updates agents (and a Team row for each unknown team id). */
  saveAgents(agents: readonly AgentRecord[]): void;
  /** Resolves once every write queued so far is committed. */
  drain(): Promise<void>;
  /** Commits what is queued and stops the writer thread; `db` stays open (the caller owns it). */
  close(): Promise<void>;
  getStats(): SqliteStoreStats;
};

// ---------------------------------------------------------------------------------------------
// Times. DateTime columns hold `toSqliteTimestamp` text (UTC, `+00:00`), one fixed width, so
// string order is time order and `dueAt <= ?` can use the indexes. The engine speaks
// `Date#toISOString()` (`…Z`); both directions have a fast path for exactly that shape.

const ENGINE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

function toDbTime(value: string): string {
  if (ENGINE_TIME.test(value)) return `${value.slice(0, 23)}+00:00`;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
  return toSqliteTimestamp(new Date(ms));
}

function toOptionalDbTime(value: string | null): string | null {
  return value === null ? null : toDbTime(value);
}

function fromDbTime(value: string): string {
  if (DB_TIME.test(value)) return `${value.slice(0, 23)}Z`;
  return new Date(value).toISOString();
}

function fromOptionalDbTime(value: string | null): string | null {
  return value === null ? null : fromDbTime(value);
}

/**
 * Parses JSON this store wrote itself. Not validated again on read: every value came from a typed
 * record through `JSON.stringify`, and re-validating snapshots would cost more than the write.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- one typed cast, named once
function parseStored<T>(text: string): T {
  return JSON.parse(text) as T;
}

// The engine's effect kinds; Prisma enum values cannot contain `-`.
const KIND_TO_DB: Readonly<Record<EffectKind, string>> = {
  email: 'email',
  'in-app': 'inapp',
  webhook: 'webhook',
  http: 'http',
};
const KIND_FROM_DB: Readonly<Record<string, EffectKind>> = {
  email: 'email',
  inapp: 'in-app',
  webhook: 'webhook',
  http: 'http',
};

function fromDbKind(value: string): EffectKind {
  const kind = KIND_FROM_DB[value];
  if (kind === undefined)
    throw new Error(`OutboxEffect.kind ${value} is not an engine effect kind`);
  return kind;
}

function fromDbEffectStatus(value: string): EffectStatus {
  // `failed` exists in the table's enum but the engine never writes it: a failed attempt that
  // will be retried stays `pending` with a later `nextAttemptAt`.
  if (value === 'pending' || value === 'delivered' || value === 'dead') return value;
  if (value === 'failed') return 'pending';
  throw new Error(`OutboxEffect.status ${value} is unknown`);
}

function fromDbTimerStatus(value: string): TimerStatus {
  if (value === 'scheduled' || value === 'fired' || value === 'cancelled') return value;
  throw new Error(`Timer.status ${value} is unknown`);
}

function fromDbRole(value: string): AgentRecord['role'] {
  if (value === 'agent' || value === 'lead' || value === 'director') return value;
  throw new Error(`Agent.role ${value} is unknown`);
}

// ---------------------------------------------------------------------------------------------
// Rows.

interface TicketRow {
  id: string;
  number: string;
  flowVersionId: string;
  version: number;
  data: string;
  snapshot: string;
  currentNodes: string;
  done: number;
  failedEffect: string | null;
  error: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
}

interface EventRow {
  ticketId: string;
  seq: number;
  payload: string;
  trace: string | null;
  decisions: string;
  createdAt: string;
}

interface TimerRow {
  ticketId: string;
  key: string;
  generation: number;
  dueAt: string;
  status: string;
}

interface EffectRow {
  id: string;
  ticketId: string;
  idempotencyKey: string;
  kind: string;
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
}

interface AgentRow {
  id: string;
  name: string;
  email: string;
  teamId: string;
  skills: string;
  capacity: number;
  openTickets: number;
  active: number;
  shiftCalendarId: string | null;
  lastAssignedAt: string | null;
  role: string;
}

interface FlowVersionRow {
  id: string;
  flowId: string;
  contentHash: string;
  machine: string;
  sourceMap: string;
}

const TICKET_COLUMNS = `"id", "number", "flowVersionId", "version", "data", "snapshot", "currentNodes",
  "done", "failedEffect", "error", "idempotencyKey", "createdAt", "updatedAt"`;
const EFFECT_COLUMNS = `"id", "ticketId", "idempotencyKey", "kind", "payload", "status", "attempts",
  "nextAttemptAt", "lastError"`;
const TIMER_COLUMNS = `"ticketId", "key", "generation", "dueAt", "status"`;

function toTicketRecord(row: TicketRow): TicketRecord {
  return {
    id: row.id,
    number: row.number,
    flowVersionId: row.flowVersionId,
    version: row.version,
    ticket: parseStored<TicketRecord['ticket']>(row.data),
    snapshot: parseStored<TicketRecord['snapshot']>(row.snapshot),
    currentNodes: parseStored<string[]>(row.currentNodes),
    done: row.done !== 0,
    failure:
      row.failedEffect === null ? null : { effectId: row.failedEffect, error: row.error ?? '' },
    idempotencyKey: row.idempotencyKey,
    createdAt: fromDbTime(row.createdAt),
    updatedAt: fromDbTime(row.updatedAt),
  };
}

function toEventRecord(row: EventRow): EventRecord {
  return {
    ticketId: row.ticketId,
    seq: row.seq,
    event: parseStored<EventRecord['event']>(row.payload),
    at: fromDbTime(row.createdAt),
    trace: parseStored<EventRecord['trace']>(row.trace ?? 'null'),
    decisions: parseStored<EventRecord['decisions']>(row.decisions),
  };
}

function toTimerRecord(row: TimerRow): TimerRecord {
  return {
    ticketId: row.ticketId,
    key: row.key,
    generation: row.generation,
    dueAt: fromDbTime(row.dueAt),
    status: fromDbTimerStatus(row.status),
  };
}

function toEffectRecord(row: EffectRow): EffectRecord {
  return {
    id: row.id,
    ticketId: row.ticketId,
    idempotencyKey: row.idempotencyKey,
    kind: fromDbKind(row.kind),
    payload: parseStored<EffectRecord['payload']>(row.payload),
    status: fromDbEffectStatus(row.status),
    attempts: row.attempts,
    nextAttemptAt: fromDbTime(row.nextAttemptAt),
    lastError: row.lastError,
  };
}

function toAgentRecord(row: AgentRow): AgentRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    teamId: row.teamId,
    skills: parseStored<string[]>(row.skills),
    capacity: row.capacity,
    openTickets: row.openTickets,
    active: row.active !== 0,
    shiftCalendarId: row.shiftCalendarId,
    lastAssignedAt: fromOptionalDbTime(row.lastAssignedAt),
    role: fromDbRole(row.role),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes.

function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

function getEventActor(event: EventRecord['event']): string | null {
  if ('by' in event && typeof event.by === 'string') return event.by;
  if ('from' in event && typeof event.from === 'string') return event.from;
  return null;
}

/** Everything a step writes, as column values: serialised here so the write lock stays short. */
function prepareStep(step: StepCommit): PreparedStep {
  const record = step.ticket;
  const ticket = record.ticket;
  const at = toDbTime(step.event.at);
  return {
    ticket: {
      id: record.id,
      number: record.number,
      flowVersionId: record.flowVersionId,
      status: ticket.status,
      priority: ticket.priority,
      channel: ticket.channel,
      category: ticket.category,
      subcategory: ticket.subcategory,
      team: ticket.team,
      assignee: ticket.assignee,
      customerEmail: emptyToNull(ticket.customer.email),
      customerName: emptyToNull(ticket.customer.name),
      customerTier: ticket.customer.tier,
      escalationLevel: ticket.escalationLevel,
      slaResponseDueAt: toOptionalDbTime(ticket.sla.responseDueAt),
      slaResolutionDueAt: toOptionalDbTime(ticket.sla.resolutionDueAt),
      slaBreached: ticket.sla.breached ? 1 : 0,
      csatScore: ticket.csat.score,
      data: JSON.stringify(ticket),
      snapshot: JSON.stringify(record.snapshot),
      version: record.version,
      currentNode: record.currentNodes[0] ?? null,
      currentNodes: JSON.stringify(record.currentNodes),
      done: record.done ? 1 : 0,
      failedEffect: record.failure?.effectId ?? null,
      error: record.failure?.error ?? null,
      idempotencyKey: record.idempotencyKey,
      createdAt: toDbTime(record.createdAt),
      updatedAt: toDbTime(record.updatedAt),
      expectedVersion: step.expectedVersion,
      eventType: step.event.event.type,
      eventAt: at,
      eventAgeMs: Date.parse(step.event.at) - Date.parse(record.createdAt),
    },
    event: {
      ticketId: step.event.ticketId,
      seq: step.event.seq,
      type: step.event.event.type,
      payload: JSON.stringify(step.event.event),
      actor: getEventActor(step.event.event),
      trace: JSON.stringify(step.event.trace),
      decisions: JSON.stringify(step.event.decisions),
      at,
    },
    fired:
      step.fired === null
        ? null
        : { ticketId: record.id, key: step.fired.key, generation: step.fired.generation, at },
    cancel: step.cancel.map((timer) => ({
      ticketId: record.id,
      key: timer.key,
      generation: timer.generation,
    })),
    schedule: step.schedule.map((timer) => ({
      id: randomUUID(),
      ticketId: timer.ticketId,
      key: timer.key,
      generation: timer.generation,
      dueAt: toDbTime(timer.dueAt),
      status: timer.status,
      at,
    })),
    effects: step.effects.map((effect) => ({
      id: randomUUID(),
      ticketId: record.id,
      idempotencyKey: effect.idempotencyKey,
      kind: KIND_TO_DB[effect.kind],
      payload: JSON.stringify(effect.payload),
      at,
    })),
    delivered: step.deliveredEffectId === null ? null : { id: step.deliveredEffectId, at },
    agentLoad: step.agentLoad.map((change) => ({
      agentId: change.agentId,
      delta: change.delta,
      at: toDbTime(change.at),
    })),
  };
}

/** The engine's error for a write the writer refused, or the database error it hit. */
function toError(outcome: Exclude<WriteOutcome, { ok: true }>): Error {
  if ('refusal' in outcome) {
    const { kind, message, ticketNumber } = outcome.refusal;
    return kind === 'duplicate'
      ? new DuplicateKeyError(ticketNumber ?? '')
      : new ConflictError(message);
  }
  return toDatabaseError(outcome.error);
}

function toDatabaseError(failure: { name: string; message: string; code?: string }): Error {
  const error = new Error(failure.message);
  error.name = failure.name;
  return Object.assign(error, failure.code === undefined ? {} : { code: failure.code });
}

/** Runs batches: on `db` itself, or on a writer thread's own connection to the same file. */
interface BatchSink {
  run(writes: readonly Write[]): WriteOutcome[] | Promise<WriteOutcome[]>;
  close(): Promise<void>;
}

function createInlineSink(db: SqliteDatabase): BatchSink {
  const writer = createWriter(db);
  return {
    run: (writes) => writer.runBatch(writes),
    close: () => Promise.resolve(),
  };
}

interface ThreadReply {
  readonly id: number;
  readonly outcomes?: WriteOutcome[];
  readonly failure?: { name: string; message: string; code?: string };
}

function createThreadSink(path: string): BatchSink {
  const worker = new Worker(new URL('./sqlite-writer-thread.mjs', import.meta.url), {
    workerData: { path, pragmas: SQLITE_PRAGMAS, timeout: SQLITE_BUSY_TIMEOUT_MS },
    // A plain JavaScript file: no TypeScript loader (or test runner flags) needed there.
    execArgv: [],
  });
  // An idle writer must not keep the process alive; one with a batch in flight must.
  worker.unref();
  let nextId = 0;
  let pending: {
    id: number;
    resolve: (outcomes: WriteOutcome[]) => void;
    reject: (error: Error) => void;
  } | null = null;
  let broken: Error | null = null;
  const settle = (settleWith: (p: NonNullable<typeof pending>) => void) => {
    const current = pending;
    pending = null;
    worker.unref();
    if (current !== null) settleWith(current);
  };
  worker.on('message', (reply: ThreadReply) => {
    settle((p) => {
      if (reply.failure !== undefined) p.reject(toDatabaseError(reply.failure));
      else p.resolve(reply.outcomes ?? []);
    });
  });
  worker.on('error', (error) => {
    broken = error;
    settle((p) => {
      p.reject(error);
    });
  });
  const exited = new Promise<void>((resolve) => {
    worker.on('exit', () => {
      broken ??= new Error('The SQLite writer thread has stopped');
      const error = broken;
      settle((p) => {
        p.reject(error);
      });
      resolve();
    });
  });
  return {
    run(writes) {
      return new Promise((resolve, reject) => {
        if (broken !== null) {
          reject(broken);
          return;
        }
        pending = { id: ++nextId, resolve, reject };
        worker.ref();
        // Structured clone: cheaper on this thread than JSON.stringify of the batch (measured).
        worker.postMessage({ id: pending.id, writes });
      });
    },
    async close() {
      // Keep the process alive until the thread has closed its connection.
      worker.ref();
      if (broken === null) worker.postMessage({ close: true });
      await exited;
    },
  };
}

/** One queued write and its caller's promise. */
interface QueuedWrite {
  readonly write: Write;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A {@link Store} on SQLite through raw better-sqlite3 statements, with group commit: every write
 * (steps, effect updates, ticket sequences) is queued, and the queue goes to the database as ONE
 * `BEGIN IMMEDIATE` transaction, each write inside its own SAVEPOINT so a write that fails (a
 * version conflict) rolls back alone while the others commit. Writes that arrive while a batch
 * commits form the next batch. Each caller's promise settles after its batch's COMMIT, so with
 * `synchronous=FULL` (set by {@link openSqlite}) a resolved `commit` is on disk, and many steps
 * share one fsync. Transactions run on a worker thread with its own connection (reads stay on
 * `db`), so the engine keeps working while the disk syncs. Semantics match the engine's memory
 * store (the conformance suite in packages/engine/test runs against both).
 *
 * @example
 * const db = openSqlite('data/switchyard.db');
 * const store = createSqliteStore(db);
 * store.addFlowVersion(version);
 * const engine = createEngine({ store, clock, effects, links, timeZone, createId });
 */
export function createSqliteStore(
  db: SqliteDatabase,
  options: SqliteStoreOptions = {},
): SqliteStore {
  const batchOn = options.batchOn ?? 'immediate';
  const maxBatch = options.maxBatch ?? 1000;
  const now = options.now ?? (() => Date.now());
  const sink =
    (options.writer ?? (db.memory ? 'inline' : 'thread')) === 'thread' && !db.memory
      ? createThreadSink(db.name)
      : createInlineSink(db);

  const sql = {
    flowVersion: db.prepare<[string], FlowVersionRow>(
      'SELECT "id", "flowId", "contentHash", "machine", "sourceMap" FROM "FlowVersion" WHERE "id" = ?',
    ),
    insertFlow: db.prepare(
      `INSERT INTO "Flow" ("id", "name", "draft", "createdAt", "updatedAt")
       VALUES (@id, @name, @draft, @at, @at) ON CONFLICT ("id") DO NOTHING`,
    ),
    insertFlowVersion: db.prepare(
      `INSERT INTO "FlowVersion"
         ("id", "flowId", "number", "contentHash", "document", "machine", "sourceMap", "publishedAt")
       VALUES (@id, @flowId,
         coalesce(@number, (SELECT coalesce(max("number"), 0) + 1 FROM "FlowVersion" WHERE "flowId" = @flowId)),
         @contentHash, @document, @machine, @sourceMap, @publishedAt)
       ON CONFLICT ("id") DO NOTHING`,
    ),
    ticketById: db.prepare<[string], TicketRow>(
      `SELECT ${TICKET_COLUMNS} FROM "Ticket" WHERE "id" = ?`,
    ),
    ticketByNumber: db.prepare<[string], TicketRow>(
      `SELECT ${TICKET_COLUMNS} FROM "Ticket" WHERE "number" = ?`,
    ),
    ticketByKey: db.prepare<[string], TicketRow>(
      `SELECT ${TICKET_COLUMNS} FROM "Ticket" WHERE "idempotencyKey" = ?`,
    ),
    // The assignee is a free label; only the JSON says whether a non-agent one is set.
    queuedTickets: db.prepare<[string, number], TicketRow>(
      `SELECT ${TICKET_COLUMNS} FROM "Ticket"
       WHERE "team" = ? AND "done" = 0 AND "assigneeId" IS NULL
         AND json_extract("data", '$.assignee') IS NULL
       ORDER BY "createdAt", "rowid" LIMIT ?`,
    ),
    // The same queue, only what an agent with the skills in the JSON array may be handed: every
    // required skill recorded in the snapshot (none on older tickets) among them, and not a
    // pick-by-hand (`queue` strategy) ticket. Both sides are normalized by the engine.
    queuedTicketsForAgent: db.prepare<[string, string, number], TicketRow>(
      `SELECT ${TICKET_COLUMNS} FROM "Ticket"
       WHERE "team" = ? AND "done" = 0 AND "assigneeId" IS NULL
         AND json_extract("data", '$.assignee') IS NULL
         AND coalesce(json_extract("snapshot", '$.context.runtime.autoAssign'), 1) <> 0
         AND NOT EXISTS (
           SELECT 1 FROM json_each("snapshot", '$.context.runtime.requiredSkills') AS "required"
           WHERE "required"."value" NOT IN (SELECT "value" FROM json_each(?))
         )
       ORDER BY "createdAt", "rowid" LIMIT ?`,
    ),
    events: db.prepare<[string], EventRow>(
      `SELECT "ticketId", "seq", "payload", "trace", "decisions", "createdAt"
       FROM "TicketEvent" WHERE "ticketId" = ? ORDER BY "seq"`,
    ),
    timers: db.prepare<[string], TimerRow>(
      `SELECT ${TIMER_COLUMNS} FROM "Timer" WHERE "ticketId" = ? ORDER BY "rowid"`,
    ),
    dueTimers: db.prepare<[string, number], TimerRow>(
      `SELECT ${TIMER_COLUMNS} FROM "Timer" WHERE "status" = 'scheduled' AND "dueAt" <= ?
       ORDER BY "dueAt", "generation", "rowid" LIMIT ?`,
    ),
    effects: db.prepare<[string], EffectRow>(
      `SELECT ${EFFECT_COLUMNS} FROM "OutboxEffect" WHERE "ticketId" = ? ORDER BY "rowid"`,
    ),
    dueEffects: db.prepare<[string, number], EffectRow>(
      `SELECT ${EFFECT_COLUMNS} FROM "OutboxEffect" WHERE "status" = 'pending' AND "nextAttemptAt" <= ?
       ORDER BY "nextAttemptAt", "rowid" LIMIT ?`,
    ),
    agents: db.prepare<[], AgentRow>(
      `SELECT "id", "name", "email", "teamId", "skills", "capacity", "openTickets", "active",
         "shiftCalendarId", "lastAssignedAt", "role" FROM "Agent" ORDER BY "rowid"`,
    ),
    insertTeam: db.prepare(
      'INSERT INTO "Team" ("id", "name") VALUES (@id, @id) ON CONFLICT ("id") DO NOTHING',
    ),
    upsertAgent: db.prepare(
      `INSERT INTO "Agent" ("id", "name", "email", "teamId", "skills", "capacity", "openTickets",
         "shiftCalendarId", "active", "lastAssignedAt", "role")
       VALUES (@id, @name, @email, @teamId, @skills, @capacity, @openTickets, @shiftCalendarId,
         @active, @lastAssignedAt, @role)
       ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "email" = excluded."email",
         "teamId" = excluded."teamId", "skills" = excluded."skills", "capacity" = excluded."capacity",
         "openTickets" = excluded."openTickets", "shiftCalendarId" = excluded."shiftCalendarId",
         "active" = excluded."active", "lastAssignedAt" = excluded."lastAssignedAt",
         "role" = excluded."role"`,
    ),
  };

  // --- group commit -------------------------------------------------------------------------

  let queue: QueuedWrite[] = [];
  let flushScheduled = false;
  let inFlight = false;
  let closed = false;
  let transactions = 0;
  let writes = 0;
  let refused = 0;
  let largestBatch = 0;

  function scheduleFlush(): void {
    if (flushScheduled || inFlight || queue.length === 0) return;
    flushScheduled = true;
    if (batchOn === 'microtask') queueMicrotask(flush);
    else setImmediate(flush);
  }

  function enqueue<T>(write: Write): Promise<T> {
    if (closed) return Promise.reject(new Error('The SQLite store is closed'));
    return new Promise<T>((resolve, reject) => {
      queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      scheduleFlush();
    });
  }

  function settle(batch: readonly QueuedWrite[], outcomes: readonly WriteOutcome[]): void {
    transactions++;
    writes += batch.length;
    largestBatch = Math.max(largestBatch, batch.length);
    batch.forEach((queued, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) {
        queued.reject(new Error('The SQLite writer returned no outcome for a write'));
      } else if (outcome.ok) {
        queued.resolve(outcome.value);
      } else {
        refused++;
        queued.reject(toError(outcome));
      }
    });
  }

  function fail(batch: readonly QueuedWrite[], error: unknown): void {
    // Nothing of this batch is committed (BEGIN failed with SQLITE_BUSY after busy_timeout,
    // SQLite rolled the transaction back on an I/O error or a full disk, or COMMIT failed).
    for (const queued of batch) queued.reject(error);
  }

  function flush(): void {
    flushScheduled = false;
    if (inFlight || queue.length === 0) return;
    const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
    if (batch === queue) queue = [];
    const done = () => {
      inFlight = false;
      scheduleFlush();
    };
    inFlight = true;
    let result: WriteOutcome[] | Promise<WriteOutcome[]>;
    try {
      result = sink.run(batch.map((queued) => queued.write));
    } catch (error: unknown) {
      fail(batch, error);
      done();
      return;
    }
    if (Array.isArray(result)) {
      settle(batch, result);
      done();
      return;
    }
    result.then(
      (outcomes) => {
        settle(batch, outcomes);
        done();
      },
      (error: unknown) => {
        fail(batch, error);
        done();
      },
    );
  }

  // --- the Store ----------------------------------------------------------------------------

  const store: SqliteStore = {
    addFlowVersion(version, extras = {}) {
      const at = toDbTime(extras.publishedAt ?? new Date(now()).toISOString());
      const save = db.transaction(() => {
        sql.insertFlow.run({
          id: version.flowId,
          name: extras.flowName ?? version.flowId,
          draft: extras.document ?? '{}',
          at,
        });
        sql.insertFlowVersion.run({
          id: version.id,
          flowId: version.flowId,
          number: extras.number ?? null,
          contentHash: version.contentHash,
          document: extras.document ?? '{}',
          machine: JSON.stringify(version.machine),
          sourceMap: JSON.stringify(version.sourceMap),
          publishedAt: at,
        });
      });
      save.immediate();
    },
    saveAgents(agents) {
      const save = db.transaction(() => {
        for (const agent of agents) {
          sql.insertTeam.run({ id: agent.teamId });
          sql.upsertAgent.run({
            id: agent.id,
            name: agent.name,
            email: agent.email,
            teamId: agent.teamId,
            skills: JSON.stringify(agent.skills),
            capacity: agent.capacity,
            openTickets: agent.openTickets,
            shiftCalendarId: agent.shiftCalendarId,
            active: agent.active ? 1 : 0,
            lastAssignedAt: toOptionalDbTime(agent.lastAssignedAt),
            role: agent.role,
          });
        }
      });
      save.immediate();
    },
    drain() {
      return enqueue({ kind: 'barrier' });
    },
    async close() {
      if (closed) return;
      await store.drain();
      closed = true;
      await sink.close();
    },
    getStats() {
      return { transactions, writes, refused, largestBatch };
    },

    getFlowVersion(id) {
      const row = sql.flowVersion.get(id);
      return Promise.resolve(
        row === undefined
          ? null
          : {
              id: row.id,
              flowId: row.flowId,
              contentHash: row.contentHash,
              machine: parseStored<FlowVersionRecord['machine']>(row.machine),
              sourceMap: parseStored<FlowVersionRecord['sourceMap']>(row.sourceMap),
            },
      );
    },
    getTicketByNumber(number) {
      const row = sql.ticketByNumber.get(number);
      return Promise.resolve(row === undefined ? null : toTicketRecord(row));
    },
    getTicketById(id) {
      const row = sql.ticketById.get(id);
      return Promise.resolve(row === undefined ? null : toTicketRecord(row));
    },
    getTicketByIdempotencyKey(key) {
      const row = sql.ticketByKey.get(key);
      return Promise.resolve(row === undefined ? null : toTicketRecord(row));
    },
    nextTicketSequence(day) {
      return enqueue<number>({ kind: 'sequence', day });
    },
    commit(step) {
      let write: Write;
      try {
        write = { kind: 'step', step: prepareStep(step) };
      } catch (error: unknown) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return enqueue(write);
    },
    listEvents(ticketId) {
      return Promise.resolve(sql.events.all(ticketId).map(toEventRecord));
    },
    listTimers(ticketId) {
      return Promise.resolve(sql.timers.all(ticketId).map(toTimerRecord));
    },
    getDueTimers(at, limit) {
      return Promise.resolve(sql.dueTimers.all(toDbTime(at), limit).map(toTimerRecord));
    },
    getDueEffects(at, limit) {
      return Promise.resolve(sql.dueEffects.all(toDbTime(at), limit).map(toEffectRecord));
    },
    listEffects(ticketId) {
      return Promise.resolve(sql.effects.all(ticketId).map(toEffectRecord));
    },
    markEffectDelivered(id) {
      return enqueue({ kind: 'delivered', id, at: toSqliteTimestamp(new Date(now())) });
    },
    markEffectFailed(id, error, nextAttemptAt, dead) {
      return enqueue({ kind: 'failed', id, error, nextAttemptAt: toDbTime(nextAttemptAt), dead });
    },
    retryEffect(id, at) {
      return enqueue({ kind: 'retry', id, now: toDbTime(at) });
    },
    listAgents() {
      return Promise.resolve(sql.agents.all().map(toAgentRecord));
    },
    getQueuedTickets(teamId, limit, forAgent) {
      const rows =
        forAgent === undefined
          ? sql.queuedTickets.all(teamId, limit)
          : sql.queuedTicketsForAgent.all(teamId, JSON.stringify(forAgent.skills), limit);
      return Promise.resolve(rows.map(toTicketRecord));
    },
  };
  return store;
}
