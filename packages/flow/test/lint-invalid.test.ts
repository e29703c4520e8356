import { describe, expect, it } from 'vitest';
import type { SourceSpan } from '@switchyard/expr';
import type { DiagnosticCode } from '../src';
import { lintFlow } from '../src';
import { around, edge, end, flowOf, intake, minimalFlow, node } from './fixtures';

interface Expected {
  readonly code: DiagnosticCode;
  readonly path: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** A phrase the message must contain: the part that tells the user what to fix. */
  readonly phrase?: string;
  readonly span?: Partial<SourceSpan>;
}

interface InvalidCase {
  readonly name: string;
  readonly document: unknown;
  /** Every diagnostic lint must return, in order (nothing more). */
  readonly expected: readonly Expected[];
}

function without(document: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([name]) => name !== key));
}

const support = { id: 'support', name: 'Support' };
const targets = {
  urgent: { response: '30m', resolution: '4h' },
  high: { response: '2h', resolution: '8h' },
  medium: { response: '4h', resolution: '1d' },
  low: { response: '1d', resolution: '3d' },
};
const approvalPorts = ['approved', 'rejected', 'timeout'];

/** intake → condition `cond` (one branch `b1` with the given CEL) → done. cond is nodes[1]. */
function conditionFlow(when: string, extra: Record<string, unknown> = {}) {
  return around(
    node('cond', 'condition', { branches: [{ id: 'b1', label: 'Branch', when }] }),
    ['b1', 'else'],
    extra,
  );
}
const WHEN = '$.nodes[1].config.branches[0].when';

/** intake → notify `mail` with the given body → done. mail is nodes[1]. */
function notifyFlow(body: string) {
  return around(node('mail', 'notify', { channel: 'email', to: ['customer'], message: { body } }), [
    'next',
  ]);
}

const vipBranch = [{ id: 'vip', label: 'VIP', when: 'ticket.customer.tier == "vip"' }];

const INVALID_FLOWS: readonly InvalidCase[] = [
  // Not a document at all
  ...[null, [], 'flow', 42].map((document) => ({
    name: `not an object: ${JSON.stringify(document)}`,
    document,
    expected: [{ code: 'invalid-document', path: '$', phrase: 'must be a JSON object' } as const],
  })),

  // schemaVersion
  {
    name: 'schemaVersion missing',
    document: without(minimalFlow(), 'schemaVersion'),
    expected: [
      {
        code: 'unsupported-schema-version',
        path: '$.schemaVersion',
        phrase: 'Set "schemaVersion" to 1; found nothing.',
      },
    ],
  },
  {
    name: 'schemaVersion as a string',
    document: { ...minimalFlow(), schemaVersion: '1' },
    expected: [
      {
        code: 'unsupported-schema-version',
        path: '$.schemaVersion',
        phrase: 'Set "schemaVersion" to 1; found "1".',
      },
    ],
  },
  {
    name: 'schemaVersion 0',
    document: { ...minimalFlow(), schemaVersion: 0 },
    expected: [{ code: 'unsupported-schema-version', path: '$.schemaVersion', phrase: 'found 0.' }],
  },
  {
    name: 'schemaVersion as a bigint (used to throw from JSON.stringify)',
    document: { ...minimalFlow(), schemaVersion: 1n },
    expected: [
      { code: 'unsupported-schema-version', path: '$.schemaVersion', phrase: 'found 1n.' },
    ],
  },
  {
    name: 'schemaVersion from a newer Switchyard',
    document: { ...minimalFlow(), schemaVersion: 2 },
    expected: [
      {
        code: 'unsupported-schema-version',
        path: '$.schemaVersion',
        phrase: 'Upgrade Switchyard to open it.',
      },
    ],
  },

  // Envelope
  {
    name: 'empty name',
    document: { ...minimalFlow(), name: '' },
    expected: [{ code: 'invalid-document', path: '$.name', phrase: '"name": ' }],
  },
  {
    name: 'flow id with a space',
    document: { ...minimalFlow(), id: 'my flow' },
    expected: [
      { code: 'invalid-document', path: '$.id', phrase: 'Use 1–64 letters, digits, "-" or "_"' },
    ],
  },
  {
    name: 'nodes missing',
    document: without(minimalFlow(), 'nodes'),
    expected: [{ code: 'invalid-document', path: '$.nodes', phrase: '"nodes": ' }],
  },
  {
    name: 'edges not an array',
    document: { ...minimalFlow(), edges: 'e1' },
    expected: [{ code: 'invalid-document', path: '$.edges', phrase: '"edges": ' }],
  },
  {
    name: 'an enum ticket field without options',
    document: { ...minimalFlow(), ticketFields: [{ key: 'tier', label: 'Tier', type: 'enum' }] },
    expected: [
      {
        code: 'invalid-document',
        path: '$.ticketFields[0].options',
        phrase: 'An enum field needs at least one option',
      },
    ],
  },
  {
    name: 'a calendar with an unknown time zone',
    document: {
      ...minimalFlow(),
      calendars: [{ id: 'office', name: 'Office', timeZone: 'Mars/Olympus', week: {} }],
    },
    expected: [
      {
        code: 'invalid-document',
        path: '$.calendars[0].timeZone',
        phrase: 'Use an IANA time zone',
      },
    ],
  },
  {
    name: 'a node whose config is not an object',
    document: flowOf(
      [intake(), end(), { id: 'broken', kind: 'end', position: { x: 0, y: 0 }, config: 'x' }],
      [edge('intake', 'next', 'done')],
    ),
    expected: [
      {
        code: 'invalid-document',
        path: '$.nodes[2].config',
        nodeId: 'broken',
        phrase: '"config": ',
      },
    ],
  },

  {
    name: 'an intake without a position (not also reported as missing)',
    document: flowOf(
      [{ id: 'intake', kind: 'intake', config: { channels: ['web'] } }, end()],
      [edge('intake', 'next', 'done')],
    ),
    expected: [
      {
        code: 'invalid-document',
        path: '$.nodes[0].position',
        nodeId: 'intake',
        phrase: '"position": ',
      },
    ],
  },

  // Duplicate ids
  {
    name: 'duplicate node id',
    document: flowOf([intake(), end(), end('done')], [edge('intake', 'next', 'done')]),
    expected: [
      {
        code: 'duplicate-id',
        path: '$.nodes[2].id',
        nodeId: 'done',
        phrase: 'give each node a unique id',
      },
    ],
  },
  {
    name: 'duplicate edge id',
    document: flowOf(
      [intake(), end()],
      [edge('intake', 'next', 'done', 'e1'), edge('intake', 'next', 'done', 'e1')],
    ),
    expected: [
      {
        code: 'duplicate-id',
        path: '$.edges[1].id',
        edgeId: 'e1',
        phrase: 'give each edge a unique id',
      },
    ],
  },
  {
    name: 'duplicate team id',
    document: { ...minimalFlow(), teams: [support, { id: 'support', name: 'Second line' }] },
    expected: [
      {
        code: 'duplicate-id',
        path: '$.teams[1]',
        phrase: 'The team id "support" is used twice; give each one a unique team id.',
      },
    ],
  },
  {
    name: 'duplicate custom field key',
    document: {
      ...minimalFlow(),
      ticketFields: [
        { key: 'region', label: 'Region', type: 'string' },
        { key: 'region', label: 'Region again', type: 'string' },
      ],
    },
    expected: [
      { code: 'duplicate-id', path: '$.ticketFields[1]', phrase: 'The field key "region"' },
    ],
  },

  // Node kinds and configs
  {
    name: 'unknown node kind',
    document: flowOf(
      [intake(), end(), node('mystery', 'teleport', {})],
      [edge('intake', 'next', 'done')],
    ),
    expected: [
      {
        code: 'unknown-node-kind',
        path: '$.nodes[2].kind',
        nodeId: 'mystery',
        phrase: 'has unknown kind "teleport"; use one of intake, classify, prioritize',
      },
    ],
  },
  {
    // The broken node's edges are still followed, so "done" is not also called unreachable.
    name: 'invalid config: a duration that is not one',
    document: around(
      node('approve', 'approval', { approver: 'finance', timeout: 'soon' }),
      approvalPorts,
    ),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.timeout',
        nodeId: 'approve',
        phrase: 'Approval node "approve": "timeout": Use a duration like "30m"',
      },
    ],
  },
  {
    name: 'invalid config: a zero timeout',
    document: around(node('wait', 'wait', { event: 'CUSTOMER.REPLIED', timeout: '0m' }), [
      'received',
      'timeout',
    ]),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.timeout',
        nodeId: 'wait',
        phrase: 'more than zero',
      },
    ],
  },
  {
    name: 'invalid config: a value outside the enum',
    document: flowOf(
      [intake(), node('done', 'end', { outcome: 'finished' })],
      [edge('intake', 'next', 'done')],
    ),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.outcome',
        nodeId: 'done',
        phrase: 'End node "done": "outcome": ',
      },
    ],
  },
  {
    name: 'invalid config: a required field missing',
    document: around(node('approve', 'approval', { timeout: '1h' }), approvalPorts),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.approver',
        nodeId: 'approve',
        phrase: '"approver": ',
      },
    ],
  },
  {
    name: 'invalid config: a webhook that is not http(s)',
    document: around(
      node('hook', 'notify', {
        channel: 'webhook',
        url: 'ftp://files.example.com/in',
        message: { body: 'New ticket' },
      }),
      ['next'],
    ),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.url',
        nodeId: 'hook',
        phrase: 'Use an http:// or https:// URL',
      },
    ],
  },
  {
    name: 'invalid config: an SLA response target longer than the resolution target',
    document: around(
      node('sla', 'sla', {
        targets: { ...targets, high: { response: '9h', resolution: '8h' } },
      }),
      ['next'],
    ),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.targets.high.response',
        nodeId: 'sla',
        phrase: 'The response target cannot be longer than the resolution target',
      },
    ],
  },
  {
    name: 'invalid config: set-fields with a value the field does not take',
    document: around(
      node('set', 'action', {
        type: 'set-fields',
        set: [{ field: 'priority', value: 'whenever' }],
      }),
      ['next'],
    ),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.set[0].value',
        nodeId: 'set',
        phrase: '"whenever" is not a valid priority',
      },
    ],
  },
  {
    name: 'classify rule with a category the node does not declare',
    document: around(
      node('classify', 'classify', {
        categories: [{ id: 'login', label: 'Login' }],
        rules: [{ id: 'r1', category: 'billing', any: ['invoice'] }],
      }),
      ['login', 'unknown'],
    ),
    expected: [
      {
        code: 'invalid-config',
        path: '$.nodes[1].config.rules[0].category',
        nodeId: 'classify',
        phrase: `which is not one of this node's categories; add the category or pick another`,
      },
    ],
  },

  // Intake
  {
    name: 'no intake',
    document: flowOf([end()], []),
    expected: [{ code: 'missing-intake', path: '$.nodes', phrase: 'Add an intake node' }],
  },
  {
    name: 'two intakes (the second is also unreachable)',
    document: flowOf(
      [intake(), end(), intake('intake2')],
      [edge('intake', 'next', 'done'), edge('intake2', 'next', 'done')],
    ),
    expected: [
      {
        code: 'multiple-intakes',
        path: '$.nodes[2]',
        nodeId: 'intake2',
        phrase: 'a flow has exactly one. Delete it or change its kind.',
      },
      { code: 'unreachable-node', path: '$.nodes[2]', nodeId: 'intake2' },
    ],
  },

  // Edges
  {
    name: 'edge to an unknown target (the intake then leads nowhere)',
    document: flowOf([intake(), end()], [edge('intake', 'next', 'nowhere', 'e1')]),
    expected: [
      {
        code: 'unknown-edge-target',
        path: '$.edges[0].target',
        nodeId: 'intake',
        edgeId: 'e1',
        phrase: 'points to node "nowhere", which does not exist; reconnect or delete the edge.',
      },
      { code: 'dead-end', path: '$.nodes[0]', nodeId: 'intake' },
      { code: 'unreachable-node', path: '$.nodes[1]', nodeId: 'done' },
    ],
  },
  {
    name: 'edge from an unknown source',
    document: flowOf(
      [intake(), end()],
      [edge('intake', 'next', 'done', 'e1'), edge('ghost', 'next', 'done', 'e2')],
    ),
    expected: [
      {
        code: 'unknown-edge-source',
        path: '$.edges[1].source',
        edgeId: 'e2',
        phrase: 'starts at node "ghost", which does not exist; reconnect or delete the edge.',
      },
    ],
  },
  {
    name: 'edge from a port the node does not have',
    document: flowOf(
      [intake(), end()],
      [edge('intake', 'out', 'done', 'e1'), edge('intake', 'next', 'done', 'e2')],
    ),
    expected: [
      {
        code: 'unknown-port',
        path: '$.edges[0].sourcePort',
        nodeId: 'intake',
        edgeId: 'e1',
        phrase: 'from port "out", which it does not have (ports: next).',
      },
    ],
  },
  {
    name: 'two edges from one port',
    document: flowOf(
      [intake(), end(), end('done2')],
      [edge('intake', 'next', 'done', 'e1'), edge('intake', 'next', 'done2', 'e2')],
    ),
    expected: [
      {
        code: 'duplicate-port-edge',
        path: '$.edges[1]',
        nodeId: 'intake',
        edgeId: 'e2',
        phrase: 'already leads to "done" (edge "e1"); a port has one outgoing edge. Delete one.',
      },
      { code: 'unreachable-node', path: '$.nodes[2]', nodeId: 'done2' },
    ],
  },
  {
    name: 'edge back into the intake (its port is then unconnected)',
    document: flowOf(
      [intake(), node('cond', 'condition', { branches: vipBranch }), end()],
      [edge('intake', 'next', 'cond'), edge('cond', 'vip', 'done'), edge('cond', 'else', 'intake')],
    ),
    expected: [
      {
        code: 'edge-into-intake',
        path: '$.edges[2].target',
        nodeId: 'cond',
        edgeId: 'cond-else',
        phrase: 'points into the intake node; nothing can flow back into intake.',
      },
      {
        code: 'unconnected-port',
        path: '$.nodes[1]',
        nodeId: 'cond',
        phrase: 'Port "else" of node "cond" is not connected',
      },
    ],
  },

  // Graph shape
  {
    name: 'required ports left unconnected',
    document: flowOf(
      [intake(), node('approve', 'approval', { approver: 'finance', timeout: '1d' }), end()],
      [edge('intake', 'next', 'approve'), edge('approve', 'approved', 'done')],
    ),
    expected: [
      {
        code: 'unconnected-port',
        path: '$.nodes[1]',
        nodeId: 'approve',
        phrase: 'Port "rejected" of node "approve" is not connected; connect it to the step',
      },
      {
        code: 'unconnected-port',
        path: '$.nodes[1]',
        nodeId: 'approve',
        phrase: 'Port "timeout" of node "approve"',
      },
    ],
  },
  {
    name: 'a step that leads nowhere',
    document: flowOf([intake(), node('prio', 'prioritize', {})], [edge('intake', 'next', 'prio')]),
    expected: [
      {
        code: 'dead-end',
        path: '$.nodes[1]',
        nodeId: 'prio',
        phrase:
          'leads nowhere; connect its output to the next step or end the flow with an End node.',
      },
    ],
  },
  {
    name: 'a lone intake is a dead end',
    document: flowOf([intake()], []),
    expected: [{ code: 'dead-end', path: '$.nodes[0]', nodeId: 'intake' }],
  },
  {
    name: 'a loop of steps that never wait',
    document: flowOf(
      [
        intake(),
        node('cond', 'condition', { branches: vipBranch }),
        node('prio', 'prioritize', {}),
        end(),
      ],
      [
        edge('intake', 'next', 'cond'),
        edge('cond', 'vip', 'prio'),
        edge('prio', 'next', 'cond'),
        edge('cond', 'else', 'done'),
      ],
    ),
    expected: [
      {
        code: 'cycle-without-wait',
        path: '$.nodes[1]',
        nodeId: 'cond',
        phrase:
          'Nodes "cond" → "prio" form a loop with no waiting step; it would repeat forever. Add a Wait, Approval or Survey step',
      },
    ],
  },
  {
    name: 'a step that loops onto itself',
    document: flowOf(
      [intake(), node('prio', 'prioritize', {})],
      [edge('intake', 'next', 'prio'), edge('prio', 'next', 'prio')],
    ),
    expected: [
      {
        code: 'cycle-without-wait',
        path: '$.nodes[1]',
        nodeId: 'prio',
        phrase: 'Nodes "prio" form a loop',
      },
    ],
  },

  // CEL
  {
    name: 'CEL syntax error at the end of the text',
    document: conditionFlow('ticket.priority =='),
    expected: [
      {
        code: 'cel-syntax',
        path: WHEN,
        nodeId: 'cond',
        phrase: 'Condition at line 1, column 19: ',
        span: { start: 18, line: 1, column: 19 },
      },
    ],
  },
  {
    name: 'CEL syntax error on the second line',
    document: conditionFlow('ticket.priority == "high" &&\n  ticket.impact == "all" )'),
    expected: [
      {
        code: 'cel-syntax',
        path: WHEN,
        nodeId: 'cond',
        phrase: 'Fix the expression syntax.',
        span: { start: 54, line: 2, column: 26 },
      },
    ],
  },
  {
    name: 'CEL type error: a string compared with a number',
    document: conditionFlow('ticket.priority == 2'),
    expected: [
      {
        code: 'cel-type',
        path: WHEN,
        nodeId: 'cond',
        phrase: 'Compare values of the same type (strings in quotes, numbers without).',
        span: { start: 0, line: 1, column: 1 },
      },
    ],
  },
  {
    name: 'CEL condition that is not true/false',
    document: conditionFlow('ticket.priority'),
    expected: [
      {
        code: 'cel-type',
        path: WHEN,
        nodeId: 'cond',
        phrase: 'This condition gives a string, not true/false; compare it with something',
      },
    ],
  },
  {
    name: 'CEL unknown built-in field',
    document: conditionFlow('ticket.nope == "x"'),
    expected: [
      {
        code: 'unknown-field',
        path: WHEN,
        nodeId: 'cond',
        phrase: 'Check the spelling, or declare the custom field under ticketFields.',
        span: { start: 7, line: 1, column: 8 },
      },
    ],
  },
  {
    name: 'CEL undeclared custom field',
    document: conditionFlow('ticket.fields.missing == "x"', {
      ticketFields: [{ key: 'present', label: 'Present', type: 'string' }],
    }),
    expected: [
      {
        code: 'unknown-field',
        path: WHEN,
        nodeId: 'cond',
        phrase: 'declare the custom field under ticketFields',
        span: { start: 14, line: 1, column: 15 },
      },
    ],
  },
  {
    name: 'CEL unknown variable',
    document: conditionFlow('tickets.priority == "high"'),
    expected: [
      {
        code: 'unknown-field',
        path: WHEN,
        nodeId: 'cond',
        span: { start: 0, line: 1, column: 1 },
      },
    ],
  },
  {
    name: 'CEL in an assign team rule (path into teamRules)',
    document: around(
      node('assign', 'assign', {
        team: 'support',
        teamRules: [{ when: 'ticket.vip', team: 'support' }],
      }),
      ['next'],
      { teams: [support] },
    ),
    expected: [
      { code: 'unknown-field', path: '$.nodes[1].config.teamRules[0].when', nodeId: 'assign' },
    ],
  },

  // Templates
  {
    name: 'unknown placeholder in a message',
    document: notifyFlow('Hello {{ticket.customer.nickname}}'),
    expected: [
      {
        code: 'unknown-placeholder',
        path: '$.nodes[1].config.message.body',
        nodeId: 'mail',
        phrase: 'The ticket has no field "customer.nickname"; check the spelling',
        span: { start: 6, end: 34, line: 1, column: 7 },
      },
    ],
  },
  {
    name: 'unknown link on the second line of a message',
    document: notifyFlow('Hello,\nplease answer: {{links.form}}'),
    expected: [
      {
        code: 'unknown-placeholder',
        path: '$.nodes[1].config.message.body',
        nodeId: 'mail',
        phrase: 'Unknown link "{{links.form}}"; use one of {{links.ticket}}, {{links.survey}}',
        span: { start: 22, line: 2, column: 16 },
      },
    ],
  },
  {
    name: 'a placeholder that names a group of fields',
    document: notifyFlow('Customer: {{ticket.customer}}'),
    expected: [
      {
        code: 'unknown-placeholder',
        path: '$.nodes[1].config.message.body',
        nodeId: 'mail',
        phrase: 'is a group of fields, not a value; use one of its fields such as',
      },
    ],
  },
  {
    name: 'a placeholder that only resolves through Object.prototype',
    document: notifyFlow('{{ticket.constructor}}'),
    expected: [
      {
        code: 'unknown-placeholder',
        path: '$.nodes[1].config.message.body',
        nodeId: 'mail',
        phrase: 'The ticket has no field "constructor"',
      },
    ],
  },

  // References
  {
    name: 'unknown teams in a rule and as the default',
    document: around(
      node('assign', 'assign', {
        team: 'nobody',
        teamRules: [{ when: 'ticket.category == "billing"', team: 'billing' }],
      }),
      ['next'],
      { teams: [support] },
    ),
    expected: [
      {
        code: 'unknown-team',
        path: '$.nodes[1].config.teamRules[0].team',
        nodeId: 'assign',
        phrase: 'Team "billing" is not declared in this flow\'s teams; add it there or pick',
      },
      {
        code: 'unknown-team',
        path: '$.nodes[1].config.team',
        nodeId: 'assign',
        phrase: 'Team "nobody"',
      },
    ],
  },
  {
    name: 'unknown calendar',
    document: around(
      node('approve', 'approval', { approver: 'finance', timeout: '1d', calendar: 'office' }),
      approvalPorts,
    ),
    expected: [
      {
        code: 'unknown-calendar',
        path: '$.nodes[1].config.calendar',
        nodeId: 'approve',
        phrase: 'Calendar "office" is not declared in this flow\'s calendars; add it there',
      },
    ],
  },
  {
    name: 'set-fields to an undeclared custom field',
    document: around(
      node('set', 'action', { type: 'set-fields', set: [{ field: 'fields.region', value: 'eu' }] }),
      ['next'],
    ),
    expected: [
      {
        code: 'unknown-field',
        path: '$.nodes[1].config.set[0].field',
        nodeId: 'set',
        phrase: 'Custom field "region" is not declared in ticketFields; declare it or pick another',
      },
    ],
  },
  {
    name: 'HTTP response mapped into an undeclared custom field',
    document: around(
      node('call', 'action', {
        type: 'http',
        url: 'https://erp.example.com/orders',
        map: [{ field: 'orderStatus', from: 'order.status' }],
      }),
      ['success', 'failure'],
    ),
    expected: [{ code: 'unknown-field', path: '$.nodes[1].config.map[0].field', nodeId: 'call' }],
  },
];

describe('lintFlow: invalid documents', () => {
  it.each(INVALID_FLOWS)('$name', ({ document, expected }) => {
    const { diagnostics, flow } = lintFlow(document);
    expect(
      diagnostics.map(({ code, path, nodeId, edgeId }) => ({ code, path, nodeId, edgeId })),
    ).toEqual(expected.map(({ code, path, nodeId, edgeId }) => ({ code, path, nodeId, edgeId })));
    expected.forEach(({ phrase, span }, index) => {
      const diagnostic = diagnostics[index];
      if (phrase !== undefined) expect(diagnostic?.message).toContain(phrase);
      if (span !== undefined) expect(diagnostic?.span).toMatchObject(span);
    });
    for (const { message } of diagnostics) expect(message).toMatch(/^["A-Z].*\.$/s);
    expect(flow).toBeUndefined();
  });

  it('returns the flow when the only problems are warnings (an unreachable node)', () => {
    const { diagnostics, flow } = lintFlow(
      flowOf([intake(), end(), end('orphan')], [edge('intake', 'next', 'done')]),
    );
    expect(diagnostics).toEqual([
      {
        code: 'unreachable-node',
        severity: 'warning',
        path: '$.nodes[2]',
        nodeId: 'orphan',
        message:
          'No path from the intake reaches node "orphan"; connect an edge into it or delete it.',
      },
    ]);
    expect(flow?.nodes.map((entry) => entry.id)).toEqual(['intake', 'done', 'orphan']);
  });

  it('reports every problem in a document at once', () => {
    const { diagnostics } = lintFlow(
      flowOf(
        [intake(), node('done', 'end', { outcome: 'finished' }), node('x', 'teleport', {})],
        [edge('intake', 'next', 'done'), edge('ghost', 'next', 'done')],
      ),
    );
    expect(diagnostics.map((d) => d.code)).toEqual([
      'invalid-config',
      'unknown-node-kind',
      'unknown-edge-source',
    ]);
  });

  it('lints a 20,000-step chain without overflowing the stack', () => {
    const steps = Array.from({ length: 20_000 }, (_, index) => node(`s${index}`, 'prioritize', {}));
    const ids = ['intake', ...steps.map((step) => step.id), 'done'];
    const edges = ids.slice(1).map((target, index) => edge(ids[index] ?? '', 'next', target));
    const { diagnostics, flow } = lintFlow(flowOf([intake(), ...steps, end()], edges));
    expect(diagnostics).toEqual([]);
    expect(flow?.nodes).toHaveLength(20_002);
  });
});
