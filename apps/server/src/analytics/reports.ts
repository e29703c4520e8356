import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { Analytics, Summary } from './dashboard';
import { getRatio } from './stats';
import { addDays, getLastCompletePeriod, getPeriod, getRange, REPORT_KINDS } from './time';
import type { LocalDate, ReportKind } from './time';

/** One local day of a report. */
export interface ReportDay {
  readonly date: LocalDate;
  readonly created: number;
  /** Resolved that day (and not reopened since). */
  readonly resolved: number;
  readonly averageResolutionMs: number | null;
  /** Survey answers given that day. */
  readonly csatCount: number;
  readonly csatAverage: number | null;
}

/** A generated report: the period's summary, category shares and one row per day. */
export interface Report {
  readonly id: string;
  readonly kind: ReportKind;
  readonly periodStart: LocalDate;
  readonly periodEnd: LocalDate;
  readonly timeZone: string;
  readonly trigger: 'schedule' | 'manual';
  readonly generatedAt: string;
  readonly generatedBy: string | null;
  /** Generated before the period ended: the figures cover it up to `generatedAt`. */
  readonly partial: boolean;
  readonly summary: Summary;
  readonly categories: readonly {
    readonly category: string;
    readonly count: number;
    /** Fraction of the period's tickets, 4 decimals. */
    readonly share: number;
  }[];
  readonly days: readonly ReportDay[];
}

/** What lists show of a stored report. */
export interface ReportListItem {
  readonly id: string;
  readonly kind: ReportKind;
  readonly periodStart: LocalDate;
  readonly periodEnd: LocalDate;
  readonly timeZone: string;
  readonly trigger: 'schedule' | 'manual';
  readonly generatedAt: string;
  readonly generatedBy: string | null;
  readonly partial: boolean;
  readonly created: number;
  readonly resolved: number;
  readonly csatAverage: number | null;
}

interface ReportRow {
  id: string;
  kind: string;
  periodStart: string;
  timeZone: string;
  data: string;
  trigger: string;
  generatedAt: string;
  generatedBy: string | null;
}

const storedSchema = z.object({
  kind: z.enum(REPORT_KINDS),
  trigger: z.enum(['schedule', 'manual']),
});

function toReport(row: ReportRow): Report {
  const meta = storedSchema.parse(row);
  const data = JSON.parse(row.data) as Omit<Report, 'id' | 'trigger' | 'generatedBy'>;
  return { ...data, id: row.id, trigger: meta.trigger, generatedBy: row.generatedBy };
}

/**
 * Daily, weekly (ISO, Monday–Sunday) and monthly reports in one time zone: generated on demand
 * and by the scheduler after each period ends, stored in the Report table (one per kind, period
 * and zone; generating again replaces it).
 */
export function createReports(
  db: SqliteDatabase,
  analytics: Analytics,
  options: { readonly timeZone: string; readonly now: () => number },
) {
  const sql = {
    upsert: db.prepare(
      `INSERT INTO "Report" ("id", "kind", "periodStart", "timeZone", "data", "trigger", "generatedAt", "generatedBy")
       VALUES (@id, @kind, @periodStart, @timeZone, @data, @trigger, @generatedAt, @generatedBy)
       ON CONFLICT ("kind", "periodStart", "timeZone") DO UPDATE SET "data" = excluded."data",
         "trigger" = excluded."trigger", "generatedAt" = excluded."generatedAt",
         "generatedBy" = excluded."generatedBy"`,
    ),
    byPeriod: db.prepare<[string, string, string], ReportRow>(
      `SELECT * FROM "Report" WHERE "kind" = ? AND "periodStart" = ? AND "timeZone" = ?`,
    ),
    byId: db.prepare<[string], ReportRow>('SELECT * FROM "Report" WHERE "id" = ?'),
    exists: db.prepare<[string, string, string], { id: string }>(
      `SELECT "id" FROM "Report" WHERE "kind" = ? AND "periodStart" = ? AND "timeZone" = ?`,
    ),
  };
  /** Periods the scheduler already found stored, per kind (spares a query every tick). */
  const scheduled = new Map<ReportKind, LocalDate>();

  function compute(
    kind: ReportKind,
    date: LocalDate,
    timeZone: string,
  ): Omit<Report, 'id' | 'trigger' | 'generatedBy'> {
    const period = getPeriod(kind, date);
    const range = getRange(period.start, period.end, timeZone);
    const now = options.now();
    const summary = analytics.getSummary(range);
    const created = analytics.getLocalBuckets('"createdAt"', null, range, timeZone, {});
    const resolved = analytics.getLocalBuckets(
      '"resolvedAt"',
      '"resolutionMs"',
      range,
      timeZone,
      {},
    );
    const csat = analytics.getLocalBuckets('"csatAt"', '"csatScore"', range, timeZone, {});
    const days: ReportDay[] = [];
    for (let day = period.start; day <= period.end; day = addDays(day, 1)) {
      const r = resolved.byDay.get(day);
      const c = csat.byDay.get(day);
      days.push({
        date: day,
        created: created.byDay.get(day)?.count ?? 0,
        resolved: r?.count ?? 0,
        averageResolutionMs: r === undefined || r.count === 0 ? null : Math.round(r.sum / r.count),
        csatCount: c?.count ?? 0,
        csatAverage:
          c === undefined || c.count === 0 ? null : Math.round((c.sum / c.count) * 100) / 100,
      });
    }
    return {
      kind,
      periodStart: period.start,
      periodEnd: period.end,
      timeZone,
      generatedAt: new Date(now).toISOString(),
      partial: now < range.end,
      summary,
      categories: summary.byCategory.map(({ key, count }) => ({
        category: key,
        count,
        share: getRatio(count, summary.created) ?? 0,
      })),
      days,
    };
  }

  function store(
    report: Omit<Report, 'id' | 'trigger' | 'generatedBy'>,
    trigger: Report['trigger'],
    generatedBy: string | null,
  ): Report {
    sql.upsert.run({
      id: randomUUID(),
      kind: report.kind,
      periodStart: report.periodStart,
      timeZone: report.timeZone,
      data: JSON.stringify(report),
      trigger,
      generatedAt: toSqliteTimestamp(new Date(report.generatedAt)),
      generatedBy,
    });
    const row = sql.byPeriod.get(report.kind, report.periodStart, report.timeZone);
    if (row === undefined)
      throw new Error(`report ${report.kind} ${report.periodStart} not stored`);
    return toReport(row);
  }

  return {
    timeZone: options.timeZone,

    /** Computes the report of `kind` for the period containing `date` and stores it. */
    generate(
      kind: ReportKind,
      date: LocalDate,
      by: { readonly trigger: Report['trigger']; readonly user: string | null },
      timeZone = options.timeZone,
    ): Report {
      return store(compute(kind, date, timeZone), by.trigger, by.user);
    },

    get(id: string): Report {
      const row = sql.byId.get(id);
      if (row === undefined) throw new NotFoundError(`Report ${id} does not exist`);
      return toReport(row);
    },

    /** Stored reports, newest period first. */
    list(query: { kind?: ReportKind | undefined; limit: number }): ReportListItem[] {
      const rows = db
        .prepare<(string | number)[], ReportRow>(
          `SELECT * FROM "Report" ${query.kind === undefined ? '' : 'WHERE "kind" = ?'}
           ORDER BY "periodStart" DESC, "kind", "timeZone" LIMIT ?`,
        )
        .all(...(query.kind === undefined ? [] : [query.kind]), query.limit);
      return rows.map((row) => {
        const report = toReport(row);
        return {
          id: report.id,
          kind: report.kind,
          periodStart: report.periodStart,
          periodEnd: report.periodEnd,
          timeZone: report.timeZone,
          trigger: report.trigger,
          generatedAt: report.generatedAt,
          generatedBy: report.generatedBy,
          partial: report.partial,
          created: report.summary.created,
          resolved: report.summary.resolved,
          csatAverage: report.summary.csat.average,
        };
      });
    },

    /**
     * The scheduler's pass: stores the last complete day, week and month if they are not
     * stored yet (so a server that was down catches up on the latest period of each kind).
     * Returns the reports it generated.
     */
    runSchedule(): Report[] {
      const generated: Report[] = [];
      for (const kind of REPORT_KINDS) {
        const period = getLastCompletePeriod(kind, options.now(), options.timeZone);
        if (scheduled.get(kind) === period.start) continue;
        if (sql.exists.get(kind, period.start, options.timeZone) === undefined) {
          generated.push(store(compute(kind, period.start, options.timeZone), 'schedule', null));
        }
        scheduled.set(kind, period.start);
      }
      return generated;
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function minutes(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 6_000) / 10;
}

/**
 * The report as CSV (RFC 4180, CRLF): a summary table, the category shares and one row per day,
 * separated by empty lines. Durations in minutes, one decimal.
 *
 * @example
 * toReportCsv(report).split('\r\n')[0]; // 'report,kind,period_start,period_end,time_zone,generated_at,partial'
 */
export function toReportCsv(report: Report): string {
  const s = report.summary;
  const rows: (string | number | null)[][] = [
    ['report', 'kind', 'period_start', 'period_end', 'time_zone', 'generated_at', 'partial'],
    [
      'switchyard',
      report.kind,
      report.periodStart,
      report.periodEnd,
      report.timeZone,
      report.generatedAt,
      String(report.partial),
    ],
    [],
    ['metric', 'value'],
    ['tickets_created', s.created],
    ['tickets_resolved', s.resolved],
    ['tickets_reopened', s.reopened],
    ['first_response_avg_minutes', minutes(s.firstResponse.averageMs)],
    ['first_response_p90_minutes', minutes(s.firstResponse.p90Ms)],
    ['resolution_avg_minutes', minutes(s.resolution.averageMs)],
    ['resolution_p90_minutes', minutes(s.resolution.p90Ms)],
    ['sla_met', s.sla.met],
    ['sla_breached', s.sla.breached],
    ['sla_attainment', s.sla.attainment],
    ['csat_answers', s.csat.count],
    ['csat_average', s.csat.average],
    ...s.csat.distribution.map((count, index) => [`csat_score_${index + 1}`, count]),
    [],
    ['category', 'tickets', 'share'],
    ...report.categories.map((row) => [
      row.category === '' ? '(none)' : row.category,
      row.count,
      row.share,
    ]),
    [],
    ['date', 'created', 'resolved', 'resolution_avg_minutes', 'csat_answers', 'csat_average'],
    ...report.days.map((day) => [
      day.date,
      day.created,
      day.resolved,
      minutes(day.averageResolutionMs),
      day.csatCount,
      day.csatAverage,
    ]),
  ];
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
