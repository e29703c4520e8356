import type { SqliteDatabase } from '@switchyard/db';
import type { Calendar } from '@switchyard/flow';
import { NotFoundError, PreconditionError } from '../errors';
import type { AuditLog } from './audit';

export interface TeamRow {
  readonly id: string;
  readonly name: string;
  readonly leadAgentId: string | null;
  readonly directorUserId: string | null;
  readonly queue: string | null;
  readonly agentCount: number;
}

export interface AgentRow {
  readonly id: string;
  readonly userId: string | null;
  readonly name: string;
  readonly email: string;
  readonly teamId: string;
  readonly skills: readonly string[];
  readonly capacity: number;
  readonly openTickets: number;
  readonly shiftCalendarId: string | null;
  readonly active: boolean;
  readonly role: 'agent' | 'lead' | 'director';
}

/** A business calendar in the Flow document's format (working intervals per weekday). */
export type CalendarRow = Calendar;

export type TeamInput = Omit<TeamRow, 'agentCount'>;
export type AgentInput = Omit<AgentRow, 'openTickets'>;

/** Teams, agents (skills, capacity, shift) and business calendars. Every write is audited. */
export function createSettings(db: SqliteDatabase, audit: AuditLog) {
  const sql = {
    teams: db.prepare<[], TeamRow>(
      `SELECT t."id", t."name", t."leadAgentId", t."directorUserId", t."queue",
              (SELECT count(*) FROM "Agent" a WHERE a."teamId" = t."id") AS "agentCount"
       FROM "Team" t ORDER BY t."name", t."id"`,
    ),
    team: db.prepare<[string], { id: string }>('SELECT "id" FROM "Team" WHERE "id" = ?'),
    upsertTeam: db.prepare(
      `INSERT INTO "Team" ("id", "name", "leadAgentId", "directorUserId", "queue")
       VALUES (@id, @name, @leadAgentId, @directorUserId, @queue)
       ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "leadAgentId" = excluded."leadAgentId",
         "directorUserId" = excluded."directorUserId", "queue" = excluded."queue"`,
    ),
    deleteTeam: db.prepare('DELETE FROM "Team" WHERE "id" = ?'),
    agentsOfTeam: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS "n" FROM "Agent" WHERE "teamId" = ?',
    ),
    agents: db.prepare<
      [],
      Omit<AgentRow, 'skills' | 'active'> & { skills: string; active: number }
    >(
      `SELECT "id", "userId", "name", "email", "teamId", "skills", "capacity", "openTickets",
              "shiftCalendarId", "active", "role"
       FROM "Agent" ORDER BY "name", "id"`,
    ),
    agent: db.prepare<[string], { id: string }>('SELECT "id" FROM "Agent" WHERE "id" = ?'),
    user: db.prepare<[string], { id: string }>('SELECT "id" FROM "User" WHERE "id" = ?'),
    upsertAgent: db.prepare(
      `INSERT INTO "Agent" ("id", "userId", "name", "email", "teamId", "skills", "capacity",
         "openTickets", "shiftCalendarId", "active", "role")
       VALUES (@id, @userId, @name, @email, @teamId, @skills, @capacity, 0, @shiftCalendarId,
         @active, @role)
       ON CONFLICT ("id") DO UPDATE SET "userId" = excluded."userId", "name" = excluded."name",
         "email" = excluded."email", "teamId" = excluded."teamId", "skills" = excluded."skills",
         "capacity" = excluded."capacity", "shiftCalendarId" = excluded."shiftCalendarId",
         "active" = excluded."active", "role" = excluded."role"`,
    ),
    deleteAgent: db.prepare('DELETE FROM "Agent" WHERE "id" = ?'),
    agentTickets: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS "n" FROM "Ticket" WHERE "assigneeId" = ?',
    ),
    agentLeads: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS "n" FROM "Team" WHERE "leadAgentId" = ?',
    ),
    calendars: db.prepare<
      [],
      { id: string; name: string; timeZone: string; hours: string; holidays: string }
    >('SELECT "id", "name", "timeZone", "hours", "holidays" FROM "Calendar" ORDER BY "name", "id"'),
    calendar: db.prepare<[string], { id: string }>('SELECT "id" FROM "Calendar" WHERE "id" = ?'),
    upsertCalendar: db.prepare(
      `INSERT INTO "Calendar" ("id", "name", "timeZone", "hours", "holidays")
       VALUES (@id, @name, @timeZone, @hours, @holidays)
       ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "timeZone" = excluded."timeZone",
         "hours" = excluded."hours", "holidays" = excluded."holidays"`,
    ),
    deleteCalendar: db.prepare('DELETE FROM "Calendar" WHERE "id" = ?'),
    calendarAgents: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS "n" FROM "Agent" WHERE "shiftCalendarId" = ?',
    ),
  };

  function requireRef(found: boolean, what: string): void {
    if (!found) throw new PreconditionError(`${what} does not exist: create it first`);
  }

  return {
    listTeams: (): TeamRow[] => sql.teams.all(),
    upsertTeam(team: TeamInput, actorId: string | null): void {
      db.transaction(() => {
        if (team.leadAgentId !== null) {
          requireRef(sql.agent.get(team.leadAgentId) !== undefined, `Agent ${team.leadAgentId}`);
        }
        if (team.directorUserId !== null) {
          requireRef(
            sql.user.get(team.directorUserId) !== undefined,
            `User ${team.directorUserId}`,
          );
        }
        sql.upsertTeam.run(team);
        audit.write(actorId, 'settings.team.upsert', team.id, team);
      })();
    },
    deleteTeam(id: string, actorId: string | null): void {
      db.transaction(() => {
        if (sql.team.get(id) === undefined) throw new NotFoundError(`Team ${id} does not exist`);
        const agents = sql.agentsOfTeam.get(id)?.n ?? 0;
        if (agents > 0) {
          throw new PreconditionError(
            `Team ${id} has ${agents} agent(s): move them to another team first`,
          );
        }
        sql.deleteTeam.run(id);
        audit.write(actorId, 'settings.team.delete', id, {});
      })();
    },

    listAgents: (): AgentRow[] =>
      sql.agents.all().map((row) => ({
        ...row,
        skills: JSON.parse(row.skills) as string[],
        active: row.active === 1,
      })),
    upsertAgent(agent: AgentInput, actorId: string | null): void {
      db.transaction(() => {
        requireRef(sql.team.get(agent.teamId) !== undefined, `Team ${agent.teamId}`);
        if (agent.shiftCalendarId !== null) {
          requireRef(
            sql.calendar.get(agent.shiftCalendarId) !== undefined,
            `Calendar ${agent.shiftCalendarId}`,
          );
        }
        if (agent.userId !== null) {
          requireRef(sql.user.get(agent.userId) !== undefined, `User ${agent.userId}`);
        }
        sql.upsertAgent.run({
          ...agent,
          skills: JSON.stringify(agent.skills),
          active: agent.active ? 1 : 0,
        });
        audit.write(actorId, 'settings.agent.upsert', agent.id, agent);
      })();
    },
    deleteAgent(id: string, actorId: string | null): void {
      db.transaction(() => {
        if (sql.agent.get(id) === undefined) throw new NotFoundError(`Agent ${id} does not exist`);
        const tickets = sql.agentTickets.get(id)?.n ?? 0;
        if (tickets > 0) {
          throw new PreconditionError(
            `Agent ${id} has ${tickets} ticket(s): set the agent inactive instead`,
          );
        }
        if ((sql.agentLeads.get(id)?.n ?? 0) > 0) {
          throw new PreconditionError(`Agent ${id} leads a team: choose another lead first`);
        }
        sql.deleteAgent.run(id);
        audit.write(actorId, 'settings.agent.delete', id, {});
      })();
    },

    listCalendars: (): CalendarRow[] =>
      sql.calendars.all().map((row) => ({
        id: row.id,
        name: row.name,
        timeZone: row.timeZone,
        week: JSON.parse(row.hours) as Calendar['week'],
        holidays: JSON.parse(row.holidays) as string[],
      })),
    upsertCalendar(calendar: CalendarRow, actorId: string | null): void {
      db.transaction(() => {
        sql.upsertCalendar.run({
          id: calendar.id,
          name: calendar.name,
          timeZone: calendar.timeZone,
          hours: JSON.stringify(calendar.week),
          holidays: JSON.stringify(calendar.holidays),
        });
        audit.write(actorId, 'settings.calendar.upsert', calendar.id, calendar);
      })();
    },
    deleteCalendar(id: string, actorId: string | null): void {
      db.transaction(() => {
        if (sql.calendar.get(id) === undefined) {
          throw new NotFoundError(`Calendar ${id} does not exist`);
        }
        const agents = sql.calendarAgents.get(id)?.n ?? 0;
        if (agents > 0) {
          throw new PreconditionError(
            `Calendar ${id} is the shift of ${agents} agent(s): give them another shift first`,
          );
        }
        sql.deleteCalendar.run(id);
        audit.write(actorId, 'settings.calendar.delete', id, {});
      })();
    },
  };
}

export type Settings = ReturnType<typeof createSettings>;
