import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createSimulationVersion,
  PUBLIC_EVENT_TYPES,
  publicEventSchema,
  runScenarios,
  scenarioFileSchema,
  scriptedEventSchema,
  simulate,
  toAgentRecord,
} from '@switchyard/engine';
import { loadIntentModel } from '@switchyard/classifier';
import type { IntentModel } from '@switchyard/classifier';
import type { StateNodeJson } from '@switchyard/compiler';
import type { FlowVersionRecord, ScriptedEvent, SimulationStep } from '@switchyard/engine';
import {
  formatDiagnostic,
  formatDuration,
  parseDuration,
  ticketInputSchema,
} from '@switchyard/flow';
import type { z } from 'zod';
import { EXIT_DIAGNOSTICS, EXIT_OK, readJsonFile, UsageError } from './io';
import type { Io } from './io';

/** Model ids the flow's classify nodes use. */
function getModelIds(version: FlowVersionRecord): string[] {
  const ids = new Set<string>();
  const visit = (state: StateNodeJson) => {
    for (const action of state.entry ?? []) {
      const model = action.params?.model;
      if (
        action.type === 'classify' &&
        typeof model === 'object' &&
        model !== null &&
        !Array.isArray(model)
      ) {
        if (typeof model.modelId === 'string') ids.add(model.modelId);
      }
    }
    for (const child of Object.values(state.states ?? {})) visit(child);
  };
  visit(version.machine);
  return [...ids].sort();
}

/**
 * Load the trained models a flow needs from `DIR/<modelId>.json` (default: `models/` beside the
 * flow), up front, so a missing or broken model is reported before anything runs.
 */
async function loadModels(
  version: FlowVersionRecord,
  dir: string,
): Promise<Map<string, IntentModel>> {
  const models = new Map<string, IntentModel>();
  for (const id of getModelIds(version)) {
    const path = join(dir, `${id}.json`);
    if (!existsSync(path))
      throw new UsageError(
        `${path}: the flow uses model "${id}", but there is no such file (train one with "switchyard classifier train")`,
      );
    try {
      models.set(id, loadIntentModel(await readJsonFile(path)));
    } catch (error: unknown) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return models;
}

/** Parse a file's JSON with a schema; problems become one line naming the file and the field. */
async function readValidated<T extends z.ZodType>(path: string, schema: T): Promise<z.output<T>> {
  const result = schema.safeParse(await readJsonFile(path));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where =
    issue === undefined || issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
  throw new UsageError(`${path}: ${where}${issue?.message ?? 'invalid'}`);
}

/**
 * The events file: `[{ "at": "+30m", "type": "AGENT.REPLIED", …payload }]`. Each event's payload
 * is checked like the API checks it, so a typo is named here, not found later as a rejection.
 */
async function readEvents(path: string): Promise<ScriptedEvent[]> {
  const events = await readValidated(path, scriptedEventSchema.array());
  for (const [index, { at: _at, ...event }] of events.entries()) {
    const parsed = publicEventSchema.safeParse(event);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    if (field === 'type' && issue?.code === 'invalid_union')
      throw new UsageError(
        `${path}: ${index}.type: unknown event type "${event.type}"; use one of ${PUBLIC_EVENT_TYPES.join(', ')}`,
      );
    throw new UsageError(
      `${path}: ${index}${field === '' ? '' : `.${field}`}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return events;
}

async function loadVersion(path: string, io: Io): Promise<FlowVersionRecord | null> {
  const compiled = createSimulationVersion(await readJsonFile(path));
  if (compiled.version === undefined) {
    for (const diagnostic of compiled.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    return null;
  }
  return compiled.version;
}

function describeStep(step: SimulationStep): string {
  const lines = [
    `+${formatDuration(step.offsetMs)} ${step.event}: ${step.fromNodes.join(',') || '(start)'} → ${step.toNodes.join(',') || '(end)'}`,
  ];
  for (const guard of step.guards) {
    lines.push(
      `    ${guard.result ? '✓' : '✗'} ${guard.expression} ${JSON.stringify(guard.inputs)}`,
    );
  }
  for (const note of step.notes) lines.push(`    · ${note}`);
  for (const effect of step.effects) lines.push(`    → ${effect.kind} ${effect.summary}`);
  for (const timer of step.timers.scheduled)
    lines.push(`    ⏱ ${timer.key} at ${timer.dueAt ?? '?'}`);
  return lines.join('\n');
}

export async function runSimulate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ticket: { type: 'string' },
      events: { type: 'string' },
      until: { type: 'string' },
      models: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [flowPath, ...rest] = positionals;
  if (flowPath === undefined || rest.length > 0)
    throw new UsageError('simulate: name exactly one flow file');
  if (values.ticket === undefined) throw new UsageError('simulate: --ticket FILE is required');
  if (values.until !== undefined && parseDuration(values.until) === null) {
    throw new UsageError(`simulate: --until "${values.until}" is not a duration like 72h or 30d`);
  }
  const version = await loadVersion(flowPath, io);
  if (version === null) return EXIT_DIAGNOSTICS;
  // Strict: a key the ticket model does not have (a typo, or "priority", which the flow sets)
  // is named rather than dropped.
  const ticket = await readValidated(values.ticket, ticketInputSchema.strict());
  const events = values.events === undefined ? [] : await readEvents(values.events);
  // Use the agents of the scenarios beside the flow, when there are any, so names match the suite.
  const besides = join(dirname(flowPath), 'scenarios.json');
  const agents = existsSync(besides)
    ? (await readValidated(besides, scenarioFileSchema)).agents?.map(toAgentRecord)
    : undefined;
  const models = await loadModels(version, values.models ?? join(dirname(flowPath), 'models'));
  const result = await simulate({
    version,
    ticket,
    events,
    models,
    ...(agents !== undefined && { agents }),
    ...(values.until !== undefined && { until: values.until }),
  });
  if (values.json === true) {
    const { steps, ticket: final, path, coveredEdges } = result;
    io.stdout(`${JSON.stringify({ steps, ticket: final, path, coveredEdges })}\n`);
    // stdout stays one JSON object; events the flow did not take are worth knowing all the same.
    for (const rejected of result.rejected)
      io.stderr(`${rejected.type} at ${rejected.at} was not accepted: ${rejected.reason}\n`);
    return EXIT_OK;
  }
  for (const step of result.steps) io.stdout(`${describeStep(step)}\n`);
  for (const rejected of result.rejected)
    io.stdout(`! ${rejected.type} at ${rejected.at} rejected: ${rejected.reason}\n`);
  const t = result.ticket;
  io.stdout(
    `\n${t.number}: ${t.status}, priority ${t.priority}, team ${t.team ?? '-'}, assignee ${t.assignee ?? '-'}, escalation ${t.escalationLevel}, SLA ${t.sla.breached ? 'breached' : 'met/running'}\npath: ${result.path.join(' → ')}\n`,
  );
  return EXIT_OK;
}

export async function runTest(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      scenarios: { type: 'string' },
      models: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [flowPath, ...rest] = positionals;
  if (flowPath === undefined || rest.length > 0)
    throw new UsageError('test: name exactly one flow file');
  const scenariosPath = values.scenarios ?? join(dirname(flowPath), 'scenarios.json');
  if (values.scenarios === undefined && !existsSync(scenariosPath))
    throw new UsageError(
      `test: there is no scenarios.json beside ${flowPath}; write one or name it with --scenarios FILE`,
    );
  const file = await readValidated(scenariosPath, scenarioFileSchema);
  const version = await loadVersion(flowPath, io);
  if (version === null) {
    // A flow that does not compile fails every scenario; --json still ends with the totals.
    if (values.json === true)
      io.stdout(
        `${JSON.stringify({ passed: 0, failed: file.scenarios.length, coverage: { nodes: 0, edges: 0 } })}\n`,
      );
    return EXIT_DIAGNOSTICS;
  }
  const models = await loadModels(version, values.models ?? join(dirname(flowPath), 'models'));
  const suite = await runScenarios(version, file, { models });
  const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
  if (values.json !== true) {
    for (const scenario of suite.scenarios) {
      io.stdout(`${scenario.passed ? 'PASS' : 'FAIL'} ${scenario.name}\n`);
      for (const failure of scenario.failures) io.stdout(`     ${failure}\n`);
    }
    io.stdout(`\n${suite.passed} passed, ${suite.failed} failed\n`);
    io.stdout(
      `coverage: nodes ${percent(suite.coverage.nodes)}, edges ${percent(suite.coverage.edges)}\n`,
    );
    for (const suggestion of suite.suggestions) {
      const route = suggestion.via
        .map((v) => (v.condition ? `${v.event} [${v.condition}]` : v.event))
        .join(' → ');
      io.stdout(
        `uncovered edge ${suggestion.edgeId} (${suggestion.from}.${suggestion.port}): ${route}\n`,
      );
    }
  } else {
    for (const scenario of suite.scenarios) {
      io.stdout(
        `${JSON.stringify({ name: scenario.name, passed: scenario.passed, failures: scenario.failures })}\n`,
      );
    }
    io.stdout(
      `${JSON.stringify({ passed: suite.passed, failed: suite.failed, coverage: { nodes: suite.coverage.nodes, edges: suite.coverage.edges } })}\n`,
    );
  }
  return suite.failed > 0 ? EXIT_DIAGNOSTICS : EXIT_OK;
}
