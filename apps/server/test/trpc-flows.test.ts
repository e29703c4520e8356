import { readFileSync } from 'node:fs';
import { createMachine } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './support/api-server';
import type { ApiServer } from './support/api-server';
import { codeOf, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

const TEMPLATE_TEXT = readFileSync(
  new URL('../../../templates/saas-login/flow.json', import.meta.url),
  'utf8',
);

let api: ApiServer;
let admin: TestClient;

beforeAll(async () => {
  api = await startApiServer();
  admin = await api.as('admin');
});

afterAll(async () => {
  await api.close();
});

describe('flows and versions', () => {
  it('drafts, publishes, diffs and rolls back a flow', async () => {
    const { client } = admin;
    const { id } = await client.flows.create.mutate({ name: 'Refund requests' });
    expect(id).toBe('refund-requests');
    const created = await client.flows.get.query({ id });
    expect(created).toMatchObject({
      name: 'Refund requests',
      draftRevision: 0,
      publishedVersion: null,
    });
    expect(created.draft.nodes.map((node) => node.kind)).toEqual(['intake', 'end']);
    expect((await client.flows.list.query()).find((flow) => flow.id === id)).toMatchObject({
      status: 'draft',
      publishedVersion: null,
      nodeCount: 2,
      draftUpdatedBy: 'admin@localhost',
    });

    expect(await client.versions.publish.mutate({ flowId: id, note: 'first' })).toEqual({
      version: 1,
    });

    // Edit the draft: a label and a new end node reached from nowhere (a warning, not an error).
    const draft = structuredClone(created.draft);
    const end = draft.nodes[1];
    if (end === undefined) throw new Error('no end node');
    end.label = 'Closed';
    draft.nodes.push({
      id: 'spare',
      kind: 'end',
      position: { x: 300, y: 200 },
      config: { outcome: 'closed' },
    });
    const saved = await client.flows.saveDraft.mutate({ id, document: draft, baseRevision: 0 });
    expect(saved).toEqual({ draftRevision: 1 });

    // A second editor on the stale revision gets CONFLICT and the current revision.
    const stale = await errorOf(
      client.flows.saveDraft.mutate({ id, document: created.draft, baseRevision: 0 }),
    );
    expect(stale.data?.code).toBe('CONFLICT');
    expect(stale.data?.current).toEqual({ draftRevision: 1 });

    const toDraft = await client.versions.diff.query({ flowId: id, from: 1, to: 'draft' });
    expect(toDraft.nodes.added).toEqual(['spare']);
    expect(toDraft.nodes.changed).toEqual([
      { id: 'done', fields: [{ path: 'label', before: 'Done', after: 'Closed' }] },
    ]);
    expect(toDraft.edges).toEqual({ added: [], removed: [], changed: [] });

    expect(await client.versions.publish.mutate({ flowId: id, note: 'relabel' })).toEqual({
      version: 2,
    });
    expect(await client.versions.diff.query({ flowId: id, from: 2, to: 'draft' })).toEqual({
      nodes: { added: [], removed: [], changed: [] },
      edges: { added: [], removed: [], changed: [] },
      settings: [],
    });

    expect(await client.versions.rollback.mutate({ flowId: id, version: 1 })).toEqual({
      version: 3,
    });
    const versions = await client.versions.list.query({ flowId: id });
    expect(versions.map((v) => [v.version, v.note, v.isCurrent, v.publishedBy])).toEqual([
      [3, 'Rollback to version 1', true, 'admin@localhost'],
      [2, 'relabel', false, 'admin@localhost'],
      [1, 'first', false, 'admin@localhost'],
    ]);
    // The rollback republished version 1's document exactly.
    expect(versions[0]?.contentHash).toBe(versions[2]?.contentHash);
    expect(versions[0]?.contentHash).not.toBe(versions[1]?.contentHash);
    const v3 = await client.versions.get.query({ flowId: id, version: 3 });
    const v1 = await client.versions.get.query({ flowId: id, version: 1 });
    expect(v3.document).toEqual(v1.document);
    expect(await client.versions.diff.query({ flowId: id, from: 2, to: 3 })).toMatchObject({
      nodes: { removed: ['spare'] },
    });

    // New tickets of the flow start on the current version (3, the rolled-back document).
    const latest = api.server.repository.getLatestVersion(id);
    expect(latest?.document).toBe(JSON.stringify(v1.document));

    // Publish and rollback are in the audit log with who, what and the note.
    const audit = await client.audit.list.query({ limit: 20 });
    const forFlow = audit.items.filter((entry) => entry.target === id);
    expect(forFlow.map((entry) => entry.action)).toEqual([
      'version.rollback',
      'version.publish',
      'version.publish',
      'flow.create',
    ]);
    expect(forFlow[0]).toMatchObject({
      actor: { email: 'admin@localhost' },
      details: { version: 3, from: 1, note: 'Rollback to version 1' },
    });
  });

  it('refuses to publish a draft with lint errors, listing the diagnostics', async () => {
    const { client } = admin;
    const { id } = await client.flows.create.mutate({ name: 'Broken' });
    const flow = await client.flows.get.query({ id });
    const draft = { ...flow.draft, edges: [] }; // intake → nothing: a dead end
    await client.flows.saveDraft.mutate({ id, document: draft, baseRevision: 0 });
    const error = await errorOf(client.versions.publish.mutate({ flowId: id, note: 'try' }));
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/lint error/);
    expect(error.data?.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'error', nodeId: 'intake' })]),
    );
    expect(await client.versions.list.query({ flowId: id })).toEqual([]);
    expect(await codeOf(client.flows.exportMachine.query({ id }))).toBe('PRECONDITION_FAILED');
  });

  it('names the fields of a draft that fails the document schema', async () => {
    const { client } = admin;
    const { id } = await client.flows.create.mutate({ name: 'Strict' });
    const flow = await client.flows.get.query({ id });
    const bad = await errorOf(
      client.flows.saveDraft.mutate({
        id,
        document: { ...flow.draft, nodes: [{ ...flow.draft.nodes[0], id: '1 bad id' }] } as never,
        baseRevision: 0,
      }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.issues).toEqual([expect.objectContaining({ path: 'document.nodes.0.id' })]);
    const otherId = await errorOf(
      client.flows.saveDraft.mutate({
        id,
        document: { ...flow.draft, id: 'other' },
        baseRevision: 0,
      }),
    );
    expect(otherId.data?.issues).toEqual([expect.objectContaining({ path: 'document.id' })]);
  });

  it('imports Flow JSON text: parse errors name the position, lint findings come back', async () => {
    const { client } = admin;
    const broken = await errorOf(
      client.flows.import.mutate({ json: '{\n  "id": "x",\n  oops\n}' }),
    );
    expect(broken.data?.code).toBe('BAD_REQUEST');
    expect(broken.data?.issues?.[0]?.path).toBe('json');
    expect(broken.message).toMatch(/Line 3, column 3/);

    const notFlow = await errorOf(client.flows.import.mutate({ json: '{"schemaVersion": 1}' }));
    expect(notFlow.data?.issues?.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['json.id', 'json.name', 'json.nodes']),
    );

    const clean = await client.flows.import.mutate({ json: TEMPLATE_TEXT });
    expect(clean.id).toBe('saas-login-2'); // saas-login exists (seeded)
    expect(clean.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((await client.flows.get.query({ id: clean.id })).draft.id).toBe('saas-login-2');

    const document = JSON.parse(TEMPLATE_TEXT) as { edges: unknown[] };
    document.edges = document.edges.slice(1);
    const withErrors = await client.flows.import.mutate({ json: JSON.stringify(document) });
    expect(withErrors.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'error' })]),
    );
    expect((await client.flows.list.query({ search: 'saas' })).map((f) => f.id)).toEqual(
      expect.arrayContaining(['saas-login', 'saas-login-2', 'saas-login-3']),
    );
  });

  it('exports the compiled machine, which plain xstate loads', async () => {
    const { client } = admin;
    const { machine, sourceMap } = await client.flows.exportMachine.query({
      id: 'saas-login',
      version: 1,
    });
    expect(() => createMachine(machine as never)).not.toThrow();
    expect(sourceMap).toHaveProperty('states');
    const draft = await client.flows.exportMachine.query({ id: 'saas-login' });
    expect(draft.machine).toEqual(machine);
  });

  it('deletes a flow only when it serves no channel and has no tickets', async () => {
    const { client } = admin;
    expect(await codeOf(client.flows.delete.mutate({ id: 'saas-login' }))).toBe(
      'PRECONDITION_FAILED',
    );
    const { id } = await client.flows.create.mutate({ name: 'Short lived' });
    await client.versions.publish.mutate({ flowId: id, note: '' });
    await client.flows.delete.mutate({ id });
    expect(await codeOf(client.flows.get.query({ id }))).toBe('NOT_FOUND');
  });
});

describe('templates', () => {
  it('lists the repository templates and imports one as a new draft under a free id', async () => {
    const { client } = admin;
    const templates = await client.templates.list.query();
    const saas = templates.find((template) => template.id === 'saas-login');
    expect(saas).toMatchObject({
      name: { en: 'SaaS login and troubleshooting', zh: 'SaaS 登录与故障排查' },
      industry: 'saas',
      nodeCount: 9,
    });
    expect(saas?.readme).toMatch(/SaaS login and troubleshooting/);
    expect(saas?.description.zh).toMatch(/关键词/);

    const first = await client.templates.import.mutate({ templateId: 'saas-login' });
    const second = await client.templates.import.mutate({ templateId: 'saas-login' });
    expect(first.flowId).toMatch(/^saas-login-\d+$/);
    expect(second.flowId).not.toBe(first.flowId);
    const flow = await client.flows.get.query({ id: second.flowId });
    expect(flow.draft.id).toBe(second.flowId);
    expect(flow.draft.nodes).toEqual(saas?.document.nodes);
    expect(flow.publishedVersion).toBeNull();
    // An imported template publishes as is.
    expect(await client.versions.publish.mutate({ flowId: second.flowId, note: 'go' })).toEqual({
      version: 1,
    });
    expect(await codeOf(client.templates.import.mutate({ templateId: 'nope' }))).toBe('NOT_FOUND');
  });
});
