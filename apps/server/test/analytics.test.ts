// Dashboards and reports on a hand-built dataset whose answers are worked out below: tickets
// created and resolved on different days, read in two time zones, a reopened ticket, and one
// created before the range but resolved inside it.
import { randomUUID } from 'node:crypto';
import { openSqlite, toSqliteTimestamp } from '@switchyard/db';
import type { SqliteDatabase } from '@switchyard/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalytics } from '../src/analytics/dashboard';
import { createReports, toReportCsv } from '../src/analytics/reports';
import { getDurationStats } from '../src/analytics/stats';
import {
  addDays,
  getDayStart,
  getLastCompletePeriod,
  getLocalDate,
  getPeriod,
  getRange,
} from '../src/analytics/time';

const H = 3_600_000;
const M = 60_000;

interface Row {
  readonly number: string;
  readonly createdAt: string;
  readonly channel: string;
  readonly category: string | null;
  readonly status: string;
  readonly team?: string;
  readonly firstResponseMs?: number;
  readonly resolvedAt?: string;
  readonly withSla?: boolean;
  readonly breached?: boolean;
  readonly escalationLevel?: number;
  readonly reopenCount?: number;
  readonly csat?: { readonly score: number; readonly at: string };
}

function insertTicket(db: SqliteDatabase, row: Row): void {
  const created = Date.parse(row.createdAt);
  const ts = (ms: number) => toSqliteTimestamp(new Date(ms));
  db.prepare(
    `INSERT INTO "Ticket" ("id", "number", "flowVersionId", "status", "priority", "channel",
       "category", "team", "escalationLevel", "slaResolutionDueAt", "slaBreached", "csatScore",
       "data", "snapshot", "createdAt", "updatedAt", "firstResponseAt", "firstResponseMs",
       "resolvedAt", "resolutionMs", "reopenCount", "csatAt")
     VALUES (?, ?, 'v1', ?, 'medium', ?, ?, ?, ?, ?, ?, ?, '{}', '{}', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    randomUUID(),
    row.number,
    row.status,
    row.channel,
    row.category,
    row.team ?? 'support',
    row.escalationLevel ?? 0,
    row.withSla === false ? null : ts(created + 24 * H),
    row.breached === true ? 1 : 0,
    row.csat?.score ?? null,
    ts(created),
    ts(created),
    row.firstResponseMs === undefined ? null : ts(created + row.firstResponseMs),
    row.firstResponseMs ?? null,
    row.resolvedAt === undefined ? null : ts(Date.parse(row.resolvedAt)),
    row.resolvedAt === undefined ? null : Date.parse(row.resolvedAt) - created,
    row.reopenCount ?? 0,
    row.csat === undefined ? null : ts(Date.parse(row.csat.at)),
  );
}

// Shanghai is UTC+8 all year: its 1 May runs from 2024-04-30T16:00Z to 2024-05-01T16:00Z.
const DATASET: readonly Row[] = [
  {
    number: 'T1', // Shanghai 1 May 09:00; UTC 1 May
    createdAt: '2024-05-01T01:00:00Z',
    channel: 'web',
    category: 'fault',
    status: 'closed',
    firstResponseMs: 30 * M,
    resolvedAt: '2024-05-01T05:00:00Z', // 4 h
    csat: { score: 5, at: '2024-05-01T06:00:00Z' },
  },
  {
    number: 'T2', // Shanghai 1 May 23:30; UTC 1 May
    createdAt: '2024-05-01T15:30:00Z',
    channel: 'email',
    category: 'billing',
    status: 'closed',
    firstResponseMs: 60 * M,
    resolvedAt: '2024-05-02T03:30:00Z', // 12 h, Shanghai 2 May
    breached: true,
    escalationLevel: 2,
    csat: { score: 2, at: '2024-05-02T04:00:00Z' },
  },
  {
    number: 'T3', // Shanghai 2 May 00:30; UTC 1 May 16:30. Reopened after a bad survey.
    createdAt: '2024-05-01T16:30:00Z',
    channel: 'web',
    category: 'fault',
    status: 'open',
    team: 'tech',
    firstResponseMs: 10 * M,
    escalationLevel: 1,
    reopenCount: 1,
    csat: { score: 1, at: '2024-05-01T20:00:00Z' }, // Shanghai 2 May 04:00
  },
  {
    number: 'T4', // Shanghai 1 May 07:00; UTC 30 April. Untouched.
    createdAt: '2024-04-30T23:00:00Z',
    channel: 'chat',
    category: null,
    status: 'new',
    team: 'tech',
  },
  {
    number: 'T5', // Shanghai 2 May 10:00. No SLA.
    createdAt: '2024-05-02T02:00:00Z',
    channel: 'api',
    category: 'billing',
    status: 'closed',
    firstResponseMs: 2 * H,
    resolvedAt: '2024-05-03T02:00:00Z', // 24 h, Shanghai 3 May
    withSla: false,
    csat: { score: 4, at: '2024-05-03T03:00:00Z' },
  },
  {
    number: 'T6', // Shanghai 29 April 18:00, resolved 1 May 18:00 (48 h)
    createdAt: '2024-04-29T10:00:00Z',
    channel: 'email',
    category: 'account',
    status: 'resolved',
    firstResponseMs: 5 * H,
    resolvedAt: '2024-05-01T10:00:00Z',
  },
];

let db: SqliteDatabase;
let analytics: ReturnType<typeof createAnalytics>;

beforeAll(() => {
  db = openSqlite(':memory:');
  db.prepare(
    `INSERT INTO "Flow" ("id", "name", "draft", "createdAt", "updatedAt") VALUES ('f', 'F', '{}', ?, ?)`,
  ).run(toSqliteTimestamp(new Date(0)), toSqliteTimestamp(new Date(0)));
  db.prepare(
    `INSERT INTO "FlowVersion" ("id", "flowId", "number", "contentHash", "document", "machine", "sourceMap", "publishedAt")
     VALUES ('v1', 'f', 1, 'h', '{}', '{}', '{}', ?)`,
  ).run(toSqliteTimestamp(new Date(0)));
  db.prepare(
    `INSERT INTO "Team" ("id", "name") VALUES ('tech', 'Tech'), ('support', 'Support')`,
  ).run();
  db.prepare(
    `INSERT INTO "Agent" ("id", "name", "email", "teamId", "capacity") VALUES
       ('li', 'Li Lei', 'li@example.com', 'tech', 8), ('chen', 'Chen Hao', 'chen@example.com', 'support', 4)`,
  ).run();
  for (const row of DATASET) insertTicket(db, row);
  db.prepare(`UPDATE "Ticket" SET "assigneeId" = 'li' WHERE "number" IN ('T3', 'T4')`).run();
  analytics = createAnalytics(db);
});

afterAll(() => {
  db.close();
});

describe('dashboard', () => {
  it('1 May in Shanghai: the tickets created on that local day, resolutions and answers in it', () => {
    const d = analytics.getDashboard(
      { from: '2024-05-01', to: '2024-05-01', timeZone: 'Asia/Shanghai' },
      Date.parse('2024-05-05T00:00:00Z'),
    );
    expect(d.start).toBe('2024-04-30T16:00:00.000Z');
    expect(d.end).toBe('2024-05-01T16:00:00.000Z');
    // T1, T2, T4 (T3 is 2 May in Shanghai; T4 is 30 April in UTC but 1 May here).
    expect(d.created).toBe(3);
    expect(d.byChannel).toEqual([
      { key: 'chat', count: 1 },
      { key: 'email', count: 1 },
      { key: 'web', count: 1 },
    ]);
    expect(d.byCategory).toEqual([
      { key: '', count: 1 },
      { key: 'billing', count: 1 },
      { key: 'fault', count: 1 },
    ]);
    // T1 30 min, T2 60 min; p90 of two values is the larger (nearest rank).
    expect(d.firstResponse).toEqual({ count: 2, averageMs: 45 * M, p90Ms: 60 * M });
    // Resolved in the range: T1 (4 h) and T6 (48 h, created before the range).
    expect(d.resolution).toEqual({ count: 2, averageMs: 26 * H, p90Ms: 48 * H });
    expect(d.resolved).toBe(2);
    // T1 met, T2 breached, T4 still open.
    expect(d.sla).toEqual({ met: 1, breached: 1, pending: 1, attainment: 0.5 });
    expect(d.escalations).toEqual([
      { level: 1, tickets: 1 },
      { level: 2, tickets: 1 },
    ]);
    expect(d.reopened).toBe(0);
    // Only T1's answer falls on 1 May in Shanghai.
    expect(d.csat).toEqual({ count: 1, average: 5, distribution: [0, 0, 0, 0, 1] });
    expect(d.byHour[9]).toBe(1); // T1
    expect(d.byHour[23]).toBe(1); // T2
    expect(d.byHour[7]).toBe(1); // T4
    expect(d.byHour.reduce((a, b) => a + b, 0)).toBe(3);
    expect(d.byDay).toEqual([{ date: '2024-05-01', count: 3 }]);
  });

  it('the same day in UTC counts other tickets: T3 (reopened) in, T4 out', () => {
    const d = analytics.getDashboard(
      { from: '2024-05-01', to: '2024-05-01', timeZone: 'UTC' },
      Date.parse('2024-05-05T00:00:00Z'),
    );
    expect(d.created).toBe(3); // T1, T2, T3
    expect(d.reopened).toBe(1);
    expect(d.firstResponse).toEqual({
      count: 3,
      averageMs: (30 * M + 60 * M + 10 * M) / 3,
      p90Ms: 60 * M,
    });
    expect(d.sla).toEqual({ met: 1, breached: 1, pending: 1, attainment: 0.5 });
    expect(d.escalations).toEqual([
      { level: 1, tickets: 2 },
      { level: 2, tickets: 1 },
    ]);
    // T1's 5 and T3's 1 (20:00 UTC).
    expect(d.csat).toEqual({ count: 2, average: 3, distribution: [1, 0, 0, 0, 1] });
    expect(d.byHour[16]).toBe(1); // T3 at 16:30
  });

  it('filters by channel and category; backlog and agent load are now, not the range', () => {
    const web = analytics.getDashboard(
      { from: '2024-04-29', to: '2024-05-03', timeZone: 'Asia/Shanghai', channel: 'web' },
      Date.parse('2024-05-05T00:00:00Z'),
    );
    expect(web.created).toBe(2); // T1, T3
    expect(web.byChannel).toEqual([{ key: 'web', count: 2 }]);
    expect(web.backlogByTeam).toEqual([{ team: 'tech', open: 1, breached: 0 }]); // T3
    const billing = analytics.getDashboard(
      { from: '2024-04-29', to: '2024-05-03', timeZone: 'Asia/Shanghai', category: 'billing' },
      Date.parse('2024-05-05T00:00:00Z'),
    );
    expect(billing.created).toBe(2); // T2, T5
    // T2 12 h, T5 24 h.
    expect(billing.resolution).toEqual({ count: 2, averageMs: 18 * H, p90Ms: 24 * H });
    // T5 has no SLA: it is neither met nor breached.
    expect(billing.sla).toEqual({ met: 0, breached: 1, pending: 0, attainment: 0 });
    const all = analytics.getDashboard(
      { from: '2024-04-29', to: '2024-05-03', timeZone: 'Asia/Shanghai' },
      Date.parse('2024-05-05T00:00:00Z'),
    );
    expect(all.backlogByTeam).toEqual([{ team: 'tech', open: 2, breached: 0 }]); // T3, T4
    expect(all.agentLoad).toEqual([
      { id: 'chen', name: 'Chen Hao', team: 'support', open: 0, capacity: 4, active: true },
      { id: 'li', name: 'Li Lei', team: 'tech', open: 2, capacity: 8, active: true },
    ]);
    expect(all.byDay.map((day) => day.count)).toEqual([1, 0, 3, 2, 0]);
    expect(analytics.getCategories()).toEqual(['account', 'billing', 'fault']);
  });

  it('an empty range has zero counts and null averages', () => {
    const d = analytics.getDashboard(
      { from: '2023-01-01', to: '2023-01-07', timeZone: 'Asia/Shanghai' },
      Date.parse('2024-05-05T00:00:00Z'),
    );
    expect(d.created).toBe(0);
    expect(d.firstResponse).toEqual({ count: 0, averageMs: null, p90Ms: null });
    expect(d.sla.attainment).toBeNull();
    expect(d.csat.average).toBeNull();
    expect(d.escalations).toEqual([]);
    expect(d.byDay).toHaveLength(7);
  });
});

describe('reports', () => {
  let now = Date.parse('2024-05-06T00:00:00Z');
  const reports = () => createReports(db, analytics, { timeZone: 'Asia/Shanghai', now: () => now });

  it('the weekly report: ISO week of 1 May, shares of categories, one row per Shanghai day', () => {
    const report = reports().generate('weekly', '2024-05-01', { trigger: 'manual', user: 'a@b' });
    expect(report).toMatchObject({
      kind: 'weekly',
      periodStart: '2024-04-29',
      periodEnd: '2024-05-05',
      trigger: 'manual',
      generatedBy: 'a@b',
      partial: false,
    });
    expect(report.summary.created).toBe(6);
    expect(report.categories).toEqual([
      { category: 'billing', count: 2, share: 0.3333 },
      { category: 'fault', count: 2, share: 0.3333 },
      { category: '', count: 1, share: 0.1667 },
      { category: 'account', count: 1, share: 0.1667 },
    ]);
    // Resolutions: T1 4 h, T2 12 h, T5 24 h, T6 48 h.
    expect(report.summary.resolution).toEqual({ count: 4, averageMs: 22 * H, p90Ms: 48 * H });
    expect(report.summary.csat).toEqual({ count: 4, average: 3, distribution: [1, 1, 0, 1, 1] });
    expect(report.days).toEqual([
      {
        date: '2024-04-29',
        created: 1,
        resolved: 0,
        averageResolutionMs: null,
        csatCount: 0,
        csatAverage: null,
      },
      {
        date: '2024-04-30',
        created: 0,
        resolved: 0,
        averageResolutionMs: null,
        csatCount: 0,
        csatAverage: null,
      },
      {
        date: '2024-05-01',
        created: 3,
        resolved: 2,
        averageResolutionMs: 26 * H,
        csatCount: 1,
        csatAverage: 5,
      },
      {
        date: '2024-05-02',
        created: 2,
        resolved: 1,
        averageResolutionMs: 12 * H,
        csatCount: 2,
        csatAverage: 1.5,
      },
      {
        date: '2024-05-03',
        created: 0,
        resolved: 1,
        averageResolutionMs: 24 * H,
        csatCount: 1,
        csatAverage: 4,
      },
      {
        date: '2024-05-04',
        created: 0,
        resolved: 0,
        averageResolutionMs: null,
        csatCount: 0,
        csatAverage: null,
      },
      {
        date: '2024-05-05',
        created: 0,
        resolved: 0,
        averageResolutionMs: null,
        csatCount: 0,
        csatAverage: null,
      },
    ]);
  });

  it('regenerating replaces the stored report; lists and reads it back; partial while the period runs', () => {
    now = Date.parse('2024-05-01T12:00:00Z'); // Shanghai 1 May 20:00
    const service = reports();
    const first = service.generate('daily', '2024-05-01', { trigger: 'manual', user: null });
    expect(first.partial).toBe(true);
    now = Date.parse('2024-05-06T00:00:00Z');
    const again = service.generate('daily', '2024-05-01', { trigger: 'manual', user: null });
    expect(again.partial).toBe(false);
    expect(service.get(again.id)).toEqual(again);
    const daily = service.list({ kind: 'daily', limit: 10 });
    expect(daily.filter((item) => item.periodStart === '2024-05-01')).toHaveLength(1);
    expect(daily[0]).toMatchObject({ created: 3, resolved: 2, csatAverage: 5, partial: false });
    expect(() => service.get('nope')).toThrow(/does not exist/);
  });

  it('the scheduler stores the last complete day, week and month once', () => {
    now = Date.parse('2024-06-03T01:00:00Z'); // Shanghai Monday 3 June 09:00
    const service = reports();
    const generated = service.runSchedule();
    expect(generated.map((r) => [r.kind, r.periodStart, r.periodEnd, r.trigger])).toEqual([
      ['daily', '2024-06-02', '2024-06-02', 'schedule'],
      ['weekly', '2024-05-27', '2024-06-02', 'schedule'],
      ['monthly', '2024-05-01', '2024-05-31', 'schedule'],
    ]);
    expect(service.runSchedule()).toEqual([]);
    // Another server process finds them stored.
    expect(reports().runSchedule()).toEqual([]);
    const may = generated[2];
    expect(may?.summary.created).toBe(5); // T1–T5 (T6 is 29 April)
    expect(may?.days).toHaveLength(31);
  });

  it('CSV: summary, categories and days as RFC 4180 sections', () => {
    const report = reports().generate('weekly', '2024-05-01', { trigger: 'manual', user: null });
    const csv = toReportCsv({
      ...report,
      categories: [...report.categories, { category: 'a "quoted", name', count: 0, share: 0 }],
    });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('report,kind,period_start,period_end,time_zone,generated_at,partial');
    expect(lines[1]).toBe(
      `switchyard,weekly,2024-04-29,2024-05-05,Asia/Shanghai,${report.generatedAt},false`,
    );
    expect(lines).toContain('tickets_created,6');
    expect(lines).toContain('resolution_avg_minutes,1320');
    expect(lines).toContain('csat_score_4,1');
    expect(lines).toContain('(none),1,0.1667');
    expect(lines).toContain('"a ""quoted"", name",0,0');
    expect(lines).toContain('2024-05-01,3,2,1560,1,5');
    expect(lines).toContain('2024-04-30,0,0,,0,');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('time zones', () => {
  it('local midnight in zones with and without DST', () => {
    expect(new Date(getDayStart('2024-05-01', 'Asia/Shanghai')).toISOString()).toBe(
      '2024-04-30T16:00:00.000Z',
    );
    expect(new Date(getDayStart('2024-05-01', 'Asia/Kathmandu')).toISOString()).toBe(
      '2024-04-30T18:15:00.000Z',
    );
    // New York springs forward at 02:00 on 10 March 2024: a 23-hour day.
    const spring = getRange('2024-03-10', '2024-03-10', 'America/New_York');
    expect(new Date(spring.start).toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(spring.end - spring.start).toBe(23 * H);
    const fall = getRange('2024-11-03', '2024-11-03', 'America/New_York');
    expect(fall.end - fall.start).toBe(25 * H);
    // Havana skips midnight on 10 March 2024: the day starts at 01:00 (UTC-4).
    expect(new Date(getDayStart('2024-03-10', 'America/Havana')).toISOString()).toBe(
      '2024-03-10T05:00:00.000Z',
    );
  });

  it('periods: ISO weeks start on Monday; months end on their last day', () => {
    expect(getPeriod('weekly', '2024-05-05')).toEqual({ start: '2024-04-29', end: '2024-05-05' });
    expect(getPeriod('weekly', '2024-04-29')).toEqual({ start: '2024-04-29', end: '2024-05-05' });
    expect(getPeriod('monthly', '2024-02-10')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(getPeriod('daily', '2024-02-10')).toEqual({ start: '2024-02-10', end: '2024-02-10' });
    expect(
      getLastCompletePeriod('monthly', Date.parse('2024-03-01T00:30:00Z'), 'Asia/Shanghai'),
    ).toEqual({
      start: '2024-02-01',
      end: '2024-02-29',
    });
    expect(() => getPeriod('daily', '2024-02-30')).toThrow(/calendar date/);
  });

  it('every instant falls in the local day whose range contains it', () => {
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const date = getLocalDate(ms, zone);
          const range = getRange(date, date, zone);
          expect(ms).toBeGreaterThanOrEqual(range.start);
          expect(ms).toBeLessThan(range.end);
          expect(getLocalDate(range.start, zone)).toBe(date);
          expect(getLocalDate(range.end, zone)).toBe(addDays(date, 1));
        },
      ),
    );
  });
});

describe('duration statistics', () => {
  it('mean and nearest-rank p90', () => {
    expect(getDurationStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({
      count: 10,
      averageMs: 6,
      p90Ms: 9,
    });
    expect(getDurationStats([7])).toEqual({ count: 1, averageMs: 7, p90Ms: 7 });
    expect(getDurationStats([])).toEqual({ count: 0, averageMs: null, p90Ms: null });
  });

  it('p90 is a value that at least 90 % do not exceed and fewer than 90 % are below', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const { p90Ms, averageMs, count } = getDurationStats(values);
          expect(count).toBe(values.length);
          expect(values).toContain(p90Ms);
          const p = p90Ms ?? Number.NaN;
          expect(values.filter((v) => v <= p).length).toBeGreaterThanOrEqual(0.9 * values.length);
          expect(values.filter((v) => v < p).length).toBeLessThan(0.9 * values.length);
          expect(averageMs).toBe(Math.round(values.reduce((a, b) => a + b, 0) / values.length));
        },
      ),
    );
  });
});
