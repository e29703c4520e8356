import type { Diagnostic, FlowEdge, ValidFlow } from '@switchyard/flow';
import { lintFlow } from '@switchyard/flow';
import type { JsonValue, MachineJson, StateNodeJson, TransitionJson } from './machine-types';
import { COMPILE_RULES, reopenActions, ROOT_EVENT_ACTIONS } from './rules';
import type { RuleContext } from './rules';

/** Where each node, edge and state of the machine came from. */
export interface SourceMap {
  /** State path (e.g. `main.survey.sent`) → the node it implements, or the SLA region. */
  readonly states: Readonly<
    Record<
      string,
      | { readonly nodeId: string }
      | { readonly region: 'sla'; readonly nodeIds: readonly string[] }
      /** States the compiler adds to every flow (`main._closed`, the `lifecycle` region). */
      | { readonly builtin: 'closed' | 'lifecycle' }
    >
  >;
  /** Node id → its state path. */
  readonly nodes: Readonly<Record<string, string>>;
  /** Edge id → the state and event of the transition that implements it. */
  readonly edges: Readonly<Record<string, { readonly state: string; readonly event: string }>>;
}

export interface CompileResult {
  /** XState v5 machine config as plain JSON; absent when the flow has lint errors. */
  readonly machine?: MachineJson;
  readonly sourceMap?: SourceMap;
  readonly diagnostics: readonly Diagnostic[];
}

export const MAIN_REGION = 'main';
export const SLA_REGION = 'sla';
/** Region that never ends, so a ticket whose main path ended can still be reopened. */
export const LIFECYCLE_REGION = 'lifecycle';
/**
 * State key and id of the built-in final state `TICKET.CLOSED` leads to. Node ids start with a
 * letter, so it never collides with a node.
 */
export const CLOSED_STATE = '_closed';

/** The machine id for a flow. `:` cannot occur in node ids, so it never collides with a state id. */
export function getMachineId(flowId: string): string {
  return `flow:${flowId}`;
}

/**
 * Compile a Flow document to an XState v5 machine config. Pure: no I/O, no clock, and the same
 * input always gives byte-identical JSON. A flow with lint errors does not compile.
 *
 * @example
 * const { machine, diagnostics } = compileFlow(JSON.parse(text));
 * if (machine) createMachine(machine);
 */
export function compileFlow(input: unknown): CompileResult {
  const { flow, diagnostics } = lintFlow(input);
  if (flow === undefined) return { diagnostics };
  return { ...compileValidFlow(flow), diagnostics };
}

/** Compile a flow that already passed lint. */
export function compileValidFlow(flow: ValidFlow): { machine: MachineJson; sourceMap: SourceMap } {
  const machineId = getMachineId(flow.id);
  const slaNodeIds = flow.nodes.filter((node) => node.kind === 'sla').map((node) => node.id);
  const hasSla = slaNodeIds.length > 0;
  const edgesByPort = new Map<string, FlowEdge>();
  for (const edge of flow.edges) edgesByPort.set(`${edge.source}\u0000${edge.sourcePort}`, edge);

  const sourceStates: Record<string, SourceMap['states'][string]> = {};
  const sourceNodes: Record<string, string> = {};
  const sourceEdges: Record<string, { state: string; event: string }> = {};

  const states: Record<string, StateNodeJson> = {};
  for (const node of flow.nodes) {
    const context: RuleContext = {
      hasSla,
      port(portId, extra = {}) {
        const edge = edgesByPort.get(`${node.id}\u0000${portId}`);
        if (edge === undefined) return undefined;
        return { target: `#${edge.target}`, ...extra, meta: { edgeId: edge.id, port: portId } };
      },
    };
    const rule = COMPILE_RULES[node.kind] as (n: typeof node, c: RuleContext) => StateNodeJson;
    const state: StateNodeJson = withRootActions({
      id: node.id,
      ...rule(node, context),
      meta: { nodeId: node.id, kind: node.kind },
    });
    states[node.id] = state;
    const path = `${MAIN_REGION}.${node.id}`;
    sourceNodes[node.id] = path;
    collectSourceMap(state, path, node.id, sourceStates, sourceEdges);
  }

  states[CLOSED_STATE] = {
    id: CLOSED_STATE,
    type: 'final',
    entry: [{ type: 'closeTicket' }, { type: 'endTicket', params: { outcome: 'closed' } }],
  };
  sourceStates[`${MAIN_REGION}.${CLOSED_STATE}`] = { builtin: 'closed' };

  const intake = flow.nodes.find((node) => node.kind === 'intake');
  const regions: Record<string, StateNodeJson> = {
    [MAIN_REGION]: { initial: intake?.id ?? '', states },
  };
  if (hasSla) {
    regions[SLA_REGION] = createSlaRegion(`${machineId}.${MAIN_REGION}`);
    collectRegionStates(regions[SLA_REGION], SLA_REGION, slaNodeIds, sourceStates);
  }
  regions[LIFECYCLE_REGION] = { initial: 'live', states: { live: {} } };
  sourceStates[LIFECYCLE_REGION] = { builtin: 'lifecycle' };
  sourceStates[`${LIFECYCLE_REGION}.live`] = { builtin: 'lifecycle' };

  const machine: MachineJson = {
    id: machineId,
    type: 'parallel',
    states: regions,
    on: { ...ROOT_HANDLERS, ...getCloseAndReopen(flow, edgesByPort, hasSla) },
    meta: {
      flowId: flow.id,
      flowName: flow.name,
      schemaVersion: flow.schemaVersion,
      calendars: toJson(flow.calendars),
      teams: toJson(flow.teams),
      ticketFields: toJson(flow.ticketFields),
    },
  };
  return { machine, sourceMap: { states: sourceStates, nodes: sourceNodes, edges: sourceEdges } };
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function collectSourceMap(
  state: StateNodeJson,
  path: string,
  nodeId: string,
  sourceStates: Record<string, SourceMap['states'][string]>,
  sourceEdges: Record<string, { state: string; event: string }>,
): void {
  sourceStates[path] = { nodeId };
  const record = (event: string, transitions: readonly TransitionJson[] | undefined) => {
    for (const transition of transitions ?? []) {
      const edgeId = transition.meta?.edgeId;
      if (edgeId !== undefined) sourceEdges[edgeId] = { state: path, event };
    }
  };
  record('', state.always);
  for (const [event, transitions] of Object.entries(state.on ?? {})) record(event, transitions);
  for (const [key, child] of Object.entries(state.states ?? {})) {
    collectSourceMap(child, `${path}.${key}`, nodeId, sourceStates, sourceEdges);
  }
}

function collectRegionStates(
  state: StateNodeJson,
  path: string,
  nodeIds: readonly string[],
  sourceStates: Record<string, SourceMap['states'][string]>,
): void {
  sourceStates[path] = { region: 'sla', nodeIds };
  for (const [key, child] of Object.entries(state.states ?? {})) {
    collectRegionStates(child, `${path}.${key}`, nodeIds, sourceStates);
  }
}

/** Events every state accepts: they change the ticket or record activity without moving it. */
const ROOT_HANDLERS: NonNullable<StateNodeJson['on']> = Object.fromEntries(
  Object.entries(ROOT_EVENT_ACTIONS).map(([event, actions]) => [event, [{ actions }]]),
);

/**
 * Where `TICKET.REOPENED` takes a ticket: the path a dissatisfied survey answer takes (the first
 * survey, in document order, whose `unsatisfied` port is connected), else the first assign node;
 * undefined when the flow has neither (the event is then not accepted).
 */
function getReopenTarget(
  flow: ValidFlow,
  edgesByPort: ReadonlyMap<string, FlowEdge>,
): string | undefined {
  for (const node of flow.nodes) {
    if (node.kind !== 'survey') continue;
    const edge = edgesByPort.get(`${node.id}\u0000unsatisfied`);
    if (edge !== undefined) return edge.target;
  }
  return flow.nodes.find((node) => node.kind === 'assign')?.id;
}

/**
 * Manual close and reopen, accepted wherever the ticket is. `TICKET.CLOSED` closes a resolved
 * ticket (the built-in final state `_closed`; the SLA region stops with the main path).
 * `TICKET.REOPENED` takes a resolved or closed ticket back to the reopen target with status
 * `open`, and restarts the SLA clocks it had with new due times.
 */
function getCloseAndReopen(
  flow: ValidFlow,
  edgesByPort: ReadonlyMap<string, FlowEdge>,
  hasSla: boolean,
): Record<string, TransitionJson[]> {
  const handlers: Record<string, TransitionJson[]> = {
    'TICKET.CLOSED': [
      {
        target: `#${CLOSED_STATE}`,
        guard: { type: 'cel', params: { expression: 'ticket.status == "resolved"' } },
      },
    ],
  };
  const target = getReopenTarget(flow, edgesByPort);
  if (target !== undefined) {
    handlers['TICKET.REOPENED'] = [
      {
        target: `#${target}`,
        guard: {
          type: 'cel',
          params: { expression: 'ticket.status == "resolved" || ticket.status == "closed"' },
        },
        actions: reopenActions({ hasSla }),
      },
    ];
  }
  return handlers;
}

/**
 * XState takes only the deepest transition for an event, so a node handling an event the root
 * also handles (a wait for TICKET.UPDATED, say) would silently skip the root's actions: repeat
 * them first on every such transition of the node and its child states.
 */
function withRootActions(state: StateNodeJson): StateNodeJson {
  const on = state.on === undefined ? undefined : { ...state.on };
  if (on !== undefined) {
    for (const [event, rootActions] of Object.entries(ROOT_EVENT_ACTIONS)) {
      const transitions = on[event];
      if (transitions === undefined) continue;
      on[event] = transitions.map((transition) => {
        const actions = transition.actions ?? [];
        const missing = rootActions.filter(
          (root) => !actions.some((action) => action.type === root.type),
        );
        return missing.length === 0
          ? transition
          : { ...transition, actions: [...missing, ...actions] };
      });
    }
  }
  const states =
    state.states === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(state.states).map(([key, child]) => [key, withRootActions(child)]),
        );
  return {
    ...state,
    ...(on !== undefined && { on }),
    ...(states !== undefined && { states }),
  };
}

/**
 * The SLA clock runs beside the main path. An `sla` node raises `SLA.START` with its targets;
 * timers for response and resolution are effects like every other timer. Waiting on the customer
 * raises `SLA.PAUSE`/`SLA.RESUME`. A breach starts the escalation chain, one level per
 * `sla:escalation` timer. The region stops when the main path ends.
 */
function createSlaRegion(mainStateId: string): StateNodeJson {
  const timer = (name: string) => ({ type: 'timerIs' as const, params: { timer: `sla:${name}` } });
  // However the ticket got resolved (an agent, a resolve action, a survey), the SLA is met.
  const resolved = [
    {
      target: 'met',
      guard: {
        type: 'cel' as const,
        params: { expression: 'ticket.status == "resolved" || ticket.status == "closed"' },
      },
    },
  ];
  return {
    initial: 'idle',
    states: {
      idle: {},
      running: {
        initial: 'active',
        states: {
          active: { on: { 'SLA.PAUSE': [{ target: 'paused' }] } },
          paused: {
            entry: [{ type: 'pauseSla' }],
            exit: [{ type: 'resumeSla' }],
            on: { 'SLA.RESUME': [{ target: 'active' }] },
          },
        },
        on: {
          // Another sla node on the path restarts the clock with its own targets.
          'SLA.START': [{ target: 'running', reenter: true }],
          'AGENT.REPLIED': [{ actions: [{ type: 'markResponded' }] }],
          'TIMER.FIRED': [
            {
              target: 'breached',
              guard: timer('response'),
              actions: [{ type: 'breachSla', params: { target: 'response' } }],
            },
            {
              target: 'breached',
              guard: timer('resolution'),
              actions: [{ type: 'breachSla', params: { target: 'resolution' } }],
            },
          ],
          'AGENT.RESOLVED': [{ target: 'met' }],
        },
        always: resolved,
      },
      breached: {
        entry: [{ type: 'escalate' }],
        on: {
          'TIMER.FIRED': [{ guard: timer('escalation'), actions: [{ type: 'escalate' }] }],
          'AGENT.RESOLVED': [{ target: 'met' }],
        },
        always: resolved,
      },
      met: { entry: [{ type: 'stopSla' }] },
      stopped: { type: 'final', entry: [{ type: 'stopSla' }] },
    },
    on: {
      // Not `reenter`: re-entering a region of the root parallel state would restart the main path.
      'SLA.START': [{ target: '.running' }],
      [`xstate.done.state.${mainStateId}`]: [{ target: '.stopped' }],
    },
  };
}
