import { createSimulationVersion, simulate } from '@switchyard/engine';
import type { ScriptedEvent, SimulationResult } from '@switchyard/engine';
import { ticketInputSchema } from '@switchyard/flow';
import type { Diagnostic, TicketInput } from '@switchyard/flow';

export type DraftRun =
  | {
      readonly kind: 'ok';
      readonly result: SimulationResult;
      /** Where it ran: the server when the draft's classify steps use trained models. */
      readonly where: 'browser' | 'server';
    }
  /** The draft does not compile or lint has errors: show them instead of running. */
  | { readonly kind: 'lint'; readonly diagnostics: readonly Diagnostic[] }
  /** The sample ticket is not a valid ticket; the issues name the fields. */
  | { readonly kind: 'ticket'; readonly issues: readonly string[] };

/** Runs the simulation on the server (which has the trained models), e.g. `versions.simulate`. */
export type RemoteSimulate = (request: {
  readonly document: unknown;
  readonly ticket: TicketInput;
  readonly events: readonly ScriptedEvent[];
  readonly until: string;
}) => Promise<SimulationResult>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The trained models the document's classify steps ask for (mode `model` or `rules-then-model`
 * with a `model.modelId`), sorted. The browser has no trained models: such drafts run on the server.
 */
export function getModelIds(document: unknown): string[] {
  const ids = new Set<string>();
  const nodes = isRecord(document) && Array.isArray(document.nodes) ? document.nodes : [];
  for (const node of nodes) {
    if (!isRecord(node) || node.kind !== 'classify' || !isRecord(node.config)) continue;
    const { mode, model } = node.config;
    if (mode === 'rules' || !isRecord(model) || typeof model.modelId !== 'string') continue;
    ids.add(model.modelId);
  }
  return [...ids].sort();
}

/**
 * Runs one sample ticket through the draft document: the engine's simulator on a virtual clock
 * (effects recorded, nothing sent) in the browser, or through `remote` on the server when the
 * draft uses trained models (lint still runs here first).
 */
export async function runDraft(
  document: unknown,
  ticket: TicketInput,
  events: readonly ScriptedEvent[],
  options: { readonly until?: string; readonly remote?: RemoteSimulate } = {},
): Promise<DraftRun> {
  const until = options.until ?? '30d';
  const parsed = ticketInputSchema.safeParse(ticket);
  if (!parsed.success) {
    return {
      kind: 'ticket',
      issues: parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'ticket'}: ${issue.message}`,
      ),
    };
  }
  const compiled = createSimulationVersion(document);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (compiled.version === undefined || errors.length > 0) {
    return { kind: 'lint', diagnostics: errors.length > 0 ? errors : compiled.diagnostics };
  }
  if (options.remote !== undefined && getModelIds(document).length > 0) {
    const result = await options.remote({ document, ticket: parsed.data, events, until });
    return { kind: 'ok', result, where: 'server' };
  }
  const result = await simulate({ version: compiled.version, ticket: parsed.data, events, until });
  return { kind: 'ok', result, where: 'browser' };
}
