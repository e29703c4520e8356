import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSimulationVersion,
  runScenarios,
  scenarioFileSchema,
  scenarioSchema,
} from '@switchyard/engine';
import type { Scenario, ScenarioFile } from '@switchyard/engine';
import type { Calendar, FlowDocument } from '@switchyard/flow';
import { z } from 'zod';
import { PreconditionError } from '../errors';
import type { Repository } from '../repository';
import { procedure, t } from '../trpc/core';
import { flowIdSchema } from './flows';
import { readTemplates } from './templates';

const scenarioName = z.string().trim().min(1).max(200);

export interface ScenarioListEntry {
  readonly name: string;
  readonly scenario: Scenario;
  /** `stored`: saved for this flow; `template`: from the template's scenarios.json (read-only). */
  readonly source: 'stored' | 'template';
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/**
 * The template a flow was made from: same id, or `<template>-N` as templates.import names copies.
 * Its scenarios.json (if valid) supplies default scenarios, agents and calendars.
 */
function templateSuite(templatesDir: string, flowId: string): ScenarioFile | null {
  const template = readTemplates(templatesDir).find(
    (entry) => flowId === entry.id || new RegExp(`^${entry.id}-\\d+$`).test(flowId),
  );
  if (template === undefined) return null;
  const path = join(templatesDir, template.id, 'scenarios.json');
  if (!existsSync(path)) return null;
  const parsed = scenarioFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : null;
}

/** Stored scenarios, then the template's ones not overridden by a stored scenario of that name. */
function listScenarios(
  repository: Repository,
  templatesDir: string,
  flowId: string,
): { entries: ScenarioListEntry[]; template: ScenarioFile | null } {
  repository.getFlow(flowId); // NOT_FOUND for an unknown flow
  const stored = repository.scenarios.list(flowId);
  const template = templateSuite(templatesDir, flowId);
  const names = new Set(stored.map((entry) => entry.name));
  return {
    entries: [
      ...stored.map((entry) => ({ ...entry, source: 'stored' as const })),
      ...(template?.scenarios ?? [])
        .filter((scenario) => !names.has(scenario.name))
        .map((scenario) => ({
          name: scenario.name,
          scenario,
          source: 'template' as const,
          updatedAt: null,
          updatedBy: null,
        })),
    ],
    template,
  };
}

export const scenariosRouter = t.router({
  list: procedure('scenarios.list')
    .input(z.object({ flowId: flowIdSchema }).strict())
    .query(({ ctx, input }): ScenarioListEntry[] => {
      const { repository, templatesDir } = ctx.services;
      return listScenarios(repository, templatesDir, input.flowId).entries;
    }),

  /** Saves (inserts or replaces by name) one scenario of a flow. */
  save: procedure('scenarios.save')
    .input(z.object({ flowId: flowIdSchema, scenario: scenarioSchema }).strict())
    .mutation(({ ctx, input }) => {
      const { repository } = ctx.services;
      repository.getFlow(input.flowId);
      repository.scenarios.save(input.flowId, input.scenario, ctx.user.id);
      return { name: input.scenario.name };
    }),

  delete: procedure('scenarios.delete')
    .input(z.object({ flowId: flowIdSchema, name: scenarioName }).strict())
    .mutation(({ ctx, input }) => {
      ctx.services.repository.scenarios.remove(input.flowId, input.name, ctx.user.id);
      return { ok: true as const };
    }),

  /**
   * Runs the flow's scenarios (stored and template) against its draft or a published version with
   * the engine's simulator: pass/fail with the failing expectations, coverage and suggestions.
   */
  run: procedure('scenarios.run')
    .input(
      z
        .object({
          flowId: flowIdSchema,
          version: z.union([z.number().int().min(1), z.literal('draft')]).default('draft'),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { repository, templatesDir } = ctx.services;
      const document: FlowDocument =
        input.version === 'draft'
          ? repository.getFlow(input.flowId).draft
          : repository.getVersion(input.flowId, input.version).document;
      const { entries, template } = listScenarios(repository, templatesDir, input.flowId);
      if (entries.length === 0) {
        throw new PreconditionError(`Flow ${input.flowId} has no scenarios yet: add one first`);
      }
      const compiled = createSimulationVersion(document);
      if (compiled.version === undefined) {
        throw new PreconditionError(
          `The ${input.version === 'draft' ? 'draft' : `version ${input.version}`} of ${input.flowId} does not compile: fix its errors first`,
          compiled.diagnostics,
        );
      }
      // Calendars: the template's, then the ones configured in settings (same id: settings win).
      const calendars = new Map<string, Calendar>();
      for (const calendar of template?.calendars ?? []) calendars.set(calendar.id, calendar);
      for (const calendar of repository.listCalendars()) calendars.set(calendar.id, calendar);
      const suite = await runScenarios(
        compiled.version,
        {
          scenarios: entries.map((entry) => entry.scenario),
          calendars: [...calendars.values()],
          ...(template?.agents !== undefined && { agents: template.agents }),
        },
        { models: ctx.services.classifier.simulatorModels() },
      );
      return {
        passed: suite.passed,
        failed: suite.failed,
        coverage: suite.coverage,
        suggestions: suite.suggestions,
        scenarios: suite.scenarios.map((result) => ({
          name: result.name,
          passed: result.passed,
          failures: result.failures,
          path: result.result.path,
          coveredEdges: result.result.coveredEdges,
          ticket: {
            status: result.result.ticket.status,
            priority: result.result.ticket.priority,
            team: result.result.ticket.team,
            assignee: result.result.ticket.assignee,
            slaBreached: result.result.ticket.sla.breached,
          },
        })),
      };
    }),
});
