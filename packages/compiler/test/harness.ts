import { createExpressionEnvironment } from '@switchyard/expr';
import type { CompiledExpression } from '@switchyard/expr';
import { getConditionSchema } from '@switchyard/flow';
import type { TicketField } from '@switchyard/flow';
import { assign, raise, setup } from 'xstate';
import type { MachineJson } from '../src';

/**
 * A minimal stand-in for the engine, enough to drive compiled machines in tests: CEL guards are
 * real, timers are recorded, `classify` and `prioritize` read their params. The real engine
 * lives in packages/engine.
 */
export interface HarnessContext {
  ticket: {
    category: string | null;
    priority: string;
    status: string;
    subject: string;
    customer: { tier: string };
  };
  visited: string[];
  timers: string[];
}

interface Params {
  [key: string]: unknown;
}

/** The events tests send; the compiled machine reads `timerId`, `score`, … through guards. */
export interface HarnessEvent {
  type: string;
  timerId?: string;
  score?: number;
  resolved?: boolean;
  approved?: boolean;
  nodeId?: string;
  ok?: boolean;
}

export function createHarnessMachine(json: MachineJson, ticketFields: readonly TicketField[] = []) {
  const env = createExpressionEnvironment(getConditionSchema(ticketFields));
  const cache = new Map<string, CompiledExpression>();
  const compiled = (source: string): CompiledExpression => {
    let expression = cache.get(source);
    if (expression === undefined) {
      const result = env.compile(source);
      if (!result.ok) throw new Error(`${source}: ${result.error.message}`);
      expression = result.expression;
      cache.set(source, expression);
    }
    return expression;
  };
  const machine = setup({
    types: {
      context: {} as HarnessContext,
      events: {} as HarnessEvent,
      input: {} as HarnessContext['ticket'],
    },
    guards: {
      cel: ({ context, event }, params: Params) => {
        const result = compiled(String(params.expression)).evaluate(
          env.toContext({ ticket: context.ticket, event, now: '2024-01-01T00:00:00Z' }),
        );
        return result.ok && result.value === true;
      },
      timerIs: ({ event }, params: Params) => event.timerId === params.timer,
    },
    actions: {
      enterNode: assign(({ context }, params: Params) => ({
        visited: [...context.visited, String(params.nodeId)],
        ticket:
          typeof params.status === 'string'
            ? { ...context.ticket, status: params.status }
            : context.ticket,
      })),
      classify: assign(({ context }, params: Params) => {
        const rules = params.rules as { category: string; any?: string[] }[]; // test stand-in only
        const subject = context.ticket.subject.toLowerCase();
        const match = rules.find((rule) =>
          rule.any?.some((keyword) => subject.includes(keyword.toLowerCase())),
        );
        return { ticket: { ...context.ticket, category: match?.category ?? null } };
      }),
      prioritize: assign(({ context }, params: Params) => ({
        ticket: { ...context.ticket, priority: String(params.default) },
      })),
      startSla: raise({ type: 'SLA.START' }),
      raiseSlaEvent: raise((_, params: Params) => ({ type: String(params.event) })),
      scheduleTimer: assign(({ context }, params: Params) => ({
        timers: [...context.timers, String(params.timer)],
      })),
      cancelTimer: assign(({ context }, params: Params) => ({
        timers: context.timers.filter((timer) => timer !== params.timer),
      })),
    },
  });
  const config = {
    ...json,
    context: ({ input }: { input: HarnessContext['ticket'] }) => ({
      ticket: input,
      visited: [],
      timers: [],
    }),
  };
  return machine.createMachine(config as unknown as Parameters<typeof machine.createMachine>[0]);
}
