import { createHmac, randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@switchyard/db';
import { toSqliteTimestamp } from '@switchyard/db';
import type { Engine, StepCommit, Store } from '@switchyard/engine';
import { hashToken } from '../auth';
import { NotFoundError } from '../errors';

/** What the public survey page may show: nothing about the customer beyond the ticket. */
export interface SurveyView {
  /** `open`: the ticket takes an answer now; `answered`: this link was answered and the ticket
   * moved on; `closed`: it expired or the ticket moved on unanswered. */
  readonly state: 'open' | 'answered' | 'closed';
  readonly number: string;
  readonly subject: string;
  /** The customer's language, for the page's first rendering. */
  readonly language: string;
  readonly answer: { readonly score: number; readonly resolved: boolean } | null;
}

interface SurveyRow {
  id: string;
  ticketId: string;
  answeredAt: string | null;
  score: number | null;
  resolved: number | null;
  number: string;
  data: string;
}

/** True for an e-mail effect the survey node sends (its payload carries `survey: true`). */
function isSurveyMail(effect: StepCommit['effects'][number]): boolean {
  const payload = effect.payload;
  return (
    effect.kind === 'email' &&
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    payload.survey === true
  );
}

/**
 * Survey links: `/survey/<token>`, the token an HMAC of the ticket number under a server secret
 * (unguessable, and the same every time the engine renders the link, so replaying a step renders
 * the same mail). Only its SHA-256 is stored, in the Survey table, when a step that sends a survey
 * mail commits.
 */
export function createSurveys(options: {
  readonly db: SqliteDatabase;
  readonly secret: string;
  readonly now: () => number;
}) {
  const { db } = options;
  const sql = {
    insert: db.prepare(
      `INSERT INTO "Survey" ("id", "tokenHash", "ticketId", "createdAt") VALUES (?, ?, ?, ?)
       ON CONFLICT ("tokenHash") DO NOTHING`,
    ),
    byHash: db.prepare<[string], SurveyRow>(
      `SELECT s."id", s."ticketId", s."answeredAt", s."score", s."resolved", t."number", t."data"
       FROM "Survey" s JOIN "Ticket" t ON t."id" = s."ticketId" WHERE s."tokenHash" = ?`,
    ),
    answer: db.prepare(
      `UPDATE "Survey" SET "answeredAt" = ?, "score" = ?, "resolved" = ?, "comment" = ? WHERE "id" = ?`,
    ),
  };

  function getToken(number: string): string {
    return createHmac('sha256', options.secret).update(`survey:${number}`).digest('base64url');
  }

  function record(ticketId: string, number: string): void {
    sql.insert.run(
      randomUUID(),
      hashToken(getToken(number)),
      ticketId,
      toSqliteTimestamp(new Date(options.now())),
    );
  }

  function find(token: string): SurveyRow {
    const row = token.length > 200 ? undefined : sql.byHash.get(hashToken(token));
    if (row === undefined) {
      throw new NotFoundError('This survey link is not valid; use the link from the e-mail');
    }
    return row;
  }

  async function view(engine: Engine, row: SurveyRow): Promise<SurveyView> {
    const ticket = JSON.parse(row.data) as {
      subject?: string;
      customer?: { language?: string };
    };
    const open = await engine.accepts(row.number, {
      type: 'SURVEY.ANSWERED',
      score: 5,
      resolved: true,
    });
    return {
      state: open ? 'open' : row.answeredAt === null ? 'closed' : 'answered',
      number: row.number,
      subject: ticket.subject ?? '',
      language: ticket.customer?.language ?? 'en',
      answer:
        row.score === null || row.resolved === null
          ? null
          : { score: row.score, resolved: row.resolved === 1 },
    };
  }

  return {
    getToken,

    /**
     * The Store the engine writes through, recording the survey row of every step that sends a
     * survey mail. Before the commit, so the link works as soon as the mail can go out (a row
     * left by a step that then fails is harmless); after it when the ticket's first step sends it.
     */
    withSurveyRows<TStore extends Store>(store: TStore): TStore {
      const commit = async (step: StepCommit): Promise<void> => {
        const surveyed = step.effects.some(isSurveyMail);
        let recorded = false;
        if (surveyed && step.expectedVersion !== null) {
          record(step.ticket.id, step.ticket.number);
          recorded = true;
        }
        await store.commit(step);
        if (surveyed && !recorded) record(step.ticket.id, step.ticket.number);
      };
      return new Proxy(store, {
        get(target, property, receiver) {
          if (property === 'commit') return commit;
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    },

    async get(engine: Engine, token: string): Promise<SurveyView> {
      return view(engine, find(token));
    },

    /** Sends SURVEY.ANSWERED through the engine (CONFLICT when the ticket no longer takes it). */
    async answer(
      engine: Engine,
      token: string,
      answer: { score: number; resolved: boolean; comment?: string | undefined },
    ): Promise<SurveyView> {
      const row = find(token);
      await engine.send(row.number, {
        type: 'SURVEY.ANSWERED',
        score: answer.score,
        resolved: answer.resolved,
        ...(answer.comment !== undefined && answer.comment !== '' && { comment: answer.comment }),
      });
      sql.answer.run(
        toSqliteTimestamp(new Date(options.now())),
        answer.score,
        answer.resolved ? 1 : 0,
        answer.comment ?? null,
        row.id,
      );
      return view(engine, find(token));
    },
  };
}

export type Surveys = ReturnType<typeof createSurveys>;
