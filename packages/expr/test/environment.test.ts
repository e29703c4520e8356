import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createExpressionEnvironment, EXPRESSION_LIMITS } from '../src';
import type { VariableSchema } from '../src';

const schema: VariableSchema = {
  ticket: {
    kind: 'object',
    fields: {
      subject: 'string',
      priority: 'string',
      escalationLevel: 'int',
      tags: { kind: 'list', of: 'string' },
      createdAt: 'timestamp',
      customer: { kind: 'object', fields: { tier: 'string', name: 'string' } },
      fields: { kind: 'object', fields: { orderAmount: 'double', contractTier: 'string' } },
    },
  },
  event: { kind: 'map' },
  now: 'timestamp',
};

const env = createExpressionEnvironment(schema);

describe('check: valid expressions', () => {
  it.each([
    ['ticket.priority == "high"', 'bool'],
    ['ticket.customer.tier == "vip" && ticket.escalationLevel >= 1', 'bool'],
    ['"vip" in ticket.tags', 'bool'],
    ['ticket.subject.contains("login")', 'bool'],
    ['ticket.fields.orderAmount < 100.0', 'bool'],
    ['event.score <= 3', 'bool'],
    ['now - ticket.createdAt > duration("2h")', 'bool'],
    ['ticket.customer.name', 'string'],
  ])('%s has type %s', (source, type) => {
    expect(env.check(source)).toEqual({ ok: true, type });
  });
});

describe('check: invalid expressions name the problem and its position', () => {
  it.each([
    ['ticket.nope', 'type', 'no_such_key', 'No such key: nope', 7, 1, 8],
    [
      'ticket.priority == 2',
      'type',
      'no_such_overload',
      'no such overload: string == int',
      0,
      1,
      1,
    ],
    ['ticket.priority ==', 'parse', 'unexpected_token', 'Unexpected token: EOF', 18, 1, 19],
    ['unknown_var == 1', 'type', 'unknown_variable', 'Unknown variable: unknown_var', 0, 1, 1],
    [
      'ticket.priority == "high" &&\n  ticket.customer.nope',
      'type',
      'no_such_key',
      'No such key: nope',
      47,
      2,
      19,
    ],
  ] as const)('%j', (source, kind, code, message, start, line, column) => {
    const result = env.check(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind, message, span: { start, line, column } });
    expect(result.error.code).toBe(code);
  });

  it('rejects expressions over the length limit without parsing them', () => {
    const source = `ticket.priority == "${'x'.repeat(EXPRESSION_LIMITS.maxSourceLength)}"`;
    const result = env.check(source);
    expect(result).toMatchObject({ ok: false, error: { kind: 'limit', code: 'source_too_long' } });
  });

  it('enforces the structural limits', () => {
    const nested = `${'('.repeat(60)}1${')'.repeat(60)} == 1`;
    expect(env.check(nested)).toMatchObject({ ok: false, error: { kind: 'limit' } });
    const wide = Array.from({ length: 400 }, () => '1').join(' + ') + ' > 0';
    expect(env.check(wide)).toMatchObject({ ok: false, error: { kind: 'limit' } });
  });
});

describe('evaluate', () => {
  const context = env.toContext({
    ticket: {
      subject: 'Cannot log in',
      priority: 'high',
      escalationLevel: 1,
      tags: ['vip'],
      createdAt: '2024-01-01T00:00:00Z',
      customer: { tier: 'vip' },
      fields: { orderAmount: 42.5 },
    },
    event: { score: 2, resolved: false },
    now: '2024-01-01T03:00:00Z',
  });

  it.each([
    ['ticket.priority == "high" && ticket.customer.tier == "vip"', true],
    ['ticket.escalationLevel >= 2', false],
    ['"vip" in ticket.tags', true],
    ['ticket.fields.orderAmount < 100.0', true],
    ['event.score <= 3 || event.resolved == false', true],
    ['now - ticket.createdAt > duration("2h")', true],
    // Missing optional fields evaluate as their zero value instead of failing.
    ['ticket.customer.name == ""', true],
    ['ticket.fields.contractTier == ""', true],
  ])('%s → %s', (source, expected) => {
    const compiled = env.compile(source);
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect(compiled.expression.evaluate(context)).toEqual({ ok: true, value: expected });
  });

  it('reports runtime failures as values, not exceptions', () => {
    const compiled = env.compile('ticket.escalationLevel / 0 == 1');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const result = compiled.expression.evaluate(context);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'evaluation', message: 'division by zero' },
    });
  });

  it('zeroes values that do not fit the declared type', () => {
    const odd = env.toContext({
      ticket: { escalationLevel: 'three', tags: 'vip', createdAt: 'never' },
    });
    const compiled = env.compile('ticket.escalationLevel == 0 && size(ticket.tags) == 0');
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect(compiled.expression.evaluate(odd)).toEqual({ ok: true, value: true });
  });
});

describe('properties', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (source) => {
        const result = env.check(source);
        if (!result.ok) {
          expect(result.error.message.length).toBeGreaterThan(0);
          expect(result.error.span.start).toBeLessThanOrEqual(source.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on expression-shaped text', () => {
    const token = fc.constantFrom(
      'ticket',
      '.',
      'priority',
      'customer',
      'tier',
      '==',
      '!=',
      '&&',
      '||',
      '(',
      ')',
      '"high"',
      '1',
      '2.5',
      'in',
      '[',
      ']',
      'tags',
      'size(',
      ',',
      '!',
      '?',
      ':',
      'event',
      'now',
      'duration("1h")',
      '-',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const compiled = env.compile(tokens.join(' '));
        if (compiled.ok) {
          const result = compiled.expression.evaluate(env.toContext({}));
          expect(typeof result.ok).toBe('boolean');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
