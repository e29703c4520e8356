// `npm run bench:engine`: N tickets through the SaaS login flow with the engine on the SQLite store
// (group commit, synchronous=FULL), against the same number of raw better-sqlite3 transactions
// (insert an event + update a 400-byte snapshot, one transaction each, synchronous=FULL) in the
// same run. The last line of output is JSON. Environment: BENCH_TICKETS (default 1000),
// BENCH_CONCURRENCY (API calls in flight, default 64), BENCH_BATCH (immediate | microtask),
// BENCH_WRITER (thread | inline), BENCH_DIR (where the database files go; default the OS temp dir).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { openSqlite, toSqliteTimestamp } from '../../db/src/index';
import type { SqliteStoreBatching } from '../../db/src/index';
import {
  compileSaasVersion,
  createSqliteEngine,
  loadSaasFlow,
  SAAS_INPUTS,
  seedDatabase,
} from '../../db/test/support/saas';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WRITER = process.env.BENCH_WRITER === 'inline' ? 'inline' : 'thread';
const BATCH: SqliteStoreBatching =
  process.env.BENCH_BATCH === 'microtask' ? 'microtask' : 'immediate';
/** Virtual clock speed: 30 minutes of flow time pass in 0.18 s. */
const SPEEDUP = 10_000;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** Runs calls with at most `limit` in flight, the others waiting in order (API connections). */
function createLimiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await call();
    } finally {
      const next = waiting.shift();
      if (next === undefined) active--;
      else next();
    }
  };
}

/**
 * The engine as a server runs it: every ticket's customer and agent act as soon as they can, through
 * at most CONCURRENCY API calls at a time, while one loop fires due timers and another delivers due
 * effects (the customer answers the survey when its email is delivered). The clock runs SPEEDUP times faster than real time, so
 * the survey timer (30 minutes after resolution) comes due within a fraction of a second.
 */
async function runEngine(path: string) {
  const version = compileSaasVersion(loadSaasFlow({ fast: false }), 'v1');
  seedDatabase(path, version);
  const realStart = Date.now();
  const clock = { now: () => realStart + (Date.now() - realStart) * SPEEDUP };
  let delivered = 0;
  // The customer answers the survey when its email arrives.
  const surveyArrived = new Map<string, () => void>();
  const { db, store, engine, close } = createSqliteEngine({
    path,
    clock,
    effects: {
      deliver(effect) {
        delivered++;
        const payload = effect.payload as { survey?: boolean } | null;
        if (payload?.survey === true) surveyArrived.get(effect.ticketId)?.();
        return Promise.resolve({ ok: true });
      },
    },
    store: { batchOn: BATCH, now: clock.now, writer: WRITER },
  });
  const latencies: number[] = [];
  const limit = createLimiter(CONCURRENCY);
  /** One API call: waits for a free connection, then is timed. */
  const timed = <T>(call: () => Promise<T>): Promise<T> =>
    limit(async () => {
      const start = performance.now();
      const result = await call();
      latencies.push(performance.now() - start);
      return result;
    });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  let running = true;
  let timerSteps = 0;
  const background = async (work: () => Promise<number>, onCount: (n: number) => void) => {
    while (running) {
      const n = await work();
      onCount(n);
      if (n === 0) await sleep(5);
    }
  };
  const started = performance.now();
  const loops = [
    background(
      () => engine.fireDueTimers(500),
      (n) => (timerSteps += n),
    ),
    background(
      () => engine.deliverDueEffects(500),
      () => undefined,
    ),
  ];
  const lifecycle = async (i: number) => {
    const input = SAAS_INPUTS[i % SAAS_INPUTS.length] ?? SAAS_INPUTS[0];
    if (input === undefined) throw new Error('no inputs');
    const { ticket } = await timed(() =>
      engine.createTicket(input, { flowVersionId: version.id, idempotencyKey: `bench-${i}` }),
    );
    const send = (event: unknown) => timed(() => engine.send(ticket.number, event));
    const survey = new Promise<void>((resolve) => surveyArrived.set(ticket.id, resolve));
    await send({ type: 'AGENT.REPLIED', by: 'li', message: 'Looking into it' });
    await send({ type: 'COMMENT.ADDED', by: 'li', text: 'Reset the 2FA device' });
    await send({ type: 'AGENT.RESOLVED', by: 'li' });
    // The survey email goes out when its timer fires; the customer answers when it arrives.
    await survey;
    surveyArrived.delete(ticket.id);
    await send({ type: 'SURVEY.ANSWERED', score: 5, resolved: true });
  };
  // Engine bug workaround: concurrent first calls for a version each build a FlowMachine, and actors
  // of the first are later driven under the second's scope ("Flow actions ran outside an engine
  // step"). The first ticket alone builds the machine once.
  await lifecycle(0);
  await Promise.all(Array.from({ length: TICKETS - 1 }, (_, i) => lifecycle(i + 1)));
  // Deliver what the last steps queued.
  while ((await engine.deliverDueEffects(500)) > 0);
  running = false;
  await Promise.all(loops);
  const elapsed = performance.now() - started;
  const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
  const events = count('SELECT count(*) AS n FROM "TicketEvent"');
  const done = count('SELECT count(*) AS n FROM "Ticket" WHERE "done" = 1');
  const stats = store.getStats();
  // How far behind the (sequential) timer and effect loops ran, in flow time.
  const lagMs = (sqlText: string) =>
    (db.prepare<[], { lag: number | null }>(sqlText).get()?.lag ?? 0) / SPEEDUP;
  const timerLag = lagMs(
    `SELECT avg((julianday("firedAt") - julianday("dueAt")) * 86400000) AS lag FROM "Timer" WHERE "status" = 'fired'`,
  );
  const effectLag = lagMs(
    `SELECT avg((julianday("deliveredAt") - julianday("createdAt")) * 86400000) AS lag FROM "OutboxEffect" WHERE "status" = 'delivered'`,
  );
  await close();
  latencies.sort((a, b) => a - b);
  return { events, done, delivered, timerSteps, elapsed, latencies, stats, timerLag, effectLag };
}

function runRaw(path: string, transactions: number, tickets: number) {
  const db = openSqlite(path);
  const at = toSqliteTimestamp(new Date());
  db.prepare(
    `INSERT INTO "Flow" ("id", "name", "draft", "updatedAt") VALUES ('f', 'f', '{}', ?)`,
  ).run(at);
  db.prepare(
    `INSERT INTO "FlowVersion" ("id", "flowId", "number", "contentHash", "document", "machine", "sourceMap")
     VALUES ('v', 'f', 1, 'h', '{}', '{}', '{}')`,
  ).run();
  const insertTicket = db.prepare(
    `INSERT INTO "Ticket" ("id", "number", "flowVersionId", "status", "priority", "channel", "data", "snapshot", "updatedAt")
     VALUES (?, ?, 'v', 'open', 'medium', 'web', '{}', '{}', ?)`,
  );
  db.transaction(() => {
    for (let t = 0; t < tickets; t++) insertTicket.run(`t${t}`, `N${t}`, at);
  })();
  const insertEvent = db.prepare(
    `INSERT INTO "TicketEvent" ("ticketId", "seq", "type", "payload", "createdAt") VALUES (?, ?, 'COMMENT.ADDED', ?, ?)`,
  );
  const updateSnapshot = db.prepare(
    `UPDATE "Ticket" SET "snapshot" = ?, "version" = ? WHERE "id" = ?`,
  );
  const payload = JSON.stringify({ type: 'COMMENT.ADDED', by: 'li', text: 'Reset the 2FA device' });
  const snapshot = JSON.stringify({
    status: 'active',
    value: { main: 'await-resolution' },
    pad: 'x'.repeat(340),
  });
  if (snapshot.length < 400) throw new Error('snapshot shorter than 400 bytes');
  const step = db.transaction((ticketId: string, seq: number) => {
    insertEvent.run(ticketId, seq, payload, at);
    updateSnapshot.run(snapshot.slice(0, 400), seq, ticketId);
  });
  const started = performance.now();
  for (let i = 0; i < transactions; i++) step(`t${i % tickets}`, Math.floor(i / tickets) + 1);
  const elapsed = performance.now() - started;
  db.close();
  return { elapsed };
}

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'switchyard-bench-'));
try {
  const engine = await runEngine(join(dir, 'engine.db'));
  const raw = runRaw(join(dir, 'raw.db'), engine.events, TICKETS);
  const engineEventsPerSec = engine.events / (engine.elapsed / 1000);
  const rawTxPerSec = engine.events / (raw.elapsed / 1000);
  console.log(
    `engine: ${TICKETS} tickets (${engine.done} closed), ${engine.events} events (${engine.timerSteps} timers fired), ${engine.delivered} effects delivered in ${Math.round(engine.elapsed)} ms; ` +
      `${engine.stats.transactions} transactions for ${engine.stats.writes} writes (largest batch ${engine.stats.largestBatch}); concurrency ${CONCURRENCY}, batching on ${BATCH}, ${WRITER} writer`,
  );
  console.log(
    `engine loops: timers fired on average ${Math.round(engine.timerLag)} ms (real time) after due, effects delivered ${Math.round(engine.effectLag)} ms after created`,
  );
  console.log(`raw: ${engine.events} transactions in ${Math.round(raw.elapsed)} ms`);
  console.log(
    JSON.stringify({
      engineEventsPerSec: Math.round(engineEventsPerSec),
      rawTxPerSec: Math.round(rawTxPerSec),
      ratio: Number((engineEventsPerSec / rawTxPerSec).toFixed(3)),
      p50Ms: Number(percentile(engine.latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(engine.latencies, 99).toFixed(2)),
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
