import type { FlowDocument, TicketInput } from '@switchyard/flow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

// Replay of production (issue 6, item 5): tickets created through the real runtime (engine on the
// SQLite store), then re-run against the draft with versions.replay.

let api: ApiServer;
let admin: TestClient;
let agent: TestClient;
let viewer: TestClient;
let flowId: string;
/** Ticket numbers, oldest first. */
const numbers: string[] = [];

const VIP_LOGIN: TicketInput = {
  subject: 'Cannot log in — password reset loop',
  description: 'Our admins cannot log in to the console.',
  channel: 'web',
  customer: { name: 'Alice Zhang', email: 'alice@corp.example', tier: 'vip' },
};
const INVOICE: TicketInput = {
  subject: 'Invoice for March',
  description: 'Please send the invoice and the billing receipt for March.',
  channel: 'email',
  customer: { name: 'Wang Fang', email: 'wang.fang@example.cn', tier: 'standard' },
};
const QUESTION: TicketInput = {
  subject: 'How do I export my dashboards?',
  description: 'Is there a way to export a dashboard as PDF?',
  channel: 'chat',
  customer: { name: 'Carol', email: 'carol@startup.example', tier: 'standard' },
};

async function saveDraft(edit: (document: FlowDocument) => FlowDocument): Promise<void> {
  const flow = await admin.client.flows.get.query({ id: flowId });
  await admin.client.flows.saveDraft.mutate({
    id: flowId,
    document: edit(flow.draft),
    baseRevision: flow.draftRevision,
  });
}

beforeAll(async () => {
  api = await startApiServer();
  admin = await api.as('admin');
  agent = await api.as('agent');
  viewer = await api.as('viewer');
  // A flow of its own (a copy of the SaaS template) so other tests' tickets do not mix in.
  ({ flowId } = await admin.client.templates.import.mutate({ templateId: 'saas-login' }));
  const { version } = await admin.client.versions.publish.mutate({ flowId, note: 'live' });
  const versionId = api.server.repository.getVersion(flowId, version).id;
  for (const input of [VIP_LOGIN, INVOICE, QUESTION]) {
    const { ticket } = await api.server.engine.createTicket(input, { flowVersionId: versionId });
    numbers.push(ticket.number);
  }
  // Outside events recorded in the log: a reply, then the login fault resolved.
  const [login = '', invoice = ''] = numbers;
  await agent.client.tickets.reply.mutate({ number: invoice, message: 'Attached.' });
  await agent.client.tickets.resolve.mutate({ number: login, note: 'Reset the SSO link' });
}, 60_000);

afterAll(async () => {
  await api.close();
});

describe('versions.replay', () => {
  it('finds no differences when the draft is the published version', async () => {
    const replay = await viewer.client.versions.replay.mutate({ flowId });
    expect(replay.version).toBe(1);
    expect(replay.available).toBe(3);
    // Newest first.
    expect(replay.tickets.map((t) => t.number)).toEqual([...numbers].reverse());
    expect(replay.totals).toMatchObject({ tickets: 3, changed: 0, routedDifferently: 0 });
    expect(replay.totals.summary).toBe('0 of 3 tickets would be routed differently');
    for (const ticket of replay.tickets) {
      expect(ticket.differences).toEqual([]);
      expect(ticket.draft.path).toEqual(ticket.production.path);
      expect(ticket.rejectedEvents).toEqual([]);
    }
    const login = replay.tickets.find((t) => t.number === numbers[0]);
    // The resolve was replayed: the draft reached the survey like production did.
    expect(login?.replayedEvents).toBe(1);
    expect(login?.production.path).toContain('survey');
    expect(login?.production).toMatchObject({ priority: 'high', team: 'tech', status: 'resolved' });
  });

  it('reports the tickets a changed draft would route differently, and only those', async () => {
    // Billing questions go to a new finance team; VIP faults become urgent.
    await saveDraft((document) => ({
      ...document,
      teams: [...document.teams, { id: 'finance', name: 'Finance', skills: ['billing'] }],
      nodes: document.nodes.map((node) => {
        if (node.id === 'assign') {
          const config = node.config as { teamRules: { when: string; team: string }[] };
          return {
            ...node,
            config: {
              ...config,
              teamRules: config.teamRules.map((rule) =>
                rule.team === 'billing' ? { ...rule, team: 'finance' } : rule,
              ),
            },
          };
        }
        if (node.id === 'prioritize') {
          const config = node.config as { rules: { tier?: string; priority: string }[] };
          return {
            ...node,
            config: {
              ...config,
              rules: config.rules.map((rule) =>
                rule.tier === 'vip' && rule.priority === 'high'
                  ? { ...rule, priority: 'urgent' }
                  : rule,
              ),
            },
          };
        }
        return node;
      }),
    }));
    const replay = await viewer.client.versions.replay.mutate({ flowId, last: 50 });
    expect(replay.totals).toMatchObject({
      tickets: 3,
      changed: 2,
      routedDifferently: 1,
      byField: { path: 0, priority: 1, team: 1, slaBreached: 0, status: 0 },
    });
    expect(replay.totals.summary).toBe('1 of 3 tickets would be routed differently');
    const [login, invoice, question] = numbers.map((number) =>
      replay.tickets.find((t) => t.number === number),
    );
    expect(invoice?.differences).toEqual([
      { field: 'team', production: 'billing', draft: 'finance' },
    ]);
    expect(invoice?.routedDifferently).toBe(true);
    expect(login?.differences).toEqual([
      { field: 'priority', production: 'high', draft: 'urgent' },
    ]);
    expect(login?.routedDifferently).toBe(false);
    expect(question?.differences).toEqual([]);
  });

  it('takes the newest N, and batches of one replay with the same asOf', async () => {
    const newest = await viewer.client.versions.replay.mutate({ flowId, version: 1, last: 2 });
    expect(newest.available).toBe(2);
    expect(newest.tickets.map((t) => t.number)).toEqual([numbers[2], numbers[1]]);

    const first = await viewer.client.versions.replay.mutate({ flowId, last: 3, batch: 2 });
    expect(first.tickets.length).toBe(2);
    // A ticket created after the first batch is not part of this replay.
    const versionId = api.server.repository.getVersion(flowId, 1).id;
    await api.server.engine.createTicket(QUESTION, { flowVersionId: versionId });
    const second = await viewer.client.versions.replay.mutate({
      flowId,
      last: 3,
      batch: 2,
      offset: 2,
      asOf: first.asOf,
    });
    expect(second.available).toBe(3);
    expect([...first.tickets, ...second.tickets].map((t) => t.number)).toEqual(
      [...numbers].reverse(),
    );
  });

  it('refuses what it cannot replay, naming the field or the reason', async () => {
    const tooMany = await errorOf(viewer.client.versions.replay.mutate({ flowId, last: 1001 }));
    expect(tooMany.data?.code).toBe('BAD_REQUEST');
    expect(tooMany.data?.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'last' })]),
    );
    const badTime = await errorOf(
      viewer.client.versions.replay.mutate({ flowId, asOf: 'yesterday' }),
    );
    expect(badTime.data?.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'asOf' })]),
    );
    expect(await codeOf(viewer.client.versions.replay.mutate({ flowId, version: 99 }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(viewer.client.versions.replay.mutate({ flowId: 'no-such-flow' }))).toBe(
      'NOT_FOUND',
    );
    const { id: unpublished } = await admin.client.flows.create.mutate({ name: 'Never published' });
    const none = await errorOf(viewer.client.versions.replay.mutate({ flowId: unpublished }));
    expect(none.data?.code).toBe('PRECONDITION_FAILED');
    expect(none.message).toContain('no published version');

    // A draft that does not compile cannot be replayed against; its errors come along.
    await saveDraft((document) => ({
      ...document,
      edges: document.edges.filter((edge) => edge.id !== 'e-assign-sla'),
    }));
    const broken = await errorOf(viewer.client.versions.replay.mutate({ flowId }));
    expect(broken.data?.code).toBe('PRECONDITION_FAILED');
    expect(broken.data?.diagnostics?.some((d) => d.nodeId === 'assign')).toBe(true);
  });
});

describe('versions.simulate', () => {
  it('runs a sample ticket through a document on the server', async () => {
    const flow = await viewer.client.flows.get.query({ id: 'saas-login' });
    const result = await viewer.client.versions.simulate.mutate({
      flowId: 'saas-login',
      document: flow.draft,
      ticket: VIP_LOGIN,
      events: [{ at: '+30m', type: 'AGENT.RESOLVED' }],
      until: '3d',
    });
    expect(result.path.slice(0, 4)).toEqual(['intake', 'classify', 'prioritize', 'assign']);
    expect(result.ticket).toMatchObject({ priority: 'high', team: 'tech' });
    expect(result.steps.some((step) => step.event === 'AGENT.RESOLVED')).toBe(true);
  });

  it('classifies with the trained model a draft names (the browser has none)', async () => {
    const flow = await viewer.client.flows.get.query({ id: 'retail-returns' });
    const result = await viewer.client.versions.simulate.mutate({
      flowId: 'retail-returns',
      document: flow.draft,
      // No keyword rule matches this text: the model decides.
      ticket: { subject: 'Sizing', description: "The trousers don't fit, I'd like my money" },
    });
    const notes = result.steps.flatMap((step) => step.notes);
    expect(notes.some((note) => note.includes('is not available'))).toBe(false);
    expect(notes.some((note) => note.startsWith('model predicted'))).toBe(true);
  });

  it('names the bad field of the sample ticket or script', async () => {
    const flow = await viewer.client.flows.get.query({ id: 'saas-login' });
    const bad = await errorOf(
      viewer.client.versions.simulate.mutate({
        flowId: 'saas-login',
        document: flow.draft,
        ticket: { subject: '' },
        events: [{ at: 'soon', type: 'AGENT.REPLIED' }],
        until: '9999d',
      }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'ticket.subject' }),
        expect.objectContaining({ path: 'events.0.at' }),
        expect.objectContaining({ path: 'until', message: 'Simulate at most 366 days' }),
      ]),
    );
    const broken = await errorOf(
      viewer.client.versions.simulate.mutate({
        flowId: 'saas-login',
        document: { nodes: 'x' },
        ticket: VIP_LOGIN,
      }),
    );
    expect(broken.data?.code).toBe('PRECONDITION_FAILED');
  });
});
