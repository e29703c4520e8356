// The write side of the SQLite store: applies batches of writes in ONE transaction, each write in
// its own SAVEPOINT. Plain JavaScript (typed by sqlite-writer.d.mts) because it also runs in a
// worker thread (sqlite-writer-thread.mjs), where no TypeScript loader is present.

/** A write the store refuses on purpose; the main thread turns it into the engine's error. */
class WriteRefusal extends Error {
  /**
   * @param {'conflict' | 'duplicate'} kind
   * @param {string} message
   * @param {string} [ticketNumber]
   */
  constructor(kind, message, ticketNumber) {
    super(message);
    this.kind = kind;
    this.ticketNumber = ticketNumber;
  }
}

function isConstraint(error, target) {
  return (
    error instanceof Error &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') &&
    error.message.includes(target)
  );
}

/** @param {unknown} error */
function toOutcomeError(error) {
  if (error instanceof WriteRefusal) {
    return {
      ok: false,
      refusal: { kind: error.kind, message: error.message, ticketNumber: error.ticketNumber },
    };
  }
  if (error instanceof Error) {
    return { ok: false, error: { name: error.name, message: error.message, code: error.code } };
  }
  return { ok: false, error: { name: 'Error', message: String(error) } };
}

/**
 * Prepares the write statements on `db` and returns `runBatch(writes)`: one `BEGIN IMMEDIATE`
 * transaction, a SAVEPOINT per write, one outcome per write. Throws only when nothing of the batch
 * was committed (BEGIN or COMMIT failed, or SQLite rolled the transaction back).
 *
 * @param {import('better-sqlite3').Database} db
 */
export function createWriter(db) {
  const sql = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT write'),
    release: db.prepare('RELEASE write'),
    rollbackTo: db.prepare('ROLLBACK TO write'),

    ticketVersion: db.prepare('SELECT "version" FROM "Ticket" WHERE "id" = ?'),
    ticketNumberByKey: db.prepare('SELECT "number" FROM "Ticket" WHERE "idempotencyKey" = ?'),
    insertTicket: db.prepare(
      `INSERT INTO "Ticket" ("id", "number", "flowVersionId", "status", "priority", "channel",
         "category", "subcategory", "team", "assigneeId", "customerEmail", "customerName",
         "customerTier", "escalationLevel", "slaResponseDueAt", "slaResolutionDueAt", "slaBreached",
         "csatScore", "data", "snapshot", "version", "currentNode", "currentNodes", "done",
         "failedEffect", "error", "idempotencyKey", "createdAt", "updatedAt",
         "firstResponseAt", "firstResponseMs", "resolvedAt", "resolutionMs", "reopenCount", "csatAt")
       VALUES (@id, @number, @flowVersionId, @status, @priority, @channel,
         @category, @subcategory, @team, (SELECT "id" FROM "Agent" WHERE "id" = @assignee),
         @customerEmail, @customerName, @customerTier, @escalationLevel, @slaResponseDueAt,
         @slaResolutionDueAt, @slaBreached, @csatScore, @data, @snapshot, @version, @currentNode,
         @currentNodes, @done, @failedEffect, @error, @idempotencyKey, @createdAt, @updatedAt,
         CASE WHEN @eventType = 'AGENT.REPLIED' THEN @eventAt END,
         CASE WHEN @eventType = 'AGENT.REPLIED' THEN @eventAgeMs END,
         CASE WHEN @status IN ('resolved', 'closed') THEN @eventAt END,
         CASE WHEN @status IN ('resolved', 'closed') THEN @eventAgeMs END,
         0,
         CASE WHEN @eventType = 'SURVEY.ANSWERED' THEN @eventAt END)`,
    ),
    // number, flowVersionId, idempotencyKey and createdAt never change after creation; leaving
    // them out of SET spares their indexes on every step. The analytics columns (0006) derive
    // from the step's event and the status before (SET reads the old row) and after it. The assignee is a free label in the
    // flow; the foreign key holds it only when it names an Agent row.
    updateTicket: db.prepare(
      `UPDATE "Ticket" SET "status" = @status, "priority" = @priority, "channel" = @channel,
         "category" = @category, "subcategory" = @subcategory, "team" = @team,
         "assigneeId" = (SELECT "id" FROM "Agent" WHERE "id" = @assignee),
         "customerEmail" = @customerEmail, "customerName" = @customerName,
         "customerTier" = @customerTier, "escalationLevel" = @escalationLevel,
         "slaResponseDueAt" = @slaResponseDueAt, "slaResolutionDueAt" = @slaResolutionDueAt,
         "slaBreached" = @slaBreached, "csatScore" = @csatScore, "data" = @data,
         "snapshot" = @snapshot, "version" = @version, "currentNode" = @currentNode,
         "currentNodes" = @currentNodes, "done" = @done, "updatedAt" = @updatedAt,
         "firstResponseAt" = coalesce("firstResponseAt",
           CASE WHEN @eventType = 'AGENT.REPLIED' THEN @eventAt END),
         "firstResponseMs" = coalesce("firstResponseMs",
           CASE WHEN @eventType = 'AGENT.REPLIED' THEN @eventAgeMs END),
         "resolvedAt" = CASE WHEN @status IN ('resolved', 'closed') THEN
           CASE WHEN "status" IN ('resolved', 'closed') THEN coalesce("resolvedAt", @eventAt)
           ELSE @eventAt END END,
         "resolutionMs" = CASE WHEN @status IN ('resolved', 'closed') THEN
           CASE WHEN "status" IN ('resolved', 'closed') THEN coalesce("resolutionMs", @eventAgeMs)
           ELSE @eventAgeMs END END,
         "reopenCount" = "reopenCount" + ("status" IN ('resolved', 'closed')
           AND @status NOT IN ('resolved', 'closed', 'cancelled')),
         "csatAt" = CASE WHEN @eventType = 'SURVEY.ANSWERED' THEN @eventAt ELSE "csatAt" END
       WHERE "id" = @id AND "version" = @expectedVersion`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO "TicketEvent" ("ticketId", "seq", "type", "payload", "actor", "trace", "decisions", "createdAt")
       VALUES (@ticketId, @seq, @type, @payload, @actor, @trace, @decisions, @at)`,
    ),
    fireTimer: db.prepare(
      `UPDATE "Timer" SET "status" = 'fired', "firedAt" = @at
       WHERE "ticketId" = @ticketId AND "key" = @key AND "generation" = @generation AND "status" = 'scheduled'`,
    ),
    cancelTimer: db.prepare(
      `UPDATE "Timer" SET "status" = 'cancelled'
       WHERE "ticketId" = @ticketId AND "key" = @key AND "generation" = @generation AND "status" = 'scheduled'`,
    ),
    scheduleTimer: db.prepare(
      `INSERT INTO "Timer" ("id", "ticketId", "key", "generation", "dueAt", "status", "createdAt")
       VALUES (@id, @ticketId, @key, @generation, @dueAt, @status, @at)
       ON CONFLICT ("ticketId", "key", "generation")
       DO UPDATE SET "dueAt" = excluded."dueAt", "status" = excluded."status", "firedAt" = NULL`,
    ),
    insertEffect: db.prepare(
      `INSERT INTO "OutboxEffect" ("id", "ticketId", "idempotencyKey", "kind", "payload", "status",
         "attempts", "nextAttemptAt", "createdAt")
       VALUES (@id, @ticketId, @idempotencyKey, @kind, @payload, 'pending', 0, @at, @at)`,
    ),
    deliverEffect: db.prepare(
      `UPDATE "OutboxEffect" SET "status" = 'delivered', "attempts" = "attempts" + 1, "deliveredAt" = @at
       WHERE "id" = @id`,
    ),
    failEffect: db.prepare(
      `UPDATE "OutboxEffect" SET "status" = @status, "attempts" = "attempts" + 1,
         "nextAttemptAt" = @nextAttemptAt, "lastError" = @error
       WHERE "id" = @id RETURNING "ticketId"`,
    ),
    retryEffect: db.prepare(
      `UPDATE "OutboxEffect" SET "status" = 'pending', "nextAttemptAt" = @now
       WHERE "id" = @id AND "status" = 'dead' RETURNING "ticketId"`,
    ),
    setTicketFailure: db.prepare(
      'UPDATE "Ticket" SET "failedEffect" = @effectId, "error" = @error WHERE "id" = @ticketId',
    ),
    clearTicketFailure: db.prepare(
      `UPDATE "Ticket" SET "failedEffect" = NULL, "error" = NULL
       WHERE "id" = @ticketId AND "failedEffect" = @effectId`,
    ),
    agentLoad: db.prepare(
      `UPDATE "Agent" SET "openTickets" = max(0, "openTickets" + @delta),
         "lastAssignedAt" = CASE WHEN @delta > 0 THEN @at ELSE "lastAssignedAt" END
       WHERE "id" = @agentId`,
    ),
    nextSequence: db.prepare(
      `INSERT INTO "TicketSequence" ("day", "last") VALUES (?, 1)
       ON CONFLICT ("day") DO UPDATE SET "last" = "last" + 1 RETURNING "last"`,
    ),
  };

  function applyStep(step) {
    const { ticket } = step;
    if (ticket.expectedVersion === null) {
      try {
        sql.insertTicket.run(ticket);
      } catch (error) {
        if (
          isConstraint(error, 'Ticket.idempotencyKey') &&
          sql.ticketVersion.get(ticket.id) === undefined
        ) {
          const owner = sql.ticketNumberByKey.get(ticket.idempotencyKey);
          throw new WriteRefusal(
            'duplicate',
            `Idempotency key already used by ticket ${owner?.number ?? ticket.idempotencyKey}`,
            owner?.number ?? ticket.idempotencyKey,
          );
        }
        if (isConstraint(error, 'Ticket.')) {
          throw new WriteRefusal('conflict', `Ticket ${ticket.number} already exists`);
        }
        throw error;
      }
    } else if (sql.updateTicket.run(ticket).changes === 0) {
      const current = sql.ticketVersion.get(ticket.id);
      throw new WriteRefusal(
        'conflict',
        `Ticket ${ticket.number} changed (version ${current?.version ?? 'none'}, expected ${ticket.expectedVersion})`,
      );
    }
    try {
      sql.insertEvent.run(step.event);
    } catch (error) {
      if (isConstraint(error, 'TicketEvent.')) {
        throw new WriteRefusal(
          'conflict',
          `Event ${step.event.seq} of ticket ${ticket.number} exists`,
        );
      }
      throw error;
    }
    if (step.fired !== null && sql.fireTimer.run(step.fired).changes === 0) {
      throw new WriteRefusal('conflict', `Timer ${step.fired.key} is no longer scheduled`);
    }
    for (const timer of step.cancel) sql.cancelTimer.run(timer);
    for (const timer of step.schedule) sql.scheduleTimer.run(timer);
    for (const effect of step.effects) {
      try {
        sql.insertEffect.run(effect);
      } catch (error) {
        if (isConstraint(error, 'OutboxEffect.idempotencyKey')) {
          throw new WriteRefusal('conflict', `Effect ${effect.idempotencyKey} exists`);
        }
        throw error;
      }
    }
    if (step.delivered !== null) sql.deliverEffect.run(step.delivered);
    for (const change of step.agentLoad) sql.agentLoad.run(change);
    return undefined;
  }

  function apply(write) {
    switch (write.kind) {
      case 'step':
        return applyStep(write.step);
      case 'sequence': {
        const row = sql.nextSequence.get(write.day);
        if (row === undefined)
          throw new Error(`TicketSequence upsert for ${write.day} returned no row`);
        return row.last;
      }
      case 'delivered':
        sql.deliverEffect.run({ id: write.id, at: write.at });
        return undefined;
      case 'failed': {
        const row = sql.failEffect.get({
          id: write.id,
          status: write.dead ? 'dead' : 'pending',
          nextAttemptAt: write.nextAttemptAt,
          error: write.error,
        });
        if (row !== undefined && write.dead) {
          sql.setTicketFailure.run({
            ticketId: row.ticketId,
            effectId: write.id,
            error: write.error,
          });
        }
        return undefined;
      }
      case 'retry': {
        const row = sql.retryEffect.get({ id: write.id, now: write.now });
        if (row !== undefined)
          sql.clearTicketFailure.run({ ticketId: row.ticketId, effectId: write.id });
        return undefined;
      }
      case 'barrier':
        return undefined;
      default:
        throw new Error(`Unknown write ${JSON.stringify(write)}`);
    }
  }

  return {
    /** @param {readonly unknown[]} writes */
    runBatch(writes) {
      const outcomes = [];
      sql.begin.run();
      try {
        for (const write of writes) {
          sql.savepoint.run();
          try {
            const value = apply(write);
            sql.release.run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            // A failed write that took the whole transaction with it fails the batch.
            if (!db.inTransaction) throw error;
            sql.rollbackTo.run();
            sql.release.run();
            outcomes.push(toOutcomeError(error));
          }
        }
        sql.commit.run();
      } catch (error) {
        if (db.open && db.inTransaction) sql.rollback.run();
        throw error;
      }
      return outcomes;
    },
  };
}
