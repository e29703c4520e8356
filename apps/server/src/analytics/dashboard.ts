import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import { CHANNELS } from '@switchyard/flow';
import type { CsatStats, DurationStats } from './stats';
import { getCsatStats, getDurationStats, getRatio } from './stats';
import { addDays, getLocalParts, getRange } from './time';
import type { LocalDate, Range } from './time';

/** Narrows every figure to tickets of one channel and/or category. */
export interface TicketFilters {
  readonly channel?: string | undefined;
  readonly category?: string | undefined;
}

/** Statuses in which a ticket waits for the team (the backlog). */
const OPEN_STATUSES = `('new', 'open', 'pending', 'escalated')`;

/**
 * Figures over a range, with the cohort each one counts:
 * - `created`, volumes, first response, SLA, escalations, reopened: tickets created in the range;
 * - `resolution`: tickets resolved in the range (and not reopened since), creation → resolution;
 * - `csat`: the last answer of each ticket answered in the range.
 */
export interface Summary {
  readonly created: number;
  readonly resolved: number;
  /** Created in the range and reopened at least once. */
  readonly reopened: number;
  readonly byChannel: readonly { readonly key: string; readonly count: number }[];
  /** `key` is the category id; tickets without one count under `''`. */
  readonly byCategory: readonly { readonly key: string; readonly count: number }[];
  /** Creation → first agent reply. */
  readonly firstResponse: DurationStats;
  readonly resolution: DurationStats;
  /**
   * Tickets with an SLA: `met` resolved without a breach, `breached` missed a target, `pending`
   * neither yet. `attainment` = met / (met + breached).
   */
  readonly sla: {
    readonly met: number;
    readonly breached: number;
    readonly pending: number;
    readonly attainment: number | null;
  };
  /** Tickets that reached each escalation level (a level-2 ticket counts at 1 and 2). */
  readonly escalations: readonly { readonly level: number; readonly tickets: number }[];
  readonly csat: CsatStats;
}

export interface Dashboard extends Summary {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly timeZone: string;
  /** UTC instants of the range, `[start, end)`. */
  readonly start: string;
  readonly end: string;
  readonly generatedAt: string;
  /** Tickets created per local hour of the day (index 0 = 00:00–00:59). */
  readonly byHour: readonly number[];
  /** Tickets created per local day of the range. */
  readonly byDay: readonly { readonly date: LocalDate; readonly count: number }[];
  /** Now, not in the range: tickets waiting per team. */
  readonly backlogByTeam: readonly {
    readonly team: string;
    readonly open: number;
    readonly breached: number;
  }[];
  /** Now: each agent's open tickets against their capacity. */
  readonly agentLoad: readonly {
    readonly id: string;
    readonly name: string;
    readonly team: string;
    readonly open: number;
    readonly capacity: number;
    readonly active: boolean;
  }[];
}

type Param = string | number;

function filterSql(filters: TicketFilters): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  if (filters.channel !== undefined) {
    parts.push('"channel" = ?');
    params.push(filters.channel);
  }
  if (filters.category !== undefined) {
    parts.push('"category" = ?');
    params.push(filters.category);
  }
  return { sql: parts.map((part) => ` AND ${part}`).join(''), params };
}

/** Levels counted in the single pass; deeper chains take one more query. */
const ESCALATION_LEVELS = [1, 2, 3, 4, 5, 6];

/** The covering index every range query reads (packages/db 0006): never the wide rows. */
const TICKETS = '"Ticket" INDEXED BY "Ticket_analytics_idx"';

/**
 * The console's analytics on the Ticket table's analytics columns (the store keeps
 * firstResponseMs, resolvedAt, resolutionMs, reopenCount and csatAt on every commit; packages/db
 * 0006), all read from one covering index. Aggregates run in SQL; only durations come back row by
 * row (plucked numbers, for the exact p90).
 */
export function createAnalytics(db: SqliteDatabase) {
  function all<T>(sql: string, params: readonly Param[]): T[] {
    return db.prepare<Param[], T>(sql).all(...params);
  }
  function numbers(sql: string, params: readonly Param[]): number[] {
    return db
      .prepare<Param[], number>(sql)
      .pluck()
      .all(...params);
  }

  function getSummary(range: Range, filters: TicketFilters = {}): Summary {
    const start = toSqliteTimestamp(new Date(range.start));
    const end = toSqliteTimestamp(new Date(range.end));
    const f = filterSql(filters);
    const params = [start, end, ...f.params];
    const cohort = `FROM ${TICKETS} WHERE "createdAt" >= ? AND "createdAt" < ?${f.sql}`;

    // One pass without sorting for the totals (channels are a fixed set), one GROUP BY for the
    // open-ended categories: a GROUP BY carrying every sum costs three times as much.
    const levelSums = ESCALATION_LEVELS.map((level) => `sum("escalationLevel" >= ${level})`);
    const totals =
      db
        .prepare<Param[], (number | null)[]>(
          `SELECT count(*), sum("reopenCount" > 0),
                sum("slaResolutionDueAt" IS NOT NULL AND "slaBreached" = 0 AND "resolvedAt" IS NOT NULL),
                sum("slaResolutionDueAt" IS NOT NULL AND "slaBreached" = 1),
                sum("slaResolutionDueAt" IS NOT NULL), max("escalationLevel"),
                ${[...CHANNELS.map((channel) => `sum("channel" = '${channel}')`), ...levelSums].join(', ')}
         ${cohort}`,
        )
        .raw()
        .get(...params)
        ?.map((value) => value ?? 0) ?? [];
    const [total = 0, reopened = 0, met = 0, breached = 0, withSla = 0, maxLevel = 0] = totals;
    const channelCounts = totals.slice(6, 6 + CHANNELS.length);
    const byChannel = new Map<string, number>();
    CHANNELS.forEach((channel, index) => {
      const count = channelCounts[index] ?? 0;
      if (count > 0) byChannel.set(channel, count);
    });
    let escalations: { level: number; tickets: number }[] = ESCALATION_LEVELS.map(
      (level, index) => ({
        level,
        tickets: totals[6 + CHANNELS.length + index] ?? 0,
      }),
    ).filter((row) => row.level <= maxLevel);
    if (maxLevel > ESCALATION_LEVELS.length) {
      const levels = all<{ level: number; n: number }>(
        `SELECT "escalationLevel" AS "level", count(*) AS "n" ${cohort} AND "escalationLevel" > 0
         GROUP BY 1`,
        params,
      );
      escalations = Array.from({ length: maxLevel }, (_, index) => ({
        level: index + 1,
        tickets: levels.filter((row) => row.level > index).reduce((sum, row) => sum + row.n, 0),
      }));
    }
    const byCategory = new Map(
      all<{ category: string; n: number }>(
        `SELECT coalesce("category", '') AS "category", count(*) AS "n" ${cohort} GROUP BY 1`,
        params,
      ).map((row) => [row.category, row.n]),
    );

    const firstResponse = getDurationStats(
      numbers(`SELECT "firstResponseMs" ${cohort} AND "firstResponseMs" IS NOT NULL`, params),
    );
    const resolution = getDurationStats(
      numbers(
        `SELECT "resolutionMs" FROM ${TICKETS}
         WHERE "resolvedAt" >= ? AND "resolvedAt" < ? AND "resolutionMs" IS NOT NULL${f.sql}`,
        params,
      ),
    );
    const scores = all<{ score: number; n: number }>(
      `SELECT "csatScore" AS "score", count(*) AS "n" FROM ${TICKETS}
       WHERE "csatAt" >= ? AND "csatAt" < ? AND "csatScore" IS NOT NULL${f.sql} GROUP BY 1`,
      params,
    );

    const sortDesc = (map: Map<string, number>) =>
      [...map]
        .map(([key, count]) => ({ key, count }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    return {
      created: total,
      resolved: resolution.count,
      reopened,
      byChannel: sortDesc(byChannel),
      byCategory: sortDesc(byCategory),
      firstResponse,
      resolution,
      sla: {
        met,
        breached,
        pending: withSla - met - breached,
        attainment: getRatio(met, met + breached),
      },
      escalations,
      csat: getCsatStats(Object.fromEntries(scores.map((row) => [row.score, row.n]))),
    };
  }

  /**
   * Counts (and a sum) per local day and hour of `column` in the range: grouped per UTC
   * quarter-hour in SQL (every zone's offset is a multiple of 15 minutes), then placed on the
   * local clock.
   */
  function getLocalBuckets(
    column: '"createdAt"' | '"resolvedAt"' | '"csatAt"',
    sumOf: '"resolutionMs"' | '"csatScore"' | null,
    range: Range,
    timeZone: string,
    filters: TicketFilters,
  ): { byHour: number[]; byDay: Map<LocalDate, { count: number; sum: number }> } {
    const f = filterSql(filters);
    const table = column === '"createdAt"' && f.sql === '' ? '"Ticket"' : TICKETS;
    const rows = db
      .prepare<Param[], [string, number, number, number]>(
        `SELECT substr(${column}, 1, 13), CAST(substr(${column}, 15, 2) AS INTEGER) / 15,
                count(*), ${sumOf === null ? '0' : `total(${sumOf})`}
         FROM ${table} WHERE ${column} >= ? AND ${column} < ?${sumOf === null ? '' : ` AND ${sumOf} IS NOT NULL`}${f.sql}
         GROUP BY 1, 2`,
      )
      .raw()
      .all(
        toSqliteTimestamp(new Date(range.start)),
        toSqliteTimestamp(new Date(range.end)),
        ...f.params,
      );
    const byHour = Array.from({ length: 24 }, () => 0);
    const byDay = new Map<LocalDate, { count: number; sum: number }>();
    for (const [hour, quarter, count, sum] of rows) {
      const local = getLocalParts(Date.parse(`${hour}:00:00Z`) + quarter * 900_000, timeZone);
      byHour[local.hour] = (byHour[local.hour] ?? 0) + count;
      const date = `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
      const day = byDay.get(date) ?? { count: 0, sum: 0 };
      byDay.set(date, { count: day.count + count, sum: day.sum + sum });
    }
    return { byHour, byDay };
  }

  function getBacklog(filters: TicketFilters): Dashboard['backlogByTeam'] {
    const f = filterSql(filters);
    return all<{ team: string; open: number; breached: number }>(
      `SELECT coalesce("team", '') AS "team", count(*) AS "open", sum("slaBreached") AS "breached"
       FROM ${TICKETS} WHERE "status" IN ${OPEN_STATUSES}${f.sql}
       GROUP BY 1 ORDER BY 2 DESC, 1`,
      f.params,
    );
  }

  function getAgentLoad(): Dashboard['agentLoad'] {
    const open = new Map(
      all<{ id: string; n: number }>(
        // `+status`: read the (assigneeId, status) index alone, not the status index + rows.
        `SELECT "assigneeId" AS "id", count(*) AS "n" FROM "Ticket"
         WHERE "assigneeId" IS NOT NULL AND +"status" IN ${OPEN_STATUSES} GROUP BY 1`,
        [],
      ).map((row) => [row.id, row.n]),
    );
    return all<{ id: string; name: string; team: string; capacity: number; active: number }>(
      `SELECT "id", "name", "teamId" AS "team", "capacity", "active" FROM "Agent" ORDER BY "teamId", "name"`,
      [],
    ).map((agent) => ({
      id: agent.id,
      name: agent.name,
      team: agent.team,
      open: open.get(agent.id) ?? 0,
      capacity: agent.capacity,
      active: agent.active === 1,
    }));
  }

  return {
    getSummary,
    getLocalBuckets,

    /** Categories tickets carry (for filters), alphabetically. */
    getCategories(): string[] {
      return db
        .prepare<[], string>(
          `SELECT DISTINCT "category" FROM ${TICKETS} WHERE "category" IS NOT NULL ORDER BY 1`,
        )
        .pluck()
        .all();
    },

    /**
     * The dashboard for the local days `from` … `to` (inclusive) in `timeZone`.
     *
     * @example
     * analytics.getDashboard({ from: '2024-05-01', to: '2024-05-07', timeZone: 'Asia/Shanghai' }, Date.now());
     */
    getDashboard(
      query: { from: LocalDate; to: LocalDate; timeZone: string } & TicketFilters,
      now: number,
    ): Dashboard {
      const range = getRange(query.from, query.to, query.timeZone);
      const filters: TicketFilters = { channel: query.channel, category: query.category };
      const times = getLocalBuckets('"createdAt"', null, range, query.timeZone, filters);
      const byDay: { date: LocalDate; count: number }[] = [];
      for (let date = query.from; date <= query.to; date = addDays(date, 1)) {
        byDay.push({ date, count: times.byDay.get(date)?.count ?? 0 });
      }
      return {
        from: query.from,
        to: query.to,
        timeZone: query.timeZone,
        start: new Date(range.start).toISOString(),
        end: new Date(range.end).toISOString(),
        generatedAt: new Date(now).toISOString(),
        ...getSummary(range, filters),
        byHour: times.byHour,
        byDay,
        backlogByTeam: getBacklog(filters),
        agentLoad: getAgentLoad(),
      };
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
