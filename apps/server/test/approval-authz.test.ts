// Who may decide an approval: in the console only the approver the engine asked (its e-mail
// request for the pending approval node) or an admin; through REST only a token with
// approvals:decide. Every decision is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/index';
import { PASSWORD, startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

const FLOW_ID = 'approval-authz';
const LEAD_EMAIL = 'ops.lead@example.com';
/** The lead signs in with another address; their agent record (linked by user id) was asked. */
const LEAD_LOGIN = 'olga@corp.example';
const DECIDE_TOKEN = 'sy_test-approvals-decide-token-0123456789';
const WRITE_TOKEN = 'sy_test-tickets-write-only-token-0123456789';

let api: ApiServer;
let admin: TestClient;
let agent: TestClient;
let lead: TestClient;
let versionId = '';

/** intake → assign (team ops) → approval asked of the team lead → one end per port. */
function flowDocument() {
  const node = (id: string, kind: string, config: unknown, y: number) => ({
    id,
    kind,
    label: id === 'ask' ? 'Refund approval' : id,
    position: { x: 0, y },
    config,
  });
  return {
    schemaVersion: 1,
    id: FLOW_ID,
    name: 'Approval authorisation',
    ticketFields: [],
    teams: [{ id: 'ops', name: 'Operations', skills: [] }],
    calendars: [],
    nodes: [
      node('intake', 'intake', { channels: ['web', 'api'], acknowledge: false }, 0),
      node('route', 'assign', { team: 'ops' }, 150),
      node('ask', 'approval', { approver: 'team-lead', timeout: '8h' }, 300),
      node('yes', 'end', { outcome: 'resolved' }, 450),
      node('no', 'end', { outcome: 'rejected' }, 450),
      node('late', 'end', { outcome: 'cancelled' }, 450),
    ],
    edges: [
      { id: 'e1', source: 'intake', sourcePort: 'next', target: 'route' },
      { id: 'e2', source: 'route', sourcePort: 'next', target: 'ask' },
      { id: 'e3', source: 'ask', sourcePort: 'approved', target: 'yes' },
      { id: 'e4', source: 'ask', sourcePort: 'rejected', target: 'no' },
      { id: 'e5', source: 'ask', sourcePort: 'timeout', target: 'late' },
    ],
  };
}

async function newTicket(): Promise<string> {
  const { ticket } = await api.server.engine.createTicket(
    { subject: 'Refund 400 EUR', channel: 'web', customer: { name: 'Ann', email: 'ann@ex.com' } },
    { flowVersionId: versionId },
  );
  return ticket.number;
}

async function postEvent(token: string, number: string, event: unknown): Promise<Response> {
  return fetch(`${api.server.url}/api/v1/tickets/${number}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
}

function auditOf(number: string) {
  return api.server.repository.audit
    .list(undefined, 500)
    .filter((entry) => entry.target === number && entry.action.startsWith('approval.'));
}

beforeAll(async () => {
  api = await startApiServer();
  admin = await api.as('admin');
  agent = await api.as('agent');
  const { repository } = api.server;
  const leadUserId = repository.createUser({
    email: LEAD_LOGIN,
    name: 'Ops Lead',
    passwordHash: await hashPassword(PASSWORD),
    role: 'agent',
  });
  lead = await api.as(null);
  await lead.login(LEAD_LOGIN, PASSWORD);
  await admin.client.settings.teams.upsert.mutate({ id: 'ops', name: 'Operations' });
  await admin.client.settings.agents.upsert.mutate({
    name: 'Olga Lead',
    email: LEAD_EMAIL,
    userId: leadUserId,
    teamId: 'ops',
    role: 'lead',
  });
  await admin.client.settings.agents.upsert.mutate({
    name: 'Plain Agent',
    email: 'agent@example.com',
    teamId: 'ops',
  });
  await admin.client.flows.import.mutate({ json: JSON.stringify(flowDocument()) });
  const { version } = await admin.client.versions.publish.mutate({ flowId: FLOW_ID, note: '' });
  versionId = repository.getVersion(FLOW_ID, version).id;
  repository.createToken(DECIDE_TOKEN, 'approver bot', ['tickets:write', 'approvals:decide'], null);
  repository.createToken(WRITE_TOKEN, 'writer', ['tickets:write'], null);
}, 60_000);

afterAll(async () => {
  await api.close();
});

describe('console approvals: only the asked approver or an admin decides', () => {
  it('the ticket shows who was asked; the lead may decide, another agent may not', async () => {
    const number = await newTicket();
    const asLead = await lead.client.tickets.get.query({ number });
    expect(asLead.currentNode?.id).toBe('ask');
    expect(asLead.approval).toMatchObject({
      nodeId: 'ask',
      label: 'Refund approval',
      approvers: [{ name: 'Olga Lead', email: LEAD_EMAIL }],
      mayDecide: true,
    });
    expect(asLead.actions).toMatchObject({ approve: true, reject: true });

    const asAgent = await agent.client.tickets.get.query({ number });
    expect(asAgent.approval?.mayDecide).toBe(false);
    expect(asAgent.approval?.deciders).toBe(`Olga Lead (${LEAD_EMAIL}) or an admin`);
    expect(asAgent.actions).toMatchObject({ approve: false, reject: false, comment: true });
    // The step still takes the event; it is the user who may not send it.
    expect(asAgent.accepts['APPROVAL.DECIDED']).toBe(true);
  });

  it('the asked lead approves: the ticket moves on and the audit log names lead and decision', async () => {
    const number = await newTicket();
    const approved = await lead.client.tickets.approve.mutate({ number, reason: 'within policy' });
    expect(approved.status).toBe('resolved');
    const [entry] = auditOf(number);
    expect(entry).toMatchObject({
      action: 'approval.approve',
      actor: { email: LEAD_LOGIN },
      details: { via: 'console', by: LEAD_LOGIN, nodeId: 'ask', reason: 'within policy' },
    });
  });

  it('another agent gets FORBIDDEN naming who may decide, and nothing changes', async () => {
    const number = await newTicket();
    const before = await admin.client.tickets.get.query({ number });
    for (const decide of [agent.client.tickets.approve, agent.client.tickets.reject]) {
      const error = await errorOf(decide.mutate({ number }));
      expect(error.data?.code).toBe('FORBIDDEN');
      expect(error.message).toBe(
        `Only Olga Lead (${LEAD_EMAIL}) or an admin may decide the approval "Refund approval" of ticket ${number}`,
      );
    }
    const after = await admin.client.tickets.get.query({ number });
    expect(after.history).toHaveLength(before.history.length);
    expect(after.currentNode?.id).toBe('ask');
    expect(auditOf(number)).toEqual([]);
  });

  it('an admin may decide any approval', async () => {
    const number = await newTicket();
    const view = await admin.client.tickets.get.query({ number });
    expect(view.approval?.mayDecide).toBe(true);
    const rejected = await admin.client.tickets.reject.mutate({ number, reason: 'no receipt' });
    // The rejected port's end.
    expect(rejected.currentNodes).toEqual([{ id: 'no', label: 'no' }]);
    expect(auditOf(number)).toMatchObject([
      {
        action: 'approval.reject',
        actor: { email: 'admin@localhost' },
        details: { via: 'console' },
      },
    ]);
  });

  it('a ticket with no approval waiting is still a CONFLICT for everyone', async () => {
    const number = await newTicket();
    await admin.client.tickets.approve.mutate({ number });
    const view = await agent.client.tickets.get.query({ number });
    expect(view.approval).toBeNull();
    expect((await errorOf(agent.client.tickets.approve.mutate({ number }))).data?.code).toBe(
      'CONFLICT',
    );
  });
});

describe('REST approvals need the approvals:decide scope', () => {
  it('tickets:write alone is refused with 403 naming the scope; the ticket does not move', async () => {
    const number = await newTicket();
    for (const approved of [true, false]) {
      const response = await postEvent(WRITE_TOKEN, number, {
        type: 'APPROVAL.DECIDED',
        approved,
        by: 'erp',
      });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.message).toBe('The API token lacks the approvals:decide scope');
      expect(response.headers.get('www-authenticate')).toContain('scope="approvals:decide"');
    }
    const record = await api.server.store.getTicketByNumber(number);
    expect(record?.currentNodes).toEqual(['ask']);
    // Other events still need only tickets:write.
    const comment = await postEvent(WRITE_TOKEN, number, {
      type: 'COMMENT.ADDED',
      by: 'erp',
      text: 'waiting for the lead',
    });
    expect(comment.status).toBe(200);
  });

  it('a token with approvals:decide decides as before, audited with the token', async () => {
    const number = await newTicket();
    const response = await postEvent(DECIDE_TOKEN, number, {
      type: 'APPROVAL.DECIDED',
      approved: true,
      by: 'erp',
      reason: 'auto-approved under 500 EUR',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; number: string };
    expect(body).toMatchObject({ number, status: 'resolved' });
    expect(auditOf(number)).toMatchObject([
      {
        action: 'approval.approve',
        actor: null,
        details: {
          via: 'api',
          token: { name: 'approver bot' },
          by: 'erp',
          reason: 'auto-approved under 500 EUR',
        },
      },
    ]);
  });

  it('admins can issue tokens with the new scope', async () => {
    const created = await admin.client.tokens.create.mutate({
      name: 'decider',
      scopes: ['tickets:write', 'approvals:decide'],
    });
    expect(created.scopes).toEqual(['tickets:write', 'approvals:decide']);
    const unknown = await errorOf(
      admin.client.tokens.create.mutate({
        name: 'bad',
        // @ts-expect-error — not a scope
        scopes: ['approvals:everything'],
      }),
    );
    expect(unknown.data?.code).toBe('BAD_REQUEST');
  });
});
