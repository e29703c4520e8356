import type { ScriptedEvent, SimulationResult, SimulationStep } from '@switchyard/engine';

/**
 * The simulator panel's pure logic: the event script text, stepping through a trace (forward,
 * back, to the next timer), what the canvas highlights at each step and the timeline rows.
 */

/** What the designer canvas shows for the simulation (see useSimulationHighlight). */
export interface SimulationHighlight {
  /** Nodes the ticket is in after the current step. */
  readonly currentNodes: readonly string[];
  /** Nodes entered up to and including the current step. */
  readonly visitedNodes: readonly string[];
  /** Edges taken up to and including the current step. */
  readonly takenEdges: readonly string[];
  /** Edges taken by the current step itself (drawn animated). */
  readonly activeEdges: readonly string[];
  /** Edges no scenario of the suite took (drawn dashed red), after a suite run. */
  readonly uncoveredEdges: readonly string[];
  /** Edges some scenario of the suite took (drawn green), after a suite run. */
  readonly coveredEdges: readonly string[];
}

export const EMPTY_HIGHLIGHT: SimulationHighlight = {
  currentNodes: [],
  visitedNodes: [],
  takenEdges: [],
  activeEdges: [],
  uncoveredEdges: [],
  coveredEdges: [],
};

export interface ScriptLineError {
  /** 1-based line of the script text. */
  readonly line: number;
  readonly message: string;
}

const LINE = /^(\+?(?:\d+[dhms])+)\s+([A-Z][A-Z0-9_.]*)(?:\s+(\{.*\}))?$/;

/**
 * One event per line: `+30m AGENT.REPLIED {"by": "li"}` — offset from ticket creation, event type,
 * optional JSON payload. Blank lines and lines starting with `#` are skipped.
 */
export function parseEventScript(text: string): {
  events: ScriptedEvent[];
  errors: readonly ScriptLineError[];
} {
  const events: ScriptedEvent[] = [];
  const errors: ScriptLineError[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = LINE.exec(line);
    if (match === null) {
      errors.push({
        line: index + 1,
        message: 'Write an offset, an event type and optionally a JSON object: +30m AGENT.REPLIED',
      });
      return;
    }
    const [, at = '', type = '', json] = match;
    let payload: Record<string, unknown> = {};
    if (json !== undefined) {
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new Error('not an object');
        }
        payload = parsed as Record<string, unknown>;
      } catch {
        errors.push({ line: index + 1, message: 'The payload is not a JSON object' });
        return;
      }
    }
    const { at: _at, type: _type, ...rest } = payload;
    events.push({ ...rest, at: at.startsWith('+') ? at : `+${at}`, type });
  });
  return { events, errors };
}

/** The script text for events (inverse of parseEventScript for well-formed events). */
export function formatEventScript(events: readonly ScriptedEvent[]): string {
  return events
    .map(({ at, type, ...payload }) =>
      Object.keys(payload).length === 0
        ? `${at} ${type}`
        : `${at} ${type} ${JSON.stringify(payload)}`,
    )
    .join('\n');
}

/** `+0m`, `+1h 30m`, `+2d 3h` — virtual time since ticket creation. */
export function formatOffset(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days > 0 ? `${days}d` : '',
    hours > 0 ? `${hours}h` : '',
    rest > 0 || (days === 0 && hours === 0) ? `${rest}m` : '',
  ].filter((part) => part !== '');
  return `+${parts.join(' ')}`;
}

/**
 * Playback position: -1 is before the first step (nothing processed yet), otherwise the index of
 * the last processed step.
 */
export type Position = number;

export function clampPosition(result: SimulationResult, position: Position): Position {
  return Math.max(-1, Math.min(result.steps.length - 1, position));
}

export function stepForward(result: SimulationResult, position: Position): Position {
  return clampPosition(result, position + 1);
}

export function stepBack(result: SimulationResult, position: Position): Position {
  return clampPosition(result, position - 1);
}

export function isAtEnd(result: SimulationResult, position: Position): boolean {
  return position >= result.steps.length - 1;
}

function isTimerStep(step: SimulationStep): boolean {
  return step.timers.fired.length > 0 || step.event === 'TIMER.FIRED';
}

/** The first step after `position` where a timer fires, or null when none is left. */
export function nextTimerPosition(result: SimulationResult, position: Position): Position | null {
  for (let index = position + 1; index < result.steps.length; index++) {
    const step = result.steps[index];
    if (step !== undefined && isTimerStep(step)) return index;
  }
  return null;
}

/** The virtual clock at a position (ms since creation): the time of the last processed step. */
export function clockAt(result: SimulationResult, position: Position): number {
  return position < 0 ? 0 : (result.steps[position]?.offsetMs ?? 0);
}

/** What to highlight on the canvas after the steps up to `position`. */
export function highlightAt(
  result: SimulationResult,
  position: Position,
  uncoveredEdges: readonly string[] = [],
  coveredEdges: readonly string[] = [],
): SimulationHighlight {
  const done = result.steps.slice(0, position + 1);
  const current = done.at(-1);
  return {
    currentNodes: current?.toNodes ?? [],
    visitedNodes: [...new Set(done.flatMap((step) => step.entered))],
    takenEdges: [...new Set(done.flatMap((step) => step.edges))],
    activeEdges: current?.edges ?? [],
    uncoveredEdges,
    coveredEdges,
  };
}

export interface TimelineGuard {
  readonly expression: string;
  readonly inputs: string;
  readonly result: boolean;
  readonly error?: string;
}

/** One row of the event-log timeline, with its explain-why. */
export interface TimelineItem {
  readonly index: number;
  readonly time: string;
  readonly event: string;
  readonly state: 'done' | 'current' | 'pending';
  /** `from → entered → … → entered` over the nodes the step passed through. */
  readonly move: string;
  readonly guards: readonly TimelineGuard[];
  readonly effects: readonly string[];
  readonly timers: readonly string[];
  readonly notes: readonly string[];
}

function describeTimer(kind: string, timer: { key: string; dueAt?: string }): string {
  return timer.dueAt === undefined
    ? `${kind} ${timer.key}`
    : `${kind} ${timer.key} (due ${timer.dueAt})`;
}

/** The timeline of a trace; steps after `position` are pending. */
export function timelineModel(result: SimulationResult, position: Position): TimelineItem[] {
  return result.steps.map((step, index) => ({
    index,
    time: formatOffset(step.offsetMs),
    event: step.event,
    state: index < position ? 'done' : index === position ? 'current' : 'pending',
    // The nodes passed through in order (a step can run several: intake → … → a wait).
    move: [
      step.fromNodes.join(', ') || '∅',
      ...(step.entered.length > 0 ? step.entered : [step.toNodes.join(', ') || '∅']),
    ].join(' → '),
    guards: step.guards.map((guard) => ({
      expression: guard.expression,
      inputs: Object.entries(guard.inputs)
        .map(([path, value]) => `${path} = ${JSON.stringify(value)}`)
        .join(', '),
      result: guard.result,
      ...(guard.error !== undefined && { error: guard.error }),
    })),
    effects: step.effects.map((effect) => `${effect.kind}: ${effect.summary}`),
    timers: [
      ...step.timers.scheduled.map((timer) => describeTimer('scheduled', timer)),
      ...step.timers.cancelled.map((timer) => describeTimer('cancelled', timer)),
      ...step.timers.fired.map((timer) => describeTimer('fired', timer)),
    ],
    notes: step.notes,
  }));
}

/** The first differing expectation of a scenario, or null when it passed. */
export function firstFailure(scenario: { readonly failures: readonly string[] }): string | null {
  return scenario.failures[0] ?? null;
}

/** What a scenario saved from a run expects: the run's outcome, so the suite guards it. */
export interface RunExpectations {
  readonly status: string;
  readonly priority: string;
  readonly category: string | null;
  readonly team: string | null;
  readonly escalationLevel: number;
  readonly slaBreached: boolean;
  readonly done: boolean;
  /** The path, each node once, in the order first entered. */
  readonly nodesVisited: string[];
}

/** Expectations that a scenario made from this run passes (see scenarios.save). */
export function getRunExpectations(result: SimulationResult): RunExpectations {
  return {
    status: result.ticket.status,
    priority: result.ticket.priority,
    category: result.ticket.category,
    team: result.ticket.team,
    escalationLevel: result.ticket.escalationLevel,
    slaBreached: result.ticket.sla.breached,
    done: result.done,
    nodesVisited: [...new Set(result.path)],
  };
}
