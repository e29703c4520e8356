import { trainIntentModel } from '@switchyard/classifier';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src';
import { agent, buildFlow, compileVersion, createTestEngine } from './fixtures';

// A small bilingual training set: refunds vs. delivery questions.
const examples = [
  ...[
    'I want my money back',
    'please refund my order',
    'refund the charge',
    'return this for a refund',
    '我要退款',
    '申请退款',
    '退钱给我',
    '钱什么时候退回来',
  ].map((text) => ({ text, label: 'refund' })),
  ...[
    'where is my parcel',
    'package has not arrived',
    'track my delivery',
    'shipping is late',
    '快递到哪里了',
    '包裹还没到',
    '物流信息',
    '什么时候发货',
  ].map((text) => ({ text, label: 'delivery' })),
];
const model = trainIntentModel(examples, { seed: 7 });
const models = { get: (id: string) => (id === 'shop-intents' ? model : undefined) };

const flow = buildFlow(
  [
    {
      id: 'cls',
      kind: 'classify',
      config: {
        mode: 'model',
        categories: [
          { id: 'refunds', label: 'Refunds' },
          { id: 'delivery', label: 'Delivery' },
        ],
        model: {
          modelId: 'shop-intents',
          threshold: 0.3,
          labelMap: { refund: { category: 'refunds' } },
        },
      },
    },
    { id: 'to-billing', kind: 'assign', config: { team: 'billing' } },
    { id: 'to-support', kind: 'assign', config: { team: 'support' } },
    { id: 'triage', kind: 'assign', config: { team: 'tech' } },
    { id: 'wait', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
    { id: 'done', kind: 'end', config: { outcome: 'resolved' } },
  ],
  [
    'in.next -> cls',
    'cls.refunds -> to-billing',
    'cls.delivery -> to-support',
    'cls.unknown -> triage',
    'to-billing.next -> wait',
    'to-support.next -> wait',
    'triage.next -> wait',
    'wait.received -> done',
  ],
);
const agents = [agent('b', 'billing'), agent('s', 'support'), agent('t', 'tech')];

describe('a classify node with a trained model', () => {
  it.each([
    ['Could you refund my order please', 'billing', 'refunds'],
    ['我的包裹还没到', 'support', 'delivery'],
  ])('routes "%s" to %s in the runtime', async (subject, team, category) => {
    const { engine } = createTestEngine({ flow, agents, models });
    const { ticket, trace } = await engine.createTicket(
      { subject, channel: 'web' },
      { flowVersionId: 'v1' },
    );
    expect(ticket.ticket).toMatchObject({ team, category });
    expect(trace?.notes.join(' ')).toMatch(/model predicted/);
  });

  it('routes the same way in the simulator', async () => {
    const result = await simulate({
      version: compileVersion(flow),
      ticket: { subject: '申请退款，东西坏了', channel: 'web' },
      agents,
      models,
      until: '1h',
    });
    expect(result.ticket).toMatchObject({ team: 'billing', category: 'refunds' });
    expect(result.coveredEdges).toContain('e1');
  });
});
