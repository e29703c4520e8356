import {
  createSimulationVersion,
  ReplayInputError,
  replayTickets,
  scriptedEventSchema,
  simulate,
} from '@switchyard/engine';
import type { FlowVersionRecord, RecordedTicket } from '@switchyard/engine';
import { diffFlows, ticketInputSchema } from '@switchyard/flow';
import type { Calendar, FlowDocument } from '@switchyard/flow';
import { z } from 'zod';
import { PreconditionError } from '../errors';
import { publishDocument } from '../flow-documents';
import type { Repository } from '../repository';
import { procedure, t } from '../trpc/core';
import { flowIdSchema } from './flows';

const versionNumber = z.number().int().min(1);
const side = z.union([versionNumber, z.literal('draft')]);
const note = z.string().trim().max(2000);

function getDocument(
  repository: Repository,
  flowId: string,
  which: number | 'draft',
): FlowDocument {
  return which === 'draft'
    ? repository.getFlow(flowId).draft
    : repository.getVersion(flowId, which).document;
}

/** Replay of production: at most this many recorded tickets per run. */
const MAX_REPLAY_TICKETS = 1000;

/** How far one server-side simulation may run in virtual time. */
const MAX_SIMULATION_DAYS = 366;

/** Days of a `72h` / `30d` / `90m` duration. */
function durationDays(until: string): number {
  const amount = Number(until.slice(0, -1));
  const unit = until.at(-1);
  return unit === 'd' ? amount : unit === 'h' ? amount / 24 : amount / 1440;
}

/** The draft (or a document the designer sends) compiled for the simulator, or the reason not. */
function compileForSimulation(document: unknown, what: string): FlowVersionRecord {
  const compiled = createSimulationVersion(document);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (compiled.version === undefined || errors.length > 0) {
    throw new PreconditionError(
      `${what} has errors; fix them first`,
      errors.length > 0 ? errors : compiled.diagnostics,
    );
  }
  return compiled.version;
}

/** Company calendars from the settings (the flow's own calendars travel in its machine). */
function getCalendars(repository: Repository): Calendar[] {
  return repository.listCalendars();
}

export const versionsRouter = t.router({
  list: procedure('versions.list')
    .input(z.object({ flowId: flowIdSchema }).strict())
    .query(({ ctx, input }) => ctx.services.repository.listVersions(input.flowId)),

  get: procedure('versions.get')
    .input(z.object({ flowId: flowIdSchema, version: versionNumber }).strict())
    .query(({ ctx, input }) => {
      const {
        machineText: _machine,
        sourceMapText: _sourceMap,
        id: _id,
        ...version
      } = ctx.services.repository.getVersion(input.flowId, input.version);
      return version;
    }),

  /** What changed between two versions (or a version and the draft). */
  diff: procedure('versions.diff')
    .input(z.object({ flowId: flowIdSchema, from: side, to: side }).strict())
    .query(({ ctx, input }) => {
      const { repository } = ctx.services;
      return diffFlows(
        getDocument(repository, input.flowId, input.from),
        getDocument(repository, input.flowId, input.to),
      );
    }),

  /** Publishes the draft as the next version; refused with the diagnostics while lint has errors. */
  publish: procedure('versions.publish')
    .input(z.object({ flowId: flowIdSchema, note }).strict())
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      const version = publishDocument(repository, {
        flowId: input.flowId,
        document: repository.getFlow(input.flowId).draft,
        note: input.note === '' ? null : input.note,
        actorId: ctx.user.id,
        action: 'version.publish',
        models: ctx.services.classifier,
      });
      return { version };
    }),

  /** Publishes an earlier version's document again, as a new version. */
  rollback: procedure('versions.rollback')
    .input(
      z.object({ flowId: flowIdSchema, version: versionNumber, note: note.optional() }).strict(),
    )
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      const old = repository.getVersion(input.flowId, input.version);
      const version = publishDocument(repository, {
        flowId: input.flowId,
        document: old.document,
        note:
          input.note === undefined || input.note === ''
            ? `Rollback to version ${input.version}`
            : input.note,
        actorId: ctx.user.id,
        action: 'version.rollback',
        models: ctx.services.classifier,
        details: { from: input.version },
      });
      return { version };
    }),

  /**
   * Replay of production: the newest `last` tickets of a published version (default: the live
   * one), re-run with their recorded inputs (ticket, outside events, HTTP answers) against the
   * current draft in the simulator. Per ticket the differences in path, priority, team, SLA breach
   * and final status, and totals. Long replays go in batches (`offset`, `batch`) with the `asOf`
   * the first batch returned, so the set of tickets stays the same while new ones arrive.
   */
  replay: procedure('versions.replay')
    .input(
      z
        .object({
          flowId: flowIdSchema,
          version: versionNumber.optional(),
          last: z.number().int().min(1).max(MAX_REPLAY_TICKETS).default(200),
          offset: z.number().int().min(0).max(MAX_REPLAY_TICKETS).default(0),
          batch: z.number().int().min(1).max(MAX_REPLAY_TICKETS).optional(),
          asOf: z.iso.datetime({ offset: true }).optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { repository, store } = ctx.services;
      const draftDocument = repository.getFlow(input.flowId).draft; // NOT_FOUND first
      const live = repository.listVersions(input.flowId)[0];
      if (live === undefined) {
        throw new PreconditionError(
          `Flow ${input.flowId} has no published version yet: there are no production tickets to replay`,
        );
      }
      const version = repository.getVersion(input.flowId, input.version ?? live.version);
      const draft = compileForSimulation(draftDocument, `The draft of ${input.flowId}`);
      const asOf = input.asOf ?? new Date(ctx.services.now()).toISOString();
      const end = Math.min(input.last, input.offset + (input.batch ?? input.last));
      const { ids, total } = repository.listTicketIdsOfVersion(version.id, asOf, {
        offset: input.offset,
        limit: Math.max(0, end - input.offset),
      });
      const tickets: RecordedTicket[] = [];
      for (const id of ids) {
        const record = await store.getTicketById(id);
        if (record === null) continue; // deleted meanwhile
        tickets.push({
          ticket: record.ticket,
          done: record.done,
          events: await store.listEvents(id),
        });
      }
      let result;
      try {
        result = await replayTickets({
          draft,
          tickets,
          asOf: Date.parse(asOf),
          calendars: getCalendars(repository),
          models: ctx.services.classifier.simulatorModels(),
        });
      } catch (error: unknown) {
        if (error instanceof ReplayInputError) throw new PreconditionError(error.message);
        throw error;
      }
      return {
        flowId: input.flowId,
        version: version.version,
        asOf,
        /** How many tickets the whole replay covers: `last`, or fewer if the version has fewer. */
        available: Math.min(input.last, total),
        offset: input.offset,
        tickets: result.tickets,
        totals: result.totals,
      };
    }),

  /**
   * One sample ticket through a flow document (the designer's unsaved draft) in the simulator on
   * the server, where the trained models its classify steps name are (the browser has none).
   */
  simulate: procedure('versions.simulate')
    .input(
      z
        .object({
          flowId: flowIdSchema,
          document: z.unknown(),
          ticket: ticketInputSchema,
          events: z.array(scriptedEventSchema).max(500).default([]),
          until: z
            .string()
            .regex(/^\d+[dhm]$/, 'Use a duration like "72h" or "30d"')
            .refine((until) => durationDays(until) <= MAX_SIMULATION_DAYS, {
              message: `Simulate at most ${MAX_SIMULATION_DAYS} days`,
            })
            .default('30d'),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { repository } = ctx.services;
      repository.getFlow(input.flowId); // NOT_FOUND for an unknown flow
      const version = compileForSimulation(input.document, 'The flow');
      return simulate({
        version,
        ticket: input.ticket,
        events: input.events,
        until: input.until,
        calendars: getCalendars(repository),
        models: ctx.services.classifier.simulatorModels(),
      });
    }),
});
