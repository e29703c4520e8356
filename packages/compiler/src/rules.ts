import type { NodeConfig, NodeKind, TicketStatus, ValidNode } from '@switchyard/flow';
import { parseDuration } from '@switchyard/flow';
import type {
  ActionRef,
  GuardRef,
  JsonValue,
  StateNodeJson,
  TransitionJson,
} from './machine-types';

/** What a compile rule may ask about the node's surroundings. */
export interface RuleContext {
  /** The transition for an output port, or undefined if the (optional) port is unconnected. */
  port(portId: string, extra?: Omit<TransitionJson, 'target' | 'meta'>): TransitionJson | undefined;
  /** True when the flow has an SLA region the node can pause or resume. */
  readonly hasSla: boolean;
}

type CompileRule<TKind extends NodeKind> = (
  node: Extract<ValidNode, { kind: TKind }>,
  context: RuleContext,
) => StateNodeJson;

/** Plain data from a config object (zod output is JSON-compatible already). */
function json(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

function enter(node: ValidNode, status?: TicketStatus): ActionRef {
  return {
    type: 'enterNode',
    params: { nodeId: node.id, kind: node.kind, ...(status !== undefined && { status }) },
  };
}

function celGuard(expression: string): GuardRef {
  return { type: 'cel', params: { expression } };
}

function timerGuard(timer: string): GuardRef {
  return { type: 'timerIs', params: { timer } };
}

/** Timers are effects, never XState `after` delays (those are not persisted: statelyai/xstate#5331). */
function schedule(timer: string, delay: string, calendar?: string): ActionRef {
  return {
    type: 'scheduleTimer',
    params: {
      timer,
      delay,
      ms: parseDuration(delay) ?? 0,
      ...(calendar !== undefined && { calendar }),
    },
  };
}

function cancel(timer: string): ActionRef {
  return { type: 'cancelTimer', params: { timer } };
}

/**
 * What the machine's root does on events any node may also handle. XState takes only the
 * deepest handler, so a node that handles one of these events repeats the root's actions
 * (compile.ts adds them to every such transition).
 */
export const ROOT_EVENT_ACTIONS: Readonly<Record<string, readonly ActionRef[]>> = {
  'TICKET.UPDATED': [{ type: 'applyUpdate' }],
  'TICKET.TRANSFERRED': [{ type: 'transfer' }],
  'COMMENT.ADDED': [{ type: 'recordActivity' }],
  'AGENT.REPLIED': [{ type: 'recordActivity' }],
  'CUSTOMER.REPLIED': [{ type: 'recordActivity' }],
};

/**
 * What every reopen does, however it comes (a dissatisfied survey answer, `TICKET.REOPENED`):
 * status open, the assignee's slot taken again, and the SLA clocks restarted from now.
 */
export function reopenActions(context: { readonly hasSla: boolean }): ActionRef[] {
  return [{ type: 'reopenTicket' }, ...(context.hasSla ? [{ type: 'restartSla' as const }] : [])];
}

function present<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

/** A node that does its work on entry and moves straight on through its `next` port. */
function passThrough(
  node: ValidNode,
  context: RuleContext,
  work: readonly ActionRef[],
  status?: TicketStatus,
): StateNodeJson {
  return { entry: [enter(node, status), ...work], always: present([context.port('next')]) };
}

function message(config: { subject: string; body: string }): JsonValue {
  return { subject: config.subject, body: config.body };
}

/** The string literal of a CEL expression, escaped. */
function celString(value: string): string {
  return JSON.stringify(value);
}

const END_STATUS: Record<NodeConfig<'end'>['outcome'], TicketStatus> = {
  resolved: 'resolved',
  closed: 'closed',
  rejected: 'closed',
  cancelled: 'cancelled',
};

/**
 * How each node kind becomes a state. Exhaustive over the catalog: a new node kind without a rule
 * here fails to type-check.
 */
export const COMPILE_RULES: { readonly [K in NodeKind]: CompileRule<K> } = {
  intake: (node, context) =>
    passThrough(
      node,
      context,
      node.config.acknowledge
        ? [
            {
              type: 'sendMessage',
              params: {
                nodeId: node.id,
                channel: 'email',
                to: ['customer'],
                message: message(node.config.acknowledgement),
              },
            },
          ]
        : [],
      'new',
    ),

  classify: (node, context) => ({
    entry: [
      enter(node),
      {
        type: 'classify',
        params: {
          nodeId: node.id,
          mode: node.config.mode,
          categories: node.config.categories.map((c) => c.id),
          rules: json(node.config.rules),
          model: json(node.config.model),
        },
      },
    ],
    always: present([
      ...node.config.categories.map((category) =>
        context.port(category.id, {
          guard: celGuard(`ticket.category == ${celString(category.id)}`),
        }),
      ),
      context.port('unknown'),
    ]),
  }),

  prioritize: (node, context) =>
    passThrough(node, context, [
      {
        type: 'prioritize',
        params: { nodeId: node.id, rules: json(node.config.rules), default: node.config.default },
      },
    ]),

  assign: (node, context) =>
    passThrough(
      node,
      context,
      [
        {
          type: 'assign',
          params: {
            nodeId: node.id,
            teamRules: json(node.config.teamRules),
            team: node.config.team,
            strategy: node.config.strategy,
            requiredSkills: node.config.requiredSkills,
          },
        },
      ],
      'open',
    ),

  condition: (node, context) => ({
    entry: [enter(node)],
    always: present([
      ...node.config.branches.map((branch) =>
        context.port(branch.id, { guard: celGuard(branch.when) }),
      ),
      context.port('else'),
    ]),
  }),

  approval: (node, context) => {
    const timer = `${node.id}:timeout`;
    const record = (decision: string): ActionRef => ({
      type: 'recordApproval',
      params: { nodeId: node.id, decision },
    });
    return {
      entry: [
        enter(node),
        {
          type: 'sendMessage',
          params: {
            nodeId: node.id,
            channel: 'email',
            to: ['approvers'],
            approver: node.config.approver,
            message: message(node.config.request),
          },
        },
        schedule(timer, node.config.timeout, node.config.calendar),
      ],
      exit: [cancel(timer)],
      on: {
        'APPROVAL.DECIDED': present([
          context.port('approved', {
            guard: celGuard('event.approved == true'),
            actions: [record('approved')],
          }),
          context.port('rejected', { actions: [record('rejected')] }),
        ]),
        'TIMER.FIRED': present([
          context.port('timeout', { guard: timerGuard(timer), actions: [record('timeout')] }),
        ]),
      },
    };
  },

  wait: (node, context) => {
    const timer = `${node.id}:timeout`;
    const pending = node.config.status === 'pending' && context.hasSla;
    const timeout = node.config.timeout;
    const event = node.config.event;
    const when = node.config.when;
    const base: StateNodeJson = {
      entry: present([
        enter(node, node.config.status),
        pending ? { type: 'raiseSlaEvent', params: { event: 'SLA.PAUSE' } } : undefined,
        timeout !== undefined ? schedule(timer, timeout, node.config.calendar) : undefined,
      ]),
      exit: present([
        timeout !== undefined ? cancel(timer) : undefined,
        pending ? { type: 'raiseSlaEvent', params: { event: 'SLA.RESUME' } } : undefined,
      ]),
    };
    const onTimeout = timeout !== undefined && {
      'TIMER.FIRED': present([context.port('timeout', { guard: timerGuard(timer) })]),
    };
    const rootActions = ROOT_EVENT_ACTIONS[event];
    if (when !== undefined && rootActions !== undefined) {
      // The event changes the ticket (an update, a transfer): apply it first, then test `when`
      // against the changed ticket. Staying in the node keeps its timer running.
      return {
        ...base,
        initial: 'waiting',
        states: {
          waiting: {},
          checking: {
            always: present([
              context.port('received', { guard: celGuard(when) }),
              { target: 'waiting' },
            ]),
          },
        },
        on: { [event]: [{ target: '.checking', actions: [...rootActions] }], ...onTimeout },
      };
    }
    return {
      ...base,
      on: {
        [event]: present([
          context.port('received', when === undefined ? {} : { guard: celGuard(when) }),
        ]),
        ...onTimeout,
      },
    };
  },

  sla: (node, context) =>
    passThrough(node, context, [
      {
        type: 'startSla',
        params: {
          nodeId: node.id,
          targets: json(node.config.targets),
          escalation: node.config.escalation.map((level) => ({
            delay: level.after,
            ms: parseDuration(level.after) ?? 0,
            reassignTo: level.reassignTo,
            notify: level.notify,
            message: message(level.message),
          })),
          ...(node.config.repeatEvery !== undefined && {
            repeatMs: parseDuration(node.config.repeatEvery) ?? 0,
          }),
          ...(node.config.calendar !== undefined && { calendar: node.config.calendar }),
        },
      },
    ]),

  notify: (node, context) => {
    const config = node.config;
    const params: Record<string, JsonValue> =
      config.channel === 'webhook'
        ? { nodeId: node.id, channel: 'webhook', url: config.url, message: message(config.message) }
        : {
            nodeId: node.id,
            channel: config.channel,
            to: config.to,
            message: message(config.message),
          };
    return passThrough(node, context, [{ type: 'sendMessage', params }]);
  },

  action: (node, context) => {
    const config = node.config;
    switch (config.type) {
      case 'set-fields':
        return passThrough(node, context, [
          { type: 'setFields', params: { nodeId: node.id, set: json(config.set) } },
        ]);
      case 'resolve':
        return passThrough(
          node,
          context,
          [{ type: 'resolveTicket', params: { nodeId: node.id, note: config.note } }],
          'resolved',
        );
      case 'http': {
        const forThisNode = `event.nodeId == ${celString(node.id)}`;
        return {
          entry: [
            enter(node),
            {
              type: 'callHttp',
              params: {
                nodeId: node.id,
                method: config.method,
                url: config.url,
                headers: config.headers,
                body: config.body,
                timeoutMs: parseDuration(config.timeout) ?? 10_000,
              },
            },
          ],
          on: {
            'ACTION.COMPLETED': present([
              context.port('success', {
                guard: celGuard(`${forThisNode} && event.ok == true`),
                actions: [
                  { type: 'applyHttpResult', params: { nodeId: node.id, map: json(config.map) } },
                ],
              }),
              context.port('failure', { guard: celGuard(forThisNode) }),
            ]),
          },
        };
      }
    }
  },

  survey: (node, context) => {
    const send = `${node.id}:send`;
    const expire = `${node.id}:expire`;
    const record: ActionRef = {
      type: 'recordSurvey',
      params: { nodeId: node.id, threshold: node.config.threshold },
    };
    return {
      initial: 'scheduled',
      entry: [enter(node, 'resolved')],
      states: {
        scheduled: {
          entry: [schedule(send, node.config.delay)],
          exit: [cancel(send)],
          on: { 'TIMER.FIRED': [{ target: 'sent', guard: timerGuard(send) }] },
        },
        sent: {
          entry: [
            {
              type: 'sendMessage',
              params: {
                nodeId: node.id,
                channel: 'email',
                to: ['customer'],
                message: message(node.config.message),
                survey: true,
              },
            },
            schedule(expire, node.config.expiresAfter),
          ],
          exit: [cancel(expire)],
          on: { 'TIMER.FIRED': present([context.port('timeout', { guard: timerGuard(expire) })]) },
        },
      },
      on: {
        'SURVEY.ANSWERED': present([
          context.port('satisfied', {
            guard: celGuard(`event.score > ${node.config.threshold} && event.resolved == true`),
            actions: [record],
          }),
          // The same reopen as `TICKET.REOPENED` (status open, SLA clocks restarted).
          context.port('unsatisfied', { actions: [record, ...reopenActions(context)] }),
        ]),
      },
    };
  },

  end: (node) => ({
    type: 'final',
    entry: present([
      enter(node, END_STATUS[node.config.outcome]),
      node.config.message === undefined
        ? undefined
        : {
            type: 'sendMessage',
            params: {
              nodeId: node.id,
              channel: 'email',
              to: ['customer'],
              message: message(node.config.message),
            },
          },
      { type: 'endTicket', params: { nodeId: node.id, outcome: node.config.outcome } },
    ]),
  }),
};
