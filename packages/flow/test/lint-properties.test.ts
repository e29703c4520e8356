import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, getNodeKind, hasErrors, lintFlow, NODE_KINDS } from '../src';
import type { FlowDocument, LintResult } from '../src';
import { edge, loadTemplate, node } from './fixtures';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SEGMENT = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** Parse a path made by `toJsonPath` back into segments (a test-only inverse). */
function parsePath(path: string): (string | number)[] {
  expect(path.startsWith('$')).toBe(true);
  const segments: (string | number)[] = [];
  SEGMENT.lastIndex = 1;
  while (SEGMENT.lastIndex < path.length) {
    const match = SEGMENT.exec(path);
    if (match === null) throw new Error(`Not a JSON path: ${path}`);
    const [, name, index, quoted] = match;
    if (name !== undefined) segments.push(name);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push(String(JSON.parse(quoted ?? '""')));
  }
  return segments;
}

/** The child at one path segment, if the input has it. */
function getChild(value: unknown, segment: string | number): { found: boolean; child?: unknown } {
  if (typeof segment === 'number') {
    if (!Array.isArray(value) || segment >= value.length) return { found: false };
    const child: unknown = value[segment];
    return { found: true, child };
  }
  return isRecord(value) && Object.hasOwn(value, segment)
    ? { found: true, child: value[segment] }
    : { found: false };
}

/** True when the path, or the object it names a missing field of, exists in the input. */
function isPathIn(input: unknown, segments: readonly (string | number)[]): boolean {
  let value = input;
  for (const [position, segment] of segments.entries()) {
    const { found, child } = getChild(value, segment);
    if (!found) return position === segments.length - 1;
    value = child;
  }
  return true;
}

/** What every lint result promises, whatever the input. */
function expectWellFormed(input: unknown, result: LintResult): void {
  for (const diagnostic of result.diagnostics) {
    expect(Object.keys(DIAGNOSTIC_CODES)).toContain(diagnostic.code);
    expect(diagnostic.severity).toBe(DIAGNOSTIC_CODES[diagnostic.code]);
    expect(diagnostic.path).toMatch(/^\$/);
    expect(isPathIn(input, parsePath(diagnostic.path))).toBe(true);
    expect(diagnostic.message).toMatch(/^["A-Z].*\.$/s);
  }
  expect(result.flow !== undefined).toBe(!hasErrors(result.diagnostics));
}

function lintChecked(input: unknown): LintResult {
  const result = lintFlow(input);
  expectWellFormed(input, result);
  return result;
}

/** Every string under a `when` key in a node config, as (container, key) to overwrite. */
function findConditions(value: unknown, found: Record<string, unknown>[] = []) {
  if (Array.isArray(value)) for (const item of value) findConditions(item, found);
  else if (isRecord(value)) {
    if (typeof value.when === 'string') found.push(value);
    for (const item of Object.values(value)) findConditions(item, found);
  }
  return found;
}

type Mutation = (document: FlowDocument) => void;

const pick = <T>(items: readonly T[], index: number): T | undefined => items[index % items.length];

/** Strings made of CEL-ish tokens: more of them get past the parser than random text does. */
const celLike = fc
  .array(
    fc.constantFrom(
      'ticket',
      '.',
      'priority',
      'fields',
      'nope',
      'customer',
      'tier',
      'event',
      'score',
      '==',
      '!=',
      '<=',
      '&&',
      '||',
      '!',
      '"high"',
      '2',
      '3.5',
      'true',
      '(',
      ')',
      '[',
      ']',
      'in',
      'size(',
      ' ',
      '\n',
    ),
    { maxLength: 12 },
  )
  .map((tokens) => tokens.join(''));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((index): Mutation => (document) => {
    if (document.nodes.length > 0) document.nodes.splice(index % document.nodes.length, 1);
  }),
  fc.tuple(fc.nat(), fc.string()).map(([index, target]): Mutation => (document) => {
    const chosen = pick(document.edges, index);
    if (chosen) chosen.target = target;
  }),
  fc.tuple(fc.nat(), fc.jsonValue()).map(([index, config]): Mutation => (document) => {
    const chosen = pick(document.nodes, index);
    if (chosen) Object.assign(chosen, { config });
  }),
  fc
    .tuple(fc.nat(), fc.oneof(fc.string(), celLike))
    .map(([index, source]): Mutation => (document) => {
      const chosen = pick(findConditions(document.nodes.map((entry) => entry.config)), index);
      if (chosen) chosen.when = source;
    }),
);

describe('lintFlow never throws and its diagnostics are well-formed', () => {
  it('for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        lintChecked(value);
      }),
      { numRuns: 300 },
    );
  });

  it('for any JSON value under a valid schemaVersion', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        lintChecked({ ...value, schemaVersion: 1 });
      }),
      { numRuns: 300 },
    );
  });

  it('for any JavaScript value at all (not only JSON)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true }),
        (value) => {
          lintChecked(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for the template after random mutations', () => {
    const template = loadTemplate();
    expect(lintFlow(template).diagnostics).toEqual([]);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const document = structuredClone(template);
        for (const apply of mutations) apply(document);
        lintChecked(document);
      }),
      { numRuns: 300 },
    );
  });

  it('for random graphs of valid nodes', () => {
    // An intake and up to 7 nodes of random kinds (default configs), wired by random edges that
    // mostly use ports the source really has: exercises ports, reachability and loops.
    const graph = fc.array(fc.constantFrom(...NODE_KINDS), { maxLength: 7 }).chain((kinds) => {
      const all = ['intake' as const, ...kinds];
      const nodes = all.map((kind, index) =>
        node(`n${index}`, kind, structuredClone(getNodeKind(kind).defaultConfig)),
      );
      const portsOf = all.map((kind) =>
        getNodeKind(kind)
          .getPorts(getNodeKind(kind).defaultConfig)
          .map((port) => port.id),
      );
      const wire = fc
        .tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat({ max: 9 }))
        .map(([from, port, to, dice]) => {
          const source = from % all.length;
          const ports = portsOf[source] ?? [];
          const sourcePort = dice > 0 ? (ports[port % Math.max(ports.length, 1)] ?? 'x') : 'x';
          return edge(`n${source}`, sourcePort, `n${to % all.length}`, `e${from}-${port}-${to}`);
        });
      return fc.record({
        nodes: fc.constant(nodes),
        edges: fc.uniqueArray(wire, { maxLength: 16, selector: (wired) => wired.id }),
      });
    });
    fc.assert(
      fc.property(graph, ({ nodes, edges }) => {
        lintChecked({
          schemaVersion: 1,
          id: 'random',
          name: 'Random',
          teams: [{ id: 'support', name: 'Support' }],
          nodes,
          edges,
        });
      }),
      { numRuns: 500 },
    );
  });
});
