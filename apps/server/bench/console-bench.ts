// npm run bench:console — the operations console on 100k tickets: the inbox's first page (default
// sort and the built-in views), the dashboard (default 7 days, all 30 days, one channel) and the
// daily/weekly/monthly reports, each through the real server's tRPC API.
//
// Tickets are written straight into SQLite (console-data.ts: rows as the store writes them) over
// the last 30 days, so the 30-day dashboard reads all of them. Each call runs once to warm up,
// then 5 times; the figure is the median CPU time of this process during the call (server and
// client share it; the client's part is parsing one JSON reply). CPU time, not wall time: the
// machine may be shared. The last line is JSON: {"tickets","inboxMs","dashboardMs","reportMs"},
// each the slowest of its group.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@switchyard/db';
import { createServer, loadConfig } from '../src/index';
import { getLocalDate } from '../src/analytics/time';
import { createTestClient } from '../test/support/trpc-client';
import { generateTickets } from './console-data';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const RUNS = 5;
const PASSWORD = 'bench-password-0123456789';
const TIME_ZONE = 'Asia/Shanghai';

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measure(
  name: string,
  call: () => Promise<unknown>,
): Promise<{ name: string; cpu: number; wall: number; cold: number }> {
  const coldStart = performance.now();
  await call();
  const cold = performance.now() - coldStart;
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = cpuMs();
    const w = performance.now();
    await call();
    wall.push(performance.now() - w);
    cpu.push(cpuMs() - c);
  }
  const result = { name, cpu: median(cpu), wall: median(wall), cold };
  console.log(
    `${name.padEnd(34)} cpu ${result.cpu.toFixed(1).padStart(7)} ms   wall ${result.wall.toFixed(1).padStart(7)} ms   first ${cold.toFixed(1).padStart(7)} ms`,
  );
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'switchyard-console-bench-'));
const server = await createServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SWITCHYARD_DATA_DIR: dir,
    SWITCHYARD_ADMIN_PASSWORD: PASSWORD,
    SWITCHYARD_TIME_ZONE: TIME_ZONE,
    SMTP_PORT: 'off',
  }),
  { log: () => undefined, tickMs: 3_600_000, seedSamples: false },
);
try {
  const now = Date.now();
  const db = openSqlite(join(dir, 'switchyard.db'));
  const versionId = server.seed.published.find((p) => p.flowId === 'saas-login')?.versionId;
  if (versionId === undefined) throw new Error('saas-login was not published');
  const agents = db
    .prepare<[], { id: string; teamId: string }>('SELECT "id", "teamId" FROM "Agent"')
    .all();
  const started = performance.now();
  generateTickets(db, { count: TICKETS, days: 30, now, flowVersionId: versionId, agents });
  db.close();
  console.log(
    `generated ${TICKETS} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const session = createTestClient(server.url);
  await session.login('admin@localhost', PASSWORD);
  const { client } = session;
  const agent = agents[0]?.id ?? '';
  const today = getLocalDate(now, TIME_ZONE);
  const daysAgo = (days: number) => getLocalDate(now - days * 86_400_000, TIME_ZONE);

  const inbox = [
    await measure('inbox: first page (newest)', () => client.tickets.list.query({ limit: 25 })),
    await measure('inbox: My open', () =>
      client.tickets.list.query({ assignee: agent, open: true, sort: 'sla', limit: 25 }),
    ),
    await measure('inbox: Breaching in 1 h', () =>
      client.tickets.list.query({ sla: 'due-1h', sort: 'sla', limit: 25 }),
    ),
    await measure('inbox: Unassigned', () =>
      client.tickets.list.query({ assignee: null, open: true, sort: 'oldest', limit: 25 }),
    ),
    await measure('inbox: search "refund"', () =>
      client.tickets.list.query({ search: 'refund', limit: 25 }),
    ),
  ];
  const dashboard = [
    await measure('dashboard: last 7 days (default)', () =>
      client.dashboard.get.query({ from: daysAgo(6), to: today }),
    ),
    await measure('dashboard: last 30 days (all)', () =>
      client.dashboard.get.query({ from: daysAgo(30), to: today }),
    ),
    await measure('dashboard: 30 days, email only', () =>
      client.dashboard.get.query({ from: daysAgo(30), to: today, channel: 'email' }),
    ),
  ];
  const report = [
    await measure('report: daily (yesterday)', () =>
      client.reports.generate.mutate({ kind: 'daily', date: daysAgo(1) }),
    ),
    await measure('report: weekly', () =>
      client.reports.generate.mutate({ kind: 'weekly', date: daysAgo(7) }),
    ),
    await measure('report: monthly', () =>
      client.reports.generate.mutate({ kind: 'monthly', date: daysAgo(15) }),
    ),
  ];
  const slowest = (group: readonly { cpu: number }[]) =>
    Math.round(Math.max(...group.map((item) => item.cpu)));
  console.log(
    JSON.stringify({
      tickets: TICKETS,
      inboxMs: slowest(inbox),
      dashboardMs: slowest(dashboard),
      reportMs: slowest(report),
    }),
  );
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
