import { createExpressionEnvironment } from '@switchyard/expr';
import type { CompiledExpression } from '@switchyard/expr';
import { getConditionSchema } from '@switchyard/flow';
import type { TicketField } from '@switchyard/flow';
import { assign, createMachine, raise, setup } from 'xstate';
import type { AnyStateMachine } from 'xstate';
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

export function createHarnessMachine(
  json: MachineJson,
  ticketFields: readonly TicketField[] = [],
): AnyStateMachine {
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
    types: {} as { context: HarnessContext; events: { type: string; [key: string]: unknown } },
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
        const rules = params.rules as { category: string; any?: string[] }[];
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
  return machine.createMachine({
    ...(json as unknown as Parameters<typeof createMachine>[0]),
    context: ({ input }: { input: HarnessContext['ticket'] }) => ({
      ticket: input,
      visited: [],
      timers: [],
    }),
  } as never);
}
