import { createExpressionEnvironment } from '@switchyard/expr';
import {
  checkPlaceholder,
  getConditionSchema,
  getNodeKind,
  lintFlow,
  NODE_KINDS,
} from '@switchyard/flow';
import type { TicketField } from '@switchyard/flow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCondition, getCelCompletions } from '../src/designer/model/cel';
import { getAtPath } from '../src/designer/model/edits';
import { getPlaceholderOptions, insertPlaceholder } from '../src/designer/model/placeholders';
import { describeSchema, getInitialValue } from '../src/designer/model/schema-form';
import type { FieldSpec } from '../src/designer/model/schema-form';

const FIELDS: TicketField[] = [
  { key: 'orderAmount', label: 'Order amount', type: 'number' },
  { key: 'product', label: 'Product', type: 'enum', options: ['console', 'api'] },
];

/** Every field spec in a tree, with its path (list items as 0). */
function walk(spec: FieldSpec, path: (string | number)[] = []): [FieldSpec, (string | number)[]][] {
  const out: [FieldSpec, (string | number)[]][] = [[spec, path]];
  switch (spec.kind) {
    case 'object':
      for (const field of spec.fields) out.push(...walk(field.spec, [...path, field.key]));
      break;
    case 'variant':
      for (const variant of spec.variants) out.push(...walk(variant.spec, path));
      break;
    case 'list':
      out.push(...walk(spec.item, [...path, 0]));
      break;
    default:
      break;
  }
  return out;
}

describe('forms generated from the catalog', () => {
  it('describes every kind, with CEL fields exactly where the catalog says conditions are', () => {
    for (const kind of NODE_KINDS) {
      const definition = getNodeKind(kind);
      const spec = describeSchema(definition.configSchema);
      expect(['object', 'variant']).toContain(spec.kind);
      expect(walk(spec).some(([field]) => field.kind === 'unknown')).toBe(false);
      const celPaths = walk(spec)
        .filter(([field]) => field.kind === 'cel')
        .map(([, path]) => path.join('.'));
      // A config with every optional condition filled in: the catalog lists its expressions.
      const config = structuredClone(definition.defaultConfig) as Record<string, unknown>;
      for (const path of celPaths) {
        const segments = path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        const parent = getAtPath(config, segments.slice(0, -1));
        if (typeof parent === 'object' && parent !== null) {
          (parent as Record<string, unknown>)[String(segments.at(-1))] = 'true';
        }
      }
      const parsed = definition.configSchema.parse(config);
      const expressionPaths = definition.getExpressions(parsed).map((e) => e.path.join('.'));
      for (const path of expressionPaths) {
        expect(
          celPaths
            .map((p) => new RegExp(`^${p.replace(/\.0(\.|$)/g, '\\.\\d+$1')}$`))
            .some((re) => re.test(path)),
        ).toBe(true);
      }
    }
  });

  it('finds durations by what the schema accepts, and knows which may be zero', () => {
    const sla = describeSchema(getNodeKind('sla').configSchema);
    const byPath = new Map(walk(sla).map(([field, path]) => [path.join('.'), field]));
    expect(byPath.get('targets.high.response')).toEqual({ kind: 'duration', allowZero: false });
    expect(byPath.get('escalation.0.after')).toEqual({ kind: 'duration', allowZero: true });
    expect(byPath.get('escalation.0.notify')?.kind).toBe('tags');
    expect(byPath.get('escalation.0.message')).toEqual({ kind: 'message' });
    const survey = describeSchema(getNodeKind('survey').configSchema);
    expect(walk(survey).find(([, path]) => path.join('.') === 'threshold')?.[0]).toEqual({
      kind: 'number',
      min: 1,
      max: 4,
      integer: true,
    });
    const notify = describeSchema(getNodeKind('notify').configSchema);
    expect(notify.kind === 'variant' && notify.variants.map((v) => v.value)).toEqual([
      'email',
      'in-app',
      'webhook',
    ]);
  });

  it('a new list item or variant starts from values its schema accepts where it can', () => {
    const action = describeSchema(getNodeKind('action').configSchema);
    if (action.kind !== 'variant') throw new Error('action is a variant');
    const resolve = action.variants.find((v) => v.value === 'resolve');
    expect(
      resolve &&
        getNodeKind('action').configSchema.safeParse(getInitialValue(resolve.spec)).success,
    ).toBe(true);
    const sla = describeSchema(getNodeKind('sla').configSchema);
    const level = walk(sla).find(([, path]) => path.join('.') === 'escalation.0')?.[0];
    expect(level && getInitialValue(level)).toMatchObject({
      after: '0m',
      reassignTo: 'none',
      notify: [],
    });
  });
});

describe('CEL editing', () => {
  const schema = getConditionSchema(FIELDS);
  const environment = createExpressionEnvironment(schema);

  it('completes ticket fields, nested fields and the flow’s custom fields', () => {
    const labels = (text: string) => getCelCompletions(schema, text).map((c) => c.label);
    expect(labels('ticket.')).toEqual(
      expect.arrayContaining(['priority', 'customer', 'fields', 'tags']),
    );
    expect(labels('ticket.customer.')).toEqual([
      'id',
      'name',
      'email',
      'phone',
      'tier',
      'language',
    ]);
    expect(labels('ticket.priority == "high" && ticket.fields.')).toEqual([
      'orderAmount',
      'product',
    ]);
    expect(labels('ticket.subject.')).toContain('contains');
    expect(labels('')).toEqual(
      expect.arrayContaining(['ticket', 'event', 'now', 'has', 'size', 'true']),
    );
    expect(labels('ticket.subject == "ticket.')).toEqual([]);
  });

  it('places a syntax error where the expression breaks, like lint does', () => {
    const [problem] = checkCondition(environment, 'ticket.priority ==');
    expect(problem).toMatchObject({ startLineNumber: 1 });
    expect(problem?.message).toMatch(/Unexpected/);
    const lint = lintFlow({
      schemaVersion: 1,
      id: 'f',
      name: 'f',
      ticketFields: FIELDS,
      nodes: [
        { id: 'intake', kind: 'intake', position: { x: 0, y: 0 }, config: { channels: ['web'] } },
        {
          id: 'c',
          kind: 'condition',
          position: { x: 0, y: 0 },
          config: { branches: [{ id: 'b', label: 'B', when: 'ticket.priority ==' }] },
        },
      ],
      edges: [],
    });
    const cel = lint.diagnostics.find((d) => d.code === 'cel-syntax');
    // The marker covers the column lint reports (an error at the very end gets one character).
    const column = cel?.span?.column ?? 0;
    expect(problem?.startColumn).toBeLessThanOrEqual(column);
    expect(problem?.endColumn).toBeGreaterThanOrEqual(column);
    expect(checkCondition(environment, 'ticket.fields.orderAmount > 100.0')).toEqual([]);
    expect(checkCondition(environment, 'ticket.priority')[0]?.message).toMatch(/not true\/false/);
    expect(checkCondition(environment, 'ticket.nope == 1')[0]?.message).toMatch(/nope/);
    expect(checkCondition(environment, '  ')).toHaveLength(1);
  });

  it('never throws on any text and reports positions inside it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        for (const problem of checkCondition(environment, text)) {
          const lines = text.split('\n');
          expect(problem.startLineNumber).toBeGreaterThanOrEqual(1);
          expect(problem.endLineNumber).toBeLessThanOrEqual(Math.max(1, lines.length));
          expect(problem.startColumn).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });
});

describe('message placeholders', () => {
  it('offers only placeholders lint accepts, custom fields and links included', () => {
    const options = getPlaceholderOptions(FIELDS);
    const schema = getConditionSchema(FIELDS);
    expect(options.every((option) => checkPlaceholder(option.path, schema) === null)).toBe(true);
    expect(options.map((o) => o.path)).toEqual(
      expect.arrayContaining([
        'ticket.number',
        'ticket.customer.name',
        'ticket.fields.orderAmount',
        'links.survey',
      ]),
    );
    expect(options.find((o) => o.path === 'ticket.fields.product')).toEqual({
      path: 'ticket.fields.product',
      group: 'custom',
      label: 'Product',
    });
  });

  it('inserts at the caret or over the selection', () => {
    expect(insertPlaceholder('Hello , bye', 6, 6, 'ticket.customer.name')).toEqual({
      text: 'Hello {{ticket.customer.name}}, bye',
      caret: 30,
    });
    expect(insertPlaceholder('Ticket XXX', 7, 10, 'ticket.number').text).toBe(
      'Ticket {{ticket.number}}',
    );
    expect(insertPlaceholder('', 99, 120, 'links.ticket')).toEqual({
      text: '{{links.ticket}}',
      caret: 16,
    });
  });
});
