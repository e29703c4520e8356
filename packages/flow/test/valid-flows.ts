import { expect } from 'vitest';
import type { ValidFlow } from '../src';
import {
  around,
  edge,
  end,
  findNode,
  flowOf,
  intake,
  minimalFlow,
  node,
  readTemplate,
} from './fixtures';

export interface ValidCase {
  readonly name: string;
  readonly document: unknown;
  /** Checks on the linted flow, mostly that defaults were applied. */
  readonly check: (flow: ValidFlow) => void;
}

const support = { id: 'support', name: 'Support' };
const office = {
  id: 'office',
  name: 'Office hours',
  timeZone: 'Asia/Shanghai',
  week: { mon: [['09:00', '18:00']] },
};
const targets = {
  urgent: { response: '30m', resolution: '4h' },
  high: { response: '2h', resolution: '8h' },
  medium: { response: '4h', resolution: '1d' },
  low: { response: '1d', resolution: '3d' },
};

/** Valid documents: each lints with no diagnostics at all and returns the flow. */
export const VALID_FLOWS: readonly ValidCase[] = [
  {
    name: 'the saas-login template',
    document: readTemplate(),
    check: (flow) => {
      expect(flow.nodes).toHaveLength(9);
      expect(flow.edges).toHaveLength(12);
      // The template leaves `scope` and (on one rule) `tags` out: the defaults fill them.
      expect(findNode(flow, 'classify')?.config).toMatchObject({
        rules: [
          { id: 'login', scope: 'both', tags: ['login'] },
          { id: 'outage', scope: 'both', tags: ['outage'] },
          { id: 'billing', scope: 'both', tags: [] },
        ],
      });
      expect(flow.names).toEqual({ 'zh-CN': 'SaaS 登录与故障排查' });
      expect(flow.industry).toBe('saas');
    },
  },
  {
    name: 'a minimal intake → end flow',
    document: minimalFlow(),
    check: (flow) => {
      expect(flow.ticketFields).toEqual([]);
      expect(flow.teams).toEqual([]);
      expect(flow.calendars).toEqual([]);
      expect(flow).not.toHaveProperty('names');
      expect(flow).not.toHaveProperty('description');
      expect(findNode(flow, 'intake')?.config).toMatchObject({
        channels: ['web'],
        acknowledge: true,
        acknowledgement: { subject: 'We received your request {{ticket.number}}' },
      });
      expect(findNode(flow, 'done')?.config).toEqual({ outcome: 'resolved' });
    },
  },
  {
    name: 'classify (rules): one port per category plus unknown; rule defaults',
    document: around(
      node('classify', 'classify', {
        categories: [{ id: 'login', label: 'Login' }],
        rules: [{ id: 'r1', category: 'login', any: ['password'] }],
      }),
      ['login', 'unknown'],
    ),
    check: (flow) => {
      expect(findNode(flow, 'classify')?.config).toEqual({
        mode: 'rules',
        categories: [{ id: 'login', label: 'Login' }],
        rules: [{ id: 'r1', category: 'login', any: ['password'], scope: 'both', tags: [] }],
      });
    },
  },
  {
    name: 'classify (model): no rules needed; model defaults',
    document: around(
      node('classify', 'classify', {
        mode: 'model',
        categories: [{ id: 'refund', label: 'Refund' }],
        model: { modelId: 'intent-v1' },
      }),
      ['refund', 'unknown'],
    ),
    check: (flow) => {
      expect(findNode(flow, 'classify')?.config).toEqual({
        mode: 'model',
        categories: [{ id: 'refund', label: 'Refund' }],
        rules: [],
        model: { modelId: 'intent-v1', threshold: 0.5, labelMap: {} },
      });
    },
  },
  {
    name: 'prioritize with an empty config',
    document: around(node('prio', 'prioritize', {}), ['next']),
    check: (flow) => {
      expect(findNode(flow, 'prio')?.config).toEqual({ rules: [], default: 'medium' });
    },
  },
  {
    name: 'prioritize with a conditional row',
    document: around(
      node('prio', 'prioritize', {
        rules: [{ tier: 'vip', when: 'ticket.impact != "single"', priority: 'urgent' }],
        default: 'low',
      }),
      ['next'],
    ),
    check: (flow) => {
      expect(findNode(flow, 'prio')?.config).toEqual({
        rules: [{ tier: 'vip', when: 'ticket.impact != "single"', priority: 'urgent' }],
        default: 'low',
      });
    },
  },
  {
    name: 'assign to a declared team; strategy and skills default',
    document: around(node('assign', 'assign', { team: 'support' }), ['next'], {
      teams: [support],
    }),
    check: (flow) => {
      expect(findNode(flow, 'assign')?.config).toEqual({
        teamRules: [],
        team: 'support',
        strategy: 'least-loaded',
        requiredSkills: [],
      });
      expect(flow.teams).toEqual([{ id: 'support', name: 'Support', skills: [] }]);
    },
  },
  {
    name: 'condition: one port per branch plus else',
    document: around(
      node('cond', 'condition', {
        branches: [{ id: 'vip', label: 'VIP', when: 'ticket.customer.tier == "vip"' }],
      }),
      ['vip', 'else'],
    ),
    check: (flow) => {
      expect(findNode(flow, 'cond')?.kind).toBe('condition');
    },
  },
  {
    name: 'approval with a declared calendar; request message and holidays default',
    document: around(
      node('approve', 'approval', { approver: 'finance', timeout: '24h', calendar: 'office' }),
      ['approved', 'rejected', 'timeout'],
      { calendars: [office] },
    ),
    check: (flow) => {
      expect(findNode(flow, 'approve')?.config).toMatchObject({
        approver: 'finance',
        timeout: '24h',
        calendar: 'office',
        request: { subject: 'Approval needed for {{ticket.number}}' },
      });
      expect(flow.calendars).toEqual([{ ...office, holidays: [] }]);
    },
  },
  {
    name: 'wait with a timeout has a timeout port; status defaults to open',
    document: around(
      node('wait', 'wait', { event: 'CUSTOMER.REPLIED', when: 'event.score <= 3', timeout: '3d' }),
      ['received', 'timeout'],
    ),
    check: (flow) => {
      expect(findNode(flow, 'wait')?.config).toEqual({
        event: 'CUSTOMER.REPLIED',
        when: 'event.score <= 3',
        timeout: '3d',
        status: 'open',
      });
    },
  },
  {
    name: 'wait without a timeout has only the received port',
    document: around(node('wait', 'wait', { event: 'AGENT.RESOLVED', status: 'pending' }), [
      'received',
    ]),
    check: (flow) => {
      expect(findNode(flow, 'wait')?.config).toEqual({
        event: 'AGENT.RESOLVED',
        status: 'pending',
      });
    },
  },
  {
    name: 'sla without escalation; escalation level defaults',
    document: flowOf(
      [
        intake(),
        node('sla', 'sla', { targets }),
        node('sla2', 'sla', { targets, escalation: [{ after: '0m' }] }),
        end(),
      ],
      [edge('intake', 'next', 'sla'), edge('sla', 'next', 'sla2'), edge('sla2', 'next', 'done')],
    ),
    check: (flow) => {
      expect(findNode(flow, 'sla')?.config).toEqual({ targets, escalation: [] });
      expect(findNode(flow, 'sla2')?.config).toMatchObject({
        escalation: [
          {
            after: '0m',
            reassignTo: 'none',
            notify: [],
            message: {
              subject: 'SLA breached: {{ticket.number}} (level {{ticket.escalationLevel}})',
            },
          },
        ],
      });
    },
  },
  {
    name: 'notify by email to a role and an address, and by webhook (subject defaults)',
    document: flowOf(
      [
        intake(),
        node('mail', 'notify', {
          channel: 'email',
          to: ['customer', 'ops@example.com'],
          message: { subject: 'Update on {{ticket.number}}', body: 'Status: {{ticket.status}}' },
        }),
        node('hook', 'notify', {
          channel: 'webhook',
          url: 'https://hooks.example.com/switchyard',
          message: { body: 'New ticket {{ticket.number}}: {{links.ticket}}' },
        }),
        end(),
      ],
      [edge('intake', 'next', 'mail'), edge('mail', 'next', 'hook'), edge('hook', 'next', 'done')],
    ),
    check: (flow) => {
      expect(findNode(flow, 'hook')?.config).toEqual({
        channel: 'webhook',
        url: 'https://hooks.example.com/switchyard',
        message: { subject: '', body: 'New ticket {{ticket.number}}: {{links.ticket}}' },
      });
    },
  },
  {
    name: 'action: set a declared custom field and a built-in; resolve (note defaults)',
    document: flowOf(
      [
        intake(),
        node('set', 'action', {
          type: 'set-fields',
          set: [
            { field: 'fields.region', value: 'eu' },
            { field: 'priority', value: 'high' },
            { field: 'addTag', value: 'vip' },
          ],
        }),
        node('resolve', 'action', { type: 'resolve' }),
        end(),
      ],
      [
        edge('intake', 'next', 'set'),
        edge('set', 'next', 'resolve'),
        edge('resolve', 'next', 'done'),
      ],
      { ticketFields: [{ key: 'region', label: 'Region', type: 'enum', options: ['eu', 'us'] }] },
    ),
    check: (flow) => {
      expect(findNode(flow, 'resolve')?.config).toEqual({ type: 'resolve', note: '' });
    },
  },
  {
    name: 'action: HTTP call with success and failure ports; method, timeout and map default',
    document: around(
      node('call', 'action', {
        type: 'http',
        url: 'https://erp.example.com/orders/{{ticket.fields.orderId}}',
      }),
      ['success', 'failure'],
      { ticketFields: [{ key: 'orderId', label: 'Order', type: 'string' }] },
    ),
    check: (flow) => {
      expect(findNode(flow, 'call')?.config).toEqual({
        type: 'http',
        method: 'POST',
        url: 'https://erp.example.com/orders/{{ticket.fields.orderId}}',
        headers: {},
        body: '',
        timeout: '10s',
        map: [],
      });
    },
  },
  {
    name: 'survey with an empty config',
    document: around(node('survey', 'survey', {}), ['satisfied', 'unsatisfied', 'timeout']),
    check: (flow) => {
      expect(findNode(flow, 'survey')?.config).toMatchObject({
        delay: '30m',
        expiresAfter: '7d',
        threshold: 3,
        message: { subject: 'How did we do on {{ticket.number}}?' },
      });
    },
  },
  {
    name: 'end with a message to the customer (subject defaults)',
    document: flowOf(
      [intake(), node('rejected', 'end', { outcome: 'rejected', message: { body: 'Sorry.' } })],
      [edge('intake', 'next', 'rejected')],
    ),
    check: (flow) => {
      expect(findNode(flow, 'rejected')?.config).toEqual({
        outcome: 'rejected',
        message: { subject: '', body: 'Sorry.' },
      });
    },
  },
  {
    name: 'a loop through a wait node is fine',
    document: flowOf(
      [
        intake(),
        node('cond', 'condition', {
          branches: [{ id: 'open', label: 'Open', when: 'ticket.status == "open"' }],
        }),
        node('wait', 'wait', { event: 'CUSTOMER.REPLIED' }),
        end(),
      ],
      [
        edge('intake', 'next', 'cond'),
        edge('cond', 'open', 'wait'),
        edge('wait', 'received', 'cond'),
        edge('cond', 'else', 'done'),
      ],
    ),
    check: (flow) => {
      expect(flow.edges).toHaveLength(4);
    },
  },
  {
    name: 'a condition on a declared custom field',
    document: around(
      node('cond', 'condition', {
        branches: [{ id: 'big', label: 'Big order', when: 'ticket.fields.orderAmount > 100.0' }],
      }),
      ['big', 'else'],
      { ticketFields: [{ key: 'orderAmount', label: 'Order amount', type: 'number' }] },
    ),
    check: (flow) => {
      expect(flow.ticketFields).toEqual([
        { key: 'orderAmount', label: 'Order amount', type: 'number' },
      ]);
    },
  },
];
