import { createSimulationVersion, simulate } from '@switchyard/engine';
import type { ScriptedEvent, SimulationResult } from '@switchyard/engine';
import { ticketInputSchema } from '@switchyard/flow';
import type { Diagnostic, TicketInput } from '@switchyard/flow';

export type DraftRun =
  | { readonly kind: 'ok'; readonly result: SimulationResult }
  /** The draft does not compile or lint has errors: show them instead of running. */
  | { readonly kind: 'lint'; readonly diagnostics: readonly Diagnostic[] }
  /** The sample ticket is not a valid ticket; the issues name the fields. */
  | { readonly kind: 'ticket'; readonly issues: readonly string[] };

/**
 * Runs one sample ticket through the draft document in the browser: the engine's simulator on a
 * virtual clock (effects recorded, nothing sent).
 */
export async function runDraft(
  document: unknown,
  ticket: TicketInput,
  events: readonly ScriptedEvent[],
  until = '30d',
): Promise<DraftRun> {
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
  const result = await simulate({ version: compiled.version, ticket: parsed.data, events, until });
  return { kind: 'ok', result };
}
