// Kill -9 the engine under load several times, restart it, and check that nothing acknowledged
// was lost, no effect went out twice, every timer fired exactly once (also those that came due
// while the process was down) and every ticket's snapshot equals the replay of its event log.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type { TraceStep } from '@switchyard/engine';
import { compileSaasVersion, createSqliteEngine, loadSaasFlow, seedDatabase } from './support/saas';
import { createTempDir } from './support/temp';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const KILLS = 5;

interface Run {
  readonly id: string;
  readonly lines: string[];
  /** Resolves with the exit signal (or null) once the process is gone. */
  readonly exited: Promise<NodeJS.Signals | null>;
  readonly ready: Promise<void>;
  kill(): void;
}

function startChild(dbPath: string, logPath: string, id: string, mode: 'load' | 'drain'): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, logPath, id, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    // A line cut off by the kill never counts.
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line === 'READY') markReady();
      lines.push(line);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) {
        reject(new Error(`run ${id} exited with ${code}: ${stderr}`));
      } else {
        resolve(signal);
      }
      markReady();
    });
  });
  return { id, lines, exited, ready, kill: () => child.kill('SIGKILL') };
}

const between = (low: number, high: number) => low + Math.random() * (high - low);

interface EventRow {
  ticketId: string;
  seq: number;
  type: string;
  trace: string;
}

describe('crash safety (SIGKILL under load, restart)', () => {
  test('acknowledged events survive, effects go out once, timers fire once, snapshots replay', async () => {
    using dir = createTempDir();
    const dbPath = join(dir.path, 'switchyard.db');
    const logPath = join(dir.path, 'deliveries.log');
    const version = compileSaasVersion(loadSaasFlow({ fast: true }), 'v1');
    seedDatabase(dbPath, version);

    const runs: Run[] = [];
    const downtimes: { from: string; to: string }[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const run = startChild(dbPath, logPath, `run${kill}`, 'load');
      runs.push(run);
      await run.ready;
      await sleep(between(800, 2500));
      run.kill();
      expect(await run.exited).toBe('SIGKILL');
      const from = new Date().toISOString();
      await sleep(between(500, 1500));
      downtimes.push({ from, to: new Date().toISOString() });
    }
    const drain = startChild(dbPath, logPath, 'drain', 'drain');
    runs.push(drain);
    expect(await drain.exited).toBeNull();
    const drained = drain.lines.find((line) => line.startsWith('DRAINED '))?.slice(8);
    expect(drained).toBeDefined();

    const { db, engine, store, close } = createSqliteEngine({
      path: dbPath,
      effects: { deliver: () => Promise.reject(new Error('the checker delivers nothing')) },
    });
    try {
      // 1. Every acknowledged step is in the event log.
      const acks = runs.flatMap((run) =>
        run.lines
          .filter((line) => line.startsWith('ACK '))
          .map((line) => {
            const [, ticketId = '', seq = '', type = ''] = line.split(' ');
            return { ticketId, seq: Number(seq), type };
          }),
      );
      expect(acks.length).toBeGreaterThan(50);
      const eventRows = db
        .prepare<[], EventRow>('SELECT "ticketId", "seq", "type", "trace" FROM "TicketEvent"')
        .all();
      const logged = new Map(eventRows.map((row) => [`${row.ticketId} ${row.seq}`, row.type]));
      const missing = acks.filter((a) => logged.get(`${a.ticketId} ${a.seq}`) !== a.type);
      expect(missing).toEqual([]);

      // 2. Effects: a delivery is marked only after it happened, and an effect goes out again
      //    only when the process died between delivering it and recording that.
      const deliveries = readFileSync(logPath, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [run = '', key = ''] = line.split(' ');
          return { run, key };
        });
      const seen = new Map<string, number>();
      for (const d of deliveries) seen.set(d.key, (seen.get(d.key) ?? 0) + 1);
      const twice = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
      // Effects of different tickets go out concurrently, so a kill can catch several deliveries
      // in flight (delivered, not yet recorded): each may go out once more, after the restart,
      // with the same idempotency key — never twice within one run.
      for (const key of twice) {
        expect(seen.get(key)).toBe(2);
        const [first, second] = deliveries.filter((d) => d.key === key);
        expect(first?.run).not.toBe('drain');
        expect(second?.run).not.toBe(first?.run);
      }
      const redeliveredPerRun = new Map<string, number>();
      for (const key of twice) {
        const run = deliveries.find((d) => d.key === key)?.run ?? '';
        redeliveredPerRun.set(run, (redeliveredPerRun.get(run) ?? 0) + 1);
      }
      // At most one delivery batch (deliverDueEffects' default limit) can be in flight at a kill.
      for (const count of redeliveredPerRun.values()) expect(count).toBeLessThanOrEqual(100);
      const delivered = db
        .prepare<[], { idempotencyKey: string }>(
          `SELECT "idempotencyKey" FROM "OutboxEffect" WHERE "status" = 'delivered'`,
        )
        .all();
      expect(delivered.filter((e) => !seen.has(e.idempotencyKey))).toEqual([]);
      expect(delivered.length).toBeGreaterThan(0);
      const pending = db
        .prepare<[string], { n: number }>(
          `SELECT count(*) AS n FROM "OutboxEffect" WHERE "status" = 'pending' AND "nextAttemptAt" <= ?`,
        )
        .get(drained?.replace('Z', '+00:00') ?? '');
      expect(pending?.n).toBe(0);

      // 3. Timers: each fired timer has exactly one TIMER.FIRED step, no other timer has one,
      //    and nothing that was due at the end is still waiting.
      const firings = new Map<string, number>();
      for (const row of eventRows) {
        const trace = JSON.parse(row.trace) as TraceStep;
        for (const t of trace.timers.fired) {
          const id = `${row.ticketId} ${t.key} ${t.generation}`;
          firings.set(id, (firings.get(id) ?? 0) + 1);
        }
      }
      const timers = db
        .prepare<
          [],
          { ticketId: string; key: string; generation: number; status: string; dueAt: string }
        >('SELECT "ticketId", "key", "generation", "status", "dueAt" FROM "Timer"')
        .all();
      for (const timer of timers) {
        const id = `${timer.ticketId} ${timer.key} ${timer.generation}`;
        expect(firings.get(id) ?? 0, id).toBe(timer.status === 'fired' ? 1 : 0);
      }
      expect([...firings.values()].every((n) => n === 1)).toBe(true);
      const dueAtEnd = await store.getDueTimers(drained ?? '', 10);
      expect(dueAtEnd).toEqual([]);
      const dueInDowntime = timers.filter((t) =>
        downtimes.some((d) => {
          const due = new Date(t.dueAt).toISOString();
          return due >= d.from && due < d.to;
        }),
      );
      expect(dueInDowntime.length).toBeGreaterThan(0);
      expect(dueInDowntime.filter((t) => t.status === 'scheduled')).toEqual([]);

      // 4. Every stored snapshot equals the replay of the ticket's event log.
      const ids = db.prepare<[], { id: string }>('SELECT "id" FROM "Ticket"').all();
      for (const { id } of ids) {
        const stored = await store.getTicketById(id);
        const replayed = await engine.replay(id);
        expect(replayed.snapshot, id).toEqual(stored?.snapshot);
        // The stored ticket's updatedAt is the last step's time; the machine's copy keeps the
        // time the flow last changed it. Everything else must match.
        expect({ ...replayed.ticket, updatedAt: null }, id).toEqual({
          ...stored?.ticket,
          updatedAt: null,
        });
      }
      console.log(
        `${KILLS} kills, ${acks.length} acknowledged steps, ${eventRows.length} events, ` +
          `${ids.length} tickets, ${deliveries.length} deliveries (${twice.length} repeated after a kill), ` +
          `${[...firings.keys()].length} timers fired, ${dueInDowntime.length} due while down`,
      );
    } finally {
      await close();
    }
  }, 90_000);
});
