import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@switchyard/flow';
import type { Edge, Node } from '@xyflow/react';
import { decorateEdges, decorateNodes } from '../src/simulator/highlight';
import {
  clockAt,
  formatEventScript,
  formatOffset,
  highlightAt,
  isAtEnd,
  nextTimerPosition,
  parseEventScript,
  stepBack,
  stepForward,
  timelineModel,
} from '../src/simulator/model';
import { runDraft } from '../src/simulator/run';

const SAAS = JSON.parse(
  readFileSync(new URL('../../../templates/saas-login/flow.json', import.meta.url), 'utf8'),
) as FlowDocument;

const VIP = {
  subject: 'Cannot log in — password reset loop',
  description: 'Our admins cannot log in to the console.',
  channel: 'web' as const,
  customer: { name: 'Alice', email: 'alice@corp.example', tier: 'vip' as const },
};

async function saasRun() {
  // No reply: the 2 h response SLA breaches and escalates (timers fire in virtual time).
  const run = await runDraft(SAAS, VIP, parseEventScript('+3d AGENT.RESOLVED').events);
  if (run.kind !== 'ok') throw new Error(`expected a run, got ${run.kind}`);
  return run.result;
}

describe('event script', () => {
  it('parses offsets, types and payloads, and names the bad lines', () => {
    const { events, errors } = parseEventScript(
      '# comment\n+30m AGENT.REPLIED {"by": "li", "message": "hi"}\n\n2h AGENT.RESOLVED\nsoon AGENT.X\n+1h CUSTOMER.REPLIED {oops}',
    );
    expect(events).toEqual([
      { at: '+30m', type: 'AGENT.REPLIED', by: 'li', message: 'hi' },
      { at: '+2h', type: 'AGENT.RESOLVED' },
    ]);
    expect(errors.map((e) => e.line)).toEqual([5, 6]);
  });

  it('formats and parses back any script', () => {
    const event = fc.record({
      at: fc
        .tuple(fc.integer({ min: 0, max: 99 }), fc.constantFrom('d', 'h', 'm', 's'))
        .map(([n, unit]) => `+${n}${unit}`),
      type: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}\.[A-Z][A-Z_]{0,8}$/),
      by: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), (raw) => {
        const events = raw.map(({ by, ...rest }) => (by === undefined ? rest : { ...rest, by }));
        const parsed = parseEventScript(formatEventScript(events));
        expect(parsed.errors).toEqual([]);
        expect(parsed.events).toEqual(events);
      }),
    );
  });

  it('formats virtual time offsets', () => {
    expect(formatOffset(0)).toBe('+0m');
    expect(formatOffset(90 * 60_000)).toBe('+1h 30m');
    expect(formatOffset((2 * 24 + 3) * 3_600_000)).toBe('+2d 3h');
  });
});

describe('stepping through a trace of the SaaS example', () => {
  it('steps forward and back, never past either end', async () => {
    const result = await saasRun();
    const n = result.steps.length;
    expect(n).toBeGreaterThan(2);
    let position = -1;
    expect(stepBack(result, position)).toBe(-1);
    for (let i = 0; i < n + 3; i++) position = stepForward(result, position);
    expect(position).toBe(n - 1);
    expect(isAtEnd(result, position)).toBe(true);
    expect(stepBack(result, stepForward(result, 0))).toBe(0);
  });

  it('highlights the current node, the visited path and the edges taken so far', async () => {
    const result = await saasRun();
    expect(highlightAt(result, -1)).toMatchObject({ currentNodes: [], takenEdges: [] });
    const first = highlightAt(result, 0);
    expect(first.visitedNodes.slice(0, 3)).toEqual(['intake', 'classify', 'prioritize']);
    expect(first.activeEdges).toEqual(result.steps[0]?.edges);
    expect(first.currentNodes).toEqual(result.steps[0]?.toNodes);
    const last = highlightAt(result, result.steps.length - 1);
    expect(new Set(last.takenEdges)).toEqual(new Set(result.coveredEdges));
    expect(last.visitedNodes).toEqual([...new Set(result.path)]);
    // Stepping back gives exactly what stepping forward to that position gave.
    for (let p = result.steps.length - 1; p > 0; p--) {
      expect(highlightAt(result, stepBack(result, p))).toEqual(highlightAt(result, p - 1));
    }
  });

  it('jumps to the next timer and moves the virtual clock with it', async () => {
    const result = await saasRun();
    const timer = nextTimerPosition(result, 0);
    expect(timer).not.toBeNull();
    const step = result.steps[timer ?? -1];
    expect(step?.timers.fired.length).toBeGreaterThan(0);
    // Nothing in between was a timer.
    for (let i = 1; i < (timer ?? 0); i++) expect(result.steps[i]?.timers.fired).toEqual([]);
    expect(clockAt(result, timer ?? 0)).toBe(step?.offsetMs);
    expect(clockAt(result, -1)).toBe(0);
    expect(nextTimerPosition(result, result.steps.length - 1)).toBeNull();
  });

  it('builds a timeline with explain-why: guards with inputs and results, effects, timers', async () => {
    const result = await saasRun();
    const items = timelineModel(result, 1);
    expect(items.map((i) => i.state).slice(0, 3)).toEqual(['done', 'current', 'pending']);
    expect(items[0]?.time).toBe('+0m');
    const withGuards = items.find((item) => item.guards.length > 0);
    expect(withGuards?.guards[0]?.expression).toBeTypeOf('string');
    expect(items.some((item) => item.effects.some((e) => e.startsWith('email:')))).toBe(true);
    expect(items.some((item) => item.timers.some((t) => t.startsWith('scheduled ')))).toBe(true);
    expect(items.some((item) => item.timers.some((t) => t.startsWith('fired ')))).toBe(true);
  });

  it('marks canvas nodes and edges: current, taken (active animated), uncovered dashed red', async () => {
    const result = await saasRun();
    const highlight = highlightAt(result, 0, ['e-unused']);
    const nodes = decorateNodes(
      SAAS.nodes.map((n): Node => ({ id: n.id, position: n.position, data: {} })),
      highlight,
    );
    const current = highlight.currentNodes[0] ?? '';
    expect(nodes.find((n) => n.id === current)?.className).toContain('sy-sim-current');
    const edges = decorateEdges(
      [
        ...SAAS.edges.map((e): Edge => ({ id: e.id, source: e.source, target: e.target })),
        { id: 'e-unused', source: 'a', target: 'b' },
      ],
      highlight,
    );
    const active = highlight.activeEdges[0] ?? '';
    expect(edges.find((e) => e.id === active)).toMatchObject({ animated: true });
    expect(edges.find((e) => e.id === 'e-unused')?.style).toMatchObject({ stroke: '#cf1322' });
    expect(edges.filter((e) => e.animated === true).length).toBe(highlight.activeEdges.length);
  });
});

describe('running the draft', () => {
  it('shows lint errors instead of running, and names bad ticket fields', async () => {
    const broken = structuredClone(SAAS);
    broken.edges.push({ id: 'dangling', source: 'intake', sourcePort: 'out', target: 'nowhere' });
    const lint = await runDraft(broken, VIP, []);
    expect(lint.kind).toBe('lint');
    if (lint.kind === 'lint') expect(lint.diagnostics.length).toBeGreaterThan(0);
    const bad = await runDraft(SAAS, { subject: '' }, []);
    expect(bad).toMatchObject({ kind: 'ticket' });
    if (bad.kind === 'ticket') expect(bad.issues[0]).toMatch(/^subject: /);
  });
});
