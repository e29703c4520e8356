import { createExpressionEnvironment } from '@switchyard/expr';
import { getConditionSchema } from '@switchyard/flow';
import type { TicketField } from '@switchyard/flow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulationCache, createSimulationVersion, simulate } from '../src';
import { buildFlow } from './fixtures';

// The engine converts only the ticket and event fields a condition reads into CEL values. These
// conditions read fields in every way CEL allows; each must decide exactly as it does over the
// whole ticket and event converted by the expression environment.

const TICKET_FIELDS: TicketField[] = [
  { key: 'amount', label: 'Amount', type: 'number' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
  { key: 'region', label: 'Region', type: 'enum', options: ['eu', 'cn', 'us'] },
];

const CONDITIONS = [
  'ticket.customer.tier == "vip"',
  'ticket.fields.amount >= 500.0',
  'has(ticket.fields.amount) && ticket.fields.amount < 100.0',
  '"login" in ticket.tags',
  'ticket.tags.exists(t, t == "vip")',
  'size(ticket.subject) > 10 && ticket.channel == "web"',
  'ticket.impact != "single" || ticket.customer.tier == "vip"',
  'ticket.subject.contains("ticket.priority")',
  '[ticket.priority, ticket.impact].exists(x, x == "multiple")',
  'ticket . fields . region == "eu" && ticket.fields.vip',
  'event.ticket.subject.startsWith("A")',
  'event.type == "TICKET.CREATED" && ticket.customer.email.endsWith(".cn")',
  'now > timestamp("2026-01-01T00:00:00Z") && ticket.description == ""',
];

const start = Date.parse('2026-03-02T01:00:00Z');
const env = createExpressionEnvironment(getConditionSchema(TICKET_FIELDS));
const cache = createSimulationCache();

function compile(when: string) {
  const { version, diagnostics } = createSimulationVersion(
    buildFlow(
      [
        {
          id: 'check',
          kind: 'condition',
          config: { branches: [{ id: 'yes', label: 'Yes', when }] },
        },
        { id: 'yes-end', kind: 'end', config: { outcome: 'resolved' } },
        { id: 'no-end', kind: 'end', config: { outcome: 'closed' } },
      ],
      ['in.next -> check', 'check.yes -> yes-end', 'check.else -> no-end'],
      { ticketFields: TICKET_FIELDS },
    ),
  );
  if (version === undefined) throw new Error(`${when}: ${JSON.stringify(diagnostics)}`);
  return { ...version, id: when };
}
const versions = new Map(CONDITIONS.map((when) => [when, compile(when)]));

const ticketInput = fc.record({
  subject: fc.constantFrom('Agent login fails', 'A', 'About ticket.priority', 'Invoice'),
  description: fc.constantFrom('', 'details'),
  channel: fc.constantFrom('web' as const, 'email' as const),
  impact: fc.constantFrom('single' as const, 'multiple' as const, 'all' as const),
  tags: fc.subarray(['login', 'vip', 'refund']),
  customer: fc.record({
    email: fc.constantFrom('a@example.com', 'b@corp.cn'),
    tier: fc.constantFrom('standard' as const, 'vip' as const),
  }),
  fields: fc.record(
    {
      amount: fc.double({ min: 0, max: 1000, noNaN: true }),
      vip: fc.boolean(),
      region: fc.constantFrom('eu', 'cn', 'us'),
    },
    { requiredKeys: [] },
  ),
});

describe('conditions read only the fields they name', () => {
  it('decide as over the whole ticket and event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CONDITIONS), ticketInput, async (when, ticket) => {
        const version = versions.get(when);
        if (version === undefined) throw new Error('not compiled');
        const result = await simulate({ version, ticket, start, cache, until: '1h' });
        // The ticket as the condition saw it: created, then marked new by the intake.
        const seen = { ...result.ticket, status: 'new' };
        const compiled = env.compile(when);
        if (!compiled.ok) throw new Error(compiled.error.message);
        const expected = compiled.expression.evaluate(
          env.toContext({
            ticket: seen,
            event: { type: 'TICKET.CREATED', ticket: seen },
            now: new Date(start).toISOString(),
          }),
        );
        if (!expected.ok) throw new Error(expected.error.message);
        const guard = result.steps[0]?.guards.find((g) => g.expression === when);
        expect(guard?.result).toBe(expected.value);
        expect(result.path.at(-1)).toBe(expected.value === true ? 'yes-end' : 'no-end');
      }),
      { numRuns: 300 },
    );
  });

  it('covers both outcomes of every condition', async () => {
    // Without this, a condition that is always false would pass the property above trivially.
    const outcomes = new Map<string, Set<boolean>>();
    const inputs = fc.sample(ticketInput, { numRuns: 200, seed: 6 });
    for (const when of CONDITIONS) {
      const version = versions.get(when);
      if (version === undefined) throw new Error('not compiled');
      for (const ticket of inputs) {
        const result = await simulate({ version, ticket, start, cache, until: '1h' });
        const seen = outcomes.get(when) ?? new Set<boolean>();
        seen.add(result.path.at(-1) === 'yes-end');
        outcomes.set(when, seen);
      }
    }
    for (const when of CONDITIONS) expect([when, outcomes.get(when)?.size]).toEqual([when, 2]);
  });
});
