import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

let api: ApiServer;
let admin: TestClient;
let viewer: TestClient;

beforeAll(async () => {
  api = await startApiServer();
  admin = await api.as('admin');
  viewer = await api.as('viewer');
});

afterAll(async () => {
  await api.close();
});

const VIP = {
  subject: 'Cannot log in — password reset loop',
  description: 'Our admins cannot log in to the console.',
  channel: 'web' as const,
  customer: { name: 'Alice Zhang', email: 'alice@corp.example', tier: 'vip' as const },
};

describe('scenarios per flow', () => {
  it('lists the template suite of a flow made from a template and runs it green on the draft', async () => {
    const listed = await viewer.client.scenarios.list.query({ flowId: 'saas-login' });
    expect(listed.length).toBe(4);
    expect(listed.every((entry) => entry.source === 'template')).toBe(true);

    const suite = await viewer.client.scenarios.run.mutate({ flowId: 'saas-login' });
    expect(suite.failed).toBe(0);
    expect(suite.passed).toBe(4);
    expect(suite.coverage.edges).toBeGreaterThan(0);
    expect(suite.coverage.edges).toBeLessThanOrEqual(1);
    const happy = suite.scenarios.find((s) => s.name.startsWith('VIP login fault answered'));
    expect(happy?.path.slice(0, 3)).toEqual(['intake', 'classify', 'prioritize']);
    expect(happy?.ticket).toMatchObject({ priority: 'high', team: 'tech', status: 'closed' });
  });

  it('saves, overrides, reports the first differing expectation and deletes', async () => {
    const { flowId } = await admin.client.templates.import.mutate({ templateId: 'saas-login' });
    expect(flowId).toMatch(/^saas-login-\d+$/);
    const agent = await api.as('agent');
    await agent.client.scenarios.save.mutate({
      flowId,
      scenario: {
        name: 'VIP is low priority (wrong on purpose)',
        ticket: VIP,
        events: [{ at: '+30m', type: 'AGENT.REPLIED', by: 'li', message: 'Looking' }],
        expect: { priority: 'low', team: 'tech' },
      },
    });
    const listed = await viewer.client.scenarios.list.query({ flowId });
    expect(listed.map((entry) => entry.source)).toEqual([
      'stored',
      'template',
      'template',
      'template',
      'template',
    ]);
    expect(listed[0]?.updatedBy).not.toBeNull();

    const suite = await viewer.client.scenarios.run.mutate({ flowId, version: 'draft' });
    expect(suite.failed).toBe(1);
    const wrong = suite.scenarios.find((s) => !s.passed);
    expect(wrong?.name).toBe('VIP is low priority (wrong on purpose)');
    expect(wrong?.failures[0]).toBe('priority: expected "low", got "high"');

    // A stored scenario with a template scenario's name replaces it in the list and the run.
    const templateName = listed[1]?.name ?? '';
    await admin.client.scenarios.save.mutate({
      flowId,
      scenario: { name: templateName, ticket: VIP, expect: { status: 'resolved' } },
    });
    const overridden = await viewer.client.scenarios.list.query({ flowId });
    expect(overridden.length).toBe(5);
    expect(overridden.find((e) => e.name === templateName)?.source).toBe('stored');
    const again = await viewer.client.scenarios.run.mutate({ flowId });
    expect(again.failed).toBe(2);

    await admin.client.scenarios.delete.mutate({ flowId, name: templateName });
    await agent.client.scenarios.delete.mutate({
      flowId,
      name: 'VIP is low priority (wrong on purpose)',
    });
    const back = await viewer.client.scenarios.run.mutate({ flowId });
    expect([back.passed, back.failed]).toEqual([4, 0]);
    expect(await codeOf(admin.client.scenarios.delete.mutate({ flowId, name: templateName }))).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses viewers writing, bad scenarios with the field named, and unknown flows', async () => {
    expect(
      await codeOf(
        viewer.client.scenarios.save.mutate({
          flowId: 'saas-login',
          scenario: { name: 'x', ticket: VIP, expect: {} },
        }),
      ),
    ).toBe('FORBIDDEN');
    const bad = await errorOf(
      admin.client.scenarios.save.mutate({
        flowId: 'saas-login',
        scenario: {
          name: 'bad offset',
          ticket: VIP,
          events: [{ at: 'tomorrow', type: 'AGENT.REPLIED' }],
          expect: {},
        },
      }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'scenario.events.0.at' })]),
    );
    expect(await codeOf(viewer.client.scenarios.list.query({ flowId: 'no-such-flow' }))).toBe(
      'NOT_FOUND',
    );
  });

  it('runs a published version, refuses a draft that does not compile, and goes with its flow', async () => {
    const { id } = await admin.client.flows.create.mutate({ name: 'Scenario playground' });
    const flow = await admin.client.flows.get.query({ id });
    expect(await codeOf(admin.client.scenarios.run.mutate({ flowId: id }))).toBe(
      'PRECONDITION_FAILED',
    );
    await admin.client.scenarios.save.mutate({
      flowId: id,
      scenario: { name: 'ends at once', ticket: VIP, expect: { done: true } },
    });
    await admin.client.versions.publish.mutate({ flowId: id, note: '' });
    const published = await viewer.client.scenarios.run.mutate({ flowId: id, version: 1 });
    expect([published.passed, published.failed]).toEqual([1, 0]);
    expect(published.coverage).toMatchObject({ nodes: 1, edges: 1 });

    // A draft with an edge to nowhere does not compile: the run answers with its diagnostics.
    const broken = structuredClone(flow.draft);
    broken.edges.push({
      id: 'dangling',
      source: broken.nodes[0]?.id ?? '',
      sourcePort: 'out',
      target: 'nowhere',
    });
    await admin.client.flows.saveDraft.mutate({ id, document: broken, baseRevision: 0 });
    const refused = await errorOf(admin.client.scenarios.run.mutate({ flowId: id }));
    expect(refused.data?.code).toBe('PRECONDITION_FAILED');
    expect(refused.data?.diagnostics?.length).toBeGreaterThan(0);

    await admin.client.flows.delete.mutate({ id });
    expect(api.server.repository.scenarios.list(id)).toEqual([]);
  });
});
