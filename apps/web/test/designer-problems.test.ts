import { DIAGNOSTIC_CODES, lintFlow, toJsonPath } from '@switchyard/flow';
import type { Diagnostic, FlowDocument } from '@switchyard/flow';
import fc from 'fast-check';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../src/i18n/locales/en/designer.json';
import zh from '../src/i18n/locales/zh-CN/designer.json';
import { layoutFlow } from '../src/designer/model/layout';
import { formatFlowText, parseFlowText } from '../src/designer/model/json-text';
import { lintDocument, locateDiagnostic, parseJsonPath } from '../src/designer/model/problems';
import { translateDiagnostic } from '../src/designer/ui/diagnostic-text';
import { emptyDoc } from './designer-arbitraries';

const node = (id: string, kind: string, config: Record<string, unknown>, x = 0) => ({
  id,
  kind,
  position: { x, y: 0 },
  config,
});
const intake = (id = 'intake') => node(id, 'intake', { channels: ['web'] });
const end = (id = 'done') => node(id, 'end', { outcome: 'resolved' });
const edge = (id: string, source: string, sourcePort: string, target: string) => ({
  id,
  source,
  sourcePort,
  target,
});

/** Broken flows that between them raise every diagnostic lint has (except reserved ones). */
function brokenFlows(): unknown[] {
  const base = { schemaVersion: 1, id: 'f', name: 'F' };
  return [
    'not a flow',
    { ...base, schemaVersion: 9, nodes: [], edges: [] },
    { ...base, nodes: [end()], edges: [] },
    {
      ...base,
      ticketFields: [{ key: 'amount', label: 'Amount', type: 'number' }],
      nodes: [
        intake(),
        intake('intake2'),
        end(),
        end('done'),
        node('weird', 'teleport', {}),
        node('broken', 'wait', { event: 'NEVER' }),
        node('c', 'condition', {
          branches: [
            { id: 'a', label: 'A', when: 'ticket.priority ==' },
            { id: 'b', label: 'B', when: 'ticket.priority' },
            { id: 'd', label: 'D', when: 'ticket.fields.nope == 1' },
            { id: 'e', label: 'E', when: 'ticket.fields.amount == "x"' },
          ],
        }),
        node('assign', 'assign', { team: 'ghosts' }),
        node('wait', 'wait', { event: 'CUSTOMER.REPLIED', calendar: 'nowhere' }),
        node('tell', 'notify', {
          channel: 'email',
          to: ['customer'],
          message: { body: 'Hi {{ticket.nope}}' },
        }),
        node('act', 'action', { type: 'set-fields', set: [{ field: 'fields.ghost', value: 1 }] }),
        node('p1', 'prioritize', {}),
        node('p2', 'prioritize', {}),
        node('lonely', 'prioritize', {}),
      ],
      edges: [
        edge('e1', 'intake', 'next', 'c'),
        edge('e1', 'c', 'a', 'done'),
        edge('e2', 'ghost', 'next', 'done'),
        edge('e3', 'c', 'b', 'ghost'),
        edge('e4', 'c', 'nope', 'done'),
        edge('e5', 'c', 'd', 'done'),
        edge('e6', 'c', 'd', 'assign'),
        edge('e7', 'assign', 'next', 'intake'),
        edge('e8', 'p1', 'next', 'p2'),
        edge('e9', 'p2', 'next', 'p1'),
      ],
    },
  ];
}

function allDiagnostics(): Diagnostic[] {
  return brokenFlows().flatMap((flow) => lintFlow(flow).diagnostics);
}

async function translator(language: 'en' | 'zh-CN') {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { en: { designer: en }, 'zh-CN': { designer: zh } },
    lng: language,
    fallbackLng: 'en',
    ns: ['designer'],
    defaultNS: 'designer',
    interpolation: { escapeValue: false },
  });
  return instance.getFixedT(language, 'designer');
}

describe('problems', () => {
  it('the broken flows raise every diagnostic code lint raises today', () => {
    const codes = new Set(allDiagnostics().map((d) => d.code));
    const reserved = ['invalid-json', 'unknown-category'];
    expect([...codes].sort()).toEqual(
      Object.keys(DIAGNOSTIC_CODES)
        .filter((code) => !reserved.includes(code))
        .sort(),
    );
  });

  it('every diagnostic reads as a Chinese sentence with its ids filled in', async () => {
    const t = await translator('zh-CN');
    for (const diagnostic of allDiagnostics()) {
      const text = translateDiagnostic(diagnostic, t);
      expect(text, diagnostic.code).not.toMatch(/\{\{|\}\}(?!\})/);
      expect(text, diagnostic.code).toMatch(/[\u4e00-\u9fff]/);
      if (
        diagnostic.nodeId !== undefined &&
        diagnostic.message.includes(`"${diagnostic.nodeId}"`)
      ) {
        expect(text, `${diagnostic.code}: ${diagnostic.message}`).toContain(diagnostic.nodeId);
      }
    }
    for (const code of Object.keys(DIAGNOSTIC_CODES)) {
      expect(Object.keys(zh.diagnostics), code).toContain(code);
    }
  });

  it('in English a diagnostic keeps lint’s own sentence', async () => {
    const t = await translator('en');
    for (const diagnostic of allDiagnostics()) {
      expect(translateDiagnostic(diagnostic, t)).toBe(diagnostic.message);
    }
  });

  it('JSON paths parse back into the segments they were written from', () => {
    const segment = fc.oneof(
      fc.nat({ max: 50 }),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        expect(parseJsonPath(toJsonPath(segments))).toEqual(segments);
      }),
    );
    expect(parseJsonPath('nodes[0]')).toBeNull();
    expect(parseJsonPath('$.a[')).toBeNull();
  });

  it('locates a diagnostic: node and config field, edge, or the flow settings', () => {
    const doc = emptyDoc([
      { id: 'intake', kind: 'intake', position: { x: 0, y: 0 }, config: { channels: ['web'] } },
      {
        id: 'c',
        kind: 'condition',
        position: { x: 0, y: 0 },
        config: { branches: [{ id: 'a', label: 'A', when: 'ticket.priority ==' }] },
      },
    ]);
    const lint = lintDocument(doc);
    const cel = lint.diagnostics.find((d) => d.code === 'cel-syntax');
    if (cel === undefined) throw new Error('expected a CEL error');
    expect(locateDiagnostic(doc, cel)).toEqual({
      nodeId: 'c',
      configPath: ['branches', 0, 'when'],
    });
    expect(lint.byNode.get('c')?.errors).toBeGreaterThanOrEqual(2);
    expect(lint.byPath.get('$.nodes[1].config.branches[0].when')).toEqual([cel]);
    expect(lint.canPublish).toBe(false);
    expect(
      locateDiagnostic(doc, { ...cel, path: '$.edges[0].target', nodeId: undefined, edgeId: 'e9' }),
    ).toEqual({ edgeId: 'e9', nodeId: undefined });
    expect(locateDiagnostic(doc, { ...cel, path: '$.ticketFields[0]', nodeId: undefined })).toEqual(
      {
        settings: true,
      },
    );
  });
});

describe('auto-layout', () => {
  it('places every step right of the steps that lead to it, without overlaps', async () => {
    const doc: FlowDocument = emptyDoc(
      [
        { id: 'intake', kind: 'intake', position: { x: 0, y: 0 }, config: { channels: ['web'] } },
        {
          id: 'approve',
          kind: 'approval',
          position: { x: 0, y: 0 },
          config: { approver: 'team-lead', timeout: '1h' },
        },
        { id: 'yes', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'resolved' } },
        { id: 'no', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'rejected' } },
      ],
      [
        edge('e1', 'intake', 'next', 'approve'),
        edge('e2', 'approve', 'approved', 'yes'),
        edge('e3', 'approve', 'rejected', 'no'),
        edge('e4', 'approve', 'timeout', 'no'),
      ],
    );
    const positions = await layoutFlow(doc, { defaultSize: { width: 240, height: 100 } });
    const x = (id: string) => positions.get(id)?.x ?? NaN;
    const y = (id: string) => positions.get(id)?.y ?? NaN;
    expect(x('approve')).toBeGreaterThan(x('intake') + 240);
    expect(x('yes')).toBeGreaterThan(x('approve') + 240);
    expect(Math.abs(y('yes') - y('no'))).toBeGreaterThanOrEqual(100);
    // Only some nodes: the others are left out, the laid-out ones start at the origin given.
    const some = await layoutFlow(doc, {
      nodeIds: new Set(['yes', 'no']),
      origin: { x: 500, y: 40 },
    });
    expect([...some.keys()].sort()).toEqual(['no', 'yes']);
    expect(Math.min(...[...some.values()].map((p) => p.x))).toBe(500);
  });
});

describe('JSON view text', () => {
  it('round-trips the document and explains what is wrong with bad text', () => {
    const doc = emptyDoc([
      { id: 'intake', kind: 'intake', position: { x: 0, y: 0 }, config: { channels: ['web'] } },
    ]);
    const parsed = parseFlowText(formatFlowText(doc));
    expect(parsed.ok && parsed.document).toEqual(doc);
    expect(parsed.ok && parsed.diagnostics.map((d) => d.code)).toEqual(['dead-end']);
    const syntax = parseFlowText('{\n  "id": "x",\n  oops\n}');
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.problems[0]).toMatchObject({ line: 3 });
    const shape = parseFlowText(JSON.stringify({ ...doc, nodes: [{ id: 'x' }] }));
    expect(!shape.ok && shape.problems.map((p) => p.path)).toContain('$.nodes[0].kind');
  });
});
