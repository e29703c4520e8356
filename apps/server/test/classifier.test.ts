// Trained classifier models through the real server: CSV and ticket training as background jobs,
// the registry's cross-validation figures, a flow routing REST tickets (and scenarios) by its
// model, pins surviving newer models and a restart, refused publishes, bad CSV, interrupted jobs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIntentModel } from '@switchyard/classifier';
import { openSqlite } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { getLabelFigures } from '../src/classifier/training';
import { createTempDir } from './support/temp';
import { createTestClient, errorOf } from './support/trpc-client';
import type { TestClient } from './support/trpc-client';

const PASSWORD = 'a long enough password';
const TOKEN = 'sy_classifier-test-token-0123456789abcdefghijklmnop';
const CSV = readFileSync(join(import.meta.dirname, 'fixtures', 'banking-intents.csv'), 'utf8');
const LABELS = ['card_arrival', 'exchange_rate', 'lost_or_stolen_card', 'top_up_failed'];

const dir = createTempDir();
let server: SwitchyardServer;
let admin: TestClient;

async function start(): Promise<void> {
  server = await createServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: dir.path,
      SWITCHYARD_ADMIN_PASSWORD: PASSWORD,
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
      SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
      SMTP_PORT: 'off',
    }),
    { log: () => undefined, tickMs: 3_600_000, seedSamples: false },
  );
  admin = createTestClient(server.url);
  await admin.login('admin@localhost', PASSWORD);
}

beforeAll(start);

afterAll(async () => {
  await server.close();
  dir[Symbol.dispose]();
});

type Job = Awaited<ReturnType<TestClient['client']['classifier']['jobs']['get']['query']>>;

/** Polls the job until it has finished; every snapshot seen, in order. */
async function waitForJob(id: string): Promise<Job[]> {
  const seen: Job[] = [];
  for (;;) {
    const job = await admin.client.classifier.jobs.get.query({ id });
    seen.push(job);
    if (job.status === 'succeeded' || job.status === 'failed') return seen;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function train(name: string, text: string): Promise<string> {
  const { jobId } = await admin.client.classifier.train.mutate({
    name,
    folds: 5,
    source: { kind: 'csv', fileName: `${name}.csv`, text },
  });
  const seen = await waitForJob(jobId);
  const last = seen.at(-1);
  expect(last?.error ?? null).toBeNull();
  expect(last?.status).toBe('succeeded');
  return last?.modelId ?? '';
}

/** intake → classify (model only) → one end per label. */
function flowDocument(id: string, modelId: string) {
  return {
    schemaVersion: 1,
    id,
    name: `Banking ${id}`,
    ticketFields: [],
    teams: [],
    calendars: [],
    nodes: [
      {
        id: 'intake',
        kind: 'intake',
        label: 'Intake',
        position: { x: 0, y: 0 },
        config: { channels: ['api'] },
      },
      {
        id: 'classify',
        kind: 'classify',
        label: 'What is it about?',
        position: { x: 0, y: 150 },
        config: {
          mode: 'model',
          categories: LABELS.map((label) => ({ id: label.replaceAll('_', '-'), label })),
          model: {
            modelId,
            threshold: 0.3,
            labelMap: Object.fromEntries(
              LABELS.map((label) => [label, { category: label.replaceAll('_', '-') }]),
            ),
          },
        },
      },
      ...[...LABELS, 'unknown'].map((label, index) => ({
        id: `end-${label.replaceAll('_', '-')}`,
        kind: 'end',
        label: `Done: ${label}`,
        position: { x: index * 200, y: 300 },
        config: { outcome: 'closed' },
      })),
    ],
    edges: [
      { id: 'e-intake', source: 'intake', sourcePort: 'next', target: 'classify' },
      ...[...LABELS, 'unknown'].map((label) => ({
        id: `e-${label.replaceAll('_', '-')}`,
        source: 'classify',
        sourcePort: label === 'unknown' ? 'unknown' : label.replaceAll('_', '-'),
        target: `end-${label.replaceAll('_', '-')}`,
      })),
    ],
  };
}

async function publish(id: string, modelId: string): Promise<void> {
  const imported = await admin.client.flows.import.mutate({
    json: JSON.stringify(flowDocument(id, modelId)),
  });
  expect(imported.id).toBe(id);
  await admin.client.versions.publish.mutate({ flowId: id, note: '' });
}

async function postTicket(flow: string, subject: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      flow,
      channel: 'api',
      subject,
      description: subject,
      customer: { name: 'Ann', email: 'ann@example.com' },
    }),
  });
  const created = (await response.json()) as { number: string };
  expect(response.status, JSON.stringify(created)).toBe(201);
  const read = await fetch(`${server.url}/api/v1/tickets/${created.number}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return (await read.json()) as Record<string, unknown>;
}

/** The CSV with the labels of two intents swapped: a model that answers differently. */
const SWAPPED = CSV.replaceAll(',card_arrival', ',TMP')
  .replaceAll(',lost_or_stolen_card', ',card_arrival')
  .replaceAll(',TMP', ',lost_or_stolen_card');

const ARRIVAL = 'My new card still has not arrived, when will it be delivered?';
const RATE = 'What exchange rate do you use when I pay in euros?';

let modelA = '';

describe('evaluation figures', () => {
  it('computes precision and recall per label from the confusion matrix', () => {
    // truth a: 8 right, 2 taken for b; truth b: 1 taken for a, 4 right; c is never predicted.
    const figures = getLabelFigures({
      labels: ['a', 'b', 'c'],
      matrix: [
        [8, 2, 0],
        [1, 4, 0],
        [0, 3, 0],
      ],
    });
    expect(figures.map((f) => [f.label, f.support])).toEqual([
      ['a', 10],
      ['b', 5],
      ['c', 3],
    ]);
    expect(figures[0]?.precision).toBeCloseTo(8 / 9);
    expect(figures[0]?.recall).toBeCloseTo(0.8);
    expect(figures[1]?.precision).toBeCloseTo(4 / 9);
    expect(figures[1]?.f1).toBeCloseTo((2 * (4 / 9) * 0.8) / (4 / 9 + 0.8));
    expect(figures[2]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('training from a CSV upload', () => {
  it('runs as a background job with progress and registers the model with its CV figures', async () => {
    const { jobId, examples, labels } = await admin.client.classifier.train.mutate({
      name: 'Banking intents',
      folds: 5,
      source: { kind: 'csv', fileName: 'banking-intents.csv', text: CSV },
    });
    expect({ examples, labels }).toEqual({ examples: 240, labels: 4 });
    const seen = await waitForJob(jobId);
    // Progress only moves forward, and while cross-validating it names fold k of 5.
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]?.progress).toBeGreaterThanOrEqual(seen[i - 1]?.progress ?? 0);
    }
    for (const job of seen.filter((j) => j.phase === 'cross-validating')) {
      expect(job.fold).toBeGreaterThanOrEqual(1);
      expect(job.fold).toBeLessThanOrEqual(5);
      expect(job.status).toBe('running');
    }
    const done = seen.at(-1);
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, folds: 5, error: null });
    modelA = done?.modelId ?? '';
    expect(modelA).toMatch(/^model-[0-9a-f]{12}$/);

    const listed = await admin.client.classifier.models.list.query();
    const row = listed.find((m) => m.id === modelA);
    expect(row).toMatchObject({
      name: 'Banking intents',
      labels: LABELS,
      examples: 240,
      folds: 5,
      source: { kind: 'csv', fileName: 'banking-intents.csv', rows: 240 },
      createdBy: { email: 'admin@localhost' },
      archivedAt: null,
    });
    // Four well-separated intents: cross-validation gets nearly all of them.
    expect(row?.accuracy).toBeGreaterThan(0.85);

    const model = await admin.client.classifier.models.get.query({ id: modelA });
    const { confusion, perLabel } = model.evaluation;
    expect(confusion.labels).toEqual(LABELS);
    // Every example is tested exactly once across the folds; accuracy is the diagonal's share.
    const total = confusion.matrix.flat().reduce((a, b) => a + b, 0);
    const diagonal = confusion.matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
    expect(total).toBe(240);
    expect(model.accuracy).toBeCloseTo(diagonal / total, 10);
    expect(perLabel.map((l) => [l.label, l.support])).toEqual(LABELS.map((l) => [l, 60]));
    for (const figures of perLabel) {
      expect(figures.precision).toBeGreaterThan(0.7);
      expect(figures.recall).toBeGreaterThan(0.7);
    }
    expect(model.evaluation.perFold).toHaveLength(5);

    const audit = await admin.client.audit.list.query({});
    const actions = audit.items.map((entry) => [entry.action, entry.target]);
    expect(actions).toContainEqual(['classifier.train', jobId]);
    expect(actions).toContainEqual(['classifier.model.create', modelA]);
  });

  it('downloads the stored model JSON, which predicts like the runtime', async () => {
    const { json } = await admin.client.classifier.models.download.query({ id: modelA });
    const model = loadIntentModel(JSON.parse(json));
    expect([...model.labels].sort()).toEqual(LABELS);
    expect(model.predict(ARRIVAL).label).toBe('card_arrival');
  });

  it('refuses bad CSV naming the line, and too few examples naming the label', async () => {
    const broken = 'text,label\n"card not here",card_arrival\n"unterminated,card_arrival\n';
    const error = await errorOf(
      admin.client.classifier.train.mutate({
        name: 'Broken',
        source: { kind: 'csv', fileName: 'broken.csv', text: broken },
      }),
    );
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/line 3, column 1/);

    const wrongColumns = await errorOf(
      admin.client.classifier.train.mutate({
        name: 'Broken',
        source: { kind: 'csv', fileName: 'x.csv', text: 'text,label\nhello,a,b\n' },
      }),
    );
    expect(wrongColumns.message).toMatch(/line 2/);

    const few = CSV.split('\n')
      .filter((line, i) => i === 0 || !line.endsWith(',top_up_failed') || i % 20 === 0)
      .join('\n');
    const tooFew = await errorOf(
      admin.client.classifier.train.mutate({
        name: 'Few',
        source: { kind: 'csv', fileName: 'few.csv', text: few },
      }),
    );
    expect(tooFew.data?.code).toBe('BAD_REQUEST');
    expect(tooFew.message).toMatch(/at least 5 examples; too few for "top_up_failed" \(\d\)/);
  });
});

describe('the training queue', () => {
  it('runs one job at a time, in the order they were submitted', async () => {
    // 15 examples each of two intents.
    const lines = CSV.trim().split('\n');
    const small = [
      lines[0],
      ...lines.filter((line) => line.endsWith(',card_arrival')).slice(0, 15),
      ...lines.filter((line) => line.endsWith(',exchange_rate')).slice(0, 15),
    ].join('\n');
    const submit = (name: string) =>
      admin.client.classifier.train.mutate({
        name,
        folds: 2,
        source: { kind: 'csv', fileName: `${name}.csv`, text: small },
      });
    const first = await submit('Queue first');
    const second = await submit('Queue second');
    const [a, b] = [
      (await waitForJob(first.jobId)).at(-1),
      (await waitForJob(second.jobId)).at(-1),
    ];
    expect([a?.status, b?.status]).toEqual(['succeeded', 'succeeded']);
    expect(Date.parse(b?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(a?.finishedAt ?? ''));
    const jobs = await admin.client.classifier.jobs.list.query({ limit: 2 });
    expect(jobs.map((job) => job.id)).toEqual([second.jobId, first.jobId]);
  });
});

describe('flows using a trained model', () => {
  it('routes REST tickets by the model, and the scenarios run routes by it too', async () => {
    await publish('banking-a', modelA);
    const arrival = await postTicket('banking-a', ARRIVAL);
    expect(arrival).toMatchObject({ category: 'card-arrival', status: 'closed' });
    const rate = await postTicket('banking-a', RATE);
    expect(rate.category).toBe('exchange-rate');

    await admin.client.scenarios.save.mutate({
      flowId: 'banking-a',
      scenario: {
        name: 'Lost card',
        ticket: { subject: 'Someone stole my card, please block it', channel: 'api' },
        expect: { category: 'lost-or-stolen-card' },
      },
    });
    const suite = await admin.client.scenarios.run.mutate({ flowId: 'banking-a' });
    expect(suite.scenarios.map((s) => [s.name, s.passed, s.failures])).toEqual([
      ['Lost card', true, []],
    ]);
  });

  it('keeps routing a version by the model it was published with after newer models', async () => {
    const modelB = await train('Swapped intents', SWAPPED);
    expect(modelB).not.toBe(modelA);
    await publish('banking-b', modelB);
    expect((await postTicket('banking-b', ARRIVAL)).category).toBe('lost-or-stolen-card');
    // banking-a's version still runs model A.
    expect((await postTicket('banking-a', ARRIVAL)).category).toBe('card-arrival');

    // A draft switched to model B is simulated with B before it is published.
    const flow = await admin.client.flows.get.query({ id: 'banking-a' });
    const switched = flowDocument('banking-a', modelB);
    await admin.client.flows.saveDraft.mutate({
      id: 'banking-a',
      document: { ...flow.draft, nodes: switched.nodes },
      baseRevision: flow.draftRevision,
    });
    const suite = await admin.client.scenarios.run.mutate({ flowId: 'banking-a' });
    expect(suite.scenarios[0]?.failures.join()).toMatch(/category/);
    const published = await admin.client.scenarios.run.mutate({ flowId: 'banking-a', version: 1 });
    expect(published.scenarios[0]?.passed).toBe(true);
  });

  it('refuses to publish a classify step whose model does not exist, naming the step', async () => {
    const flow = await admin.client.flows.get.query({ id: 'banking-a' });
    const missing = flowDocument('banking-a', 'model-000000000000');
    await admin.client.flows.saveDraft.mutate({
      id: 'banking-a',
      document: { ...flow.draft, nodes: missing.nodes },
      baseRevision: flow.draftRevision,
    });
    const error = await errorOf(
      admin.client.versions.publish.mutate({ flowId: 'banking-a', note: '' }),
    );
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(
      /classify step "classify" \(What is it about\?\) uses model "model-000000000000", which does not exist/,
    );
    const versions = await admin.client.versions.list.query({ flowId: 'banking-a' });
    expect(versions).toHaveLength(1);
  });

  it('trains from labelled tickets of a flow (label = category)', async () => {
    const texts = [
      ARRIVAL,
      'Where is my card? It was ordered two weeks ago',
      'Card delivery is taking too long',
      'How long does it take for a card to arrive?',
      'Still waiting for my card to be delivered',
      RATE,
      'Which exchange rate applies to my transfer?',
      'Is the exchange rate fixed when paying abroad?',
      'How do you calculate currency exchange rates?',
      'What rate will I get exchanging dollars to pounds?',
    ];
    for (const text of texts) await postTicket('banking-a', text);
    const { jobId, labels } = await admin.client.classifier.train.mutate({
      name: 'From tickets',
      folds: 2,
      source: { kind: 'tickets', flowId: 'banking-a', level: 'category' },
    });
    expect(labels).toBe(2);
    const done = (await waitForJob(jobId)).at(-1);
    expect(done?.status).toBe('succeeded');
    const model = await admin.client.classifier.models.get.query({ id: done?.modelId ?? '' });
    expect(model.labels).toEqual(['card-arrival', 'exchange-rate']);
    expect(model.source).toMatchObject({ kind: 'tickets', flowId: 'banking-a' });
    expect(model.examples).toBeGreaterThanOrEqual(12);

    const none = await errorOf(
      admin.client.classifier.train.mutate({
        name: 'Nothing',
        source: { kind: 'tickets', from: '2001-01-01', to: '2001-12-31' },
      }),
    );
    expect(none.message).toMatch(/No tickets with a category match/);
  });

  it('archives a model (hidden from the list, still routing the version that pins it)', async () => {
    const archived = await admin.client.classifier.models.archive.mutate({ id: modelA });
    expect(archived.archivedAt).not.toBeNull();
    const listed = await admin.client.classifier.models.list.query();
    expect(listed.some((m) => m.id === modelA)).toBe(false);
    const all = await admin.client.classifier.models.list.query({ includeArchived: true });
    expect(all.some((m) => m.id === modelA)).toBe(true);
    expect((await postTicket('banking-a', ARRIVAL)).category).toBe('card-arrival');
  });
});

describe('restarts', () => {
  it('keeps each version on its model after a restart, and fails jobs a stop interrupted', async () => {
    const { jobId } = await admin.client.classifier.train.mutate({
      name: 'Interrupted',
      source: { kind: 'csv', fileName: 'banking-intents.csv', text: CSV },
    });
    await server.close();
    // A crash leaves the row running; the stop above failed it, so put it back as a crash would.
    const db = openSqlite(join(dir.path, 'switchyard.db'));
    db.prepare(
      `UPDATE "TrainingJob" SET "status" = 'running', "error" = NULL, "finishedAt" = NULL WHERE "id" = ?`,
    ).run(jobId);
    db.close();

    await start();
    const job = await admin.client.classifier.jobs.get.query({ id: jobId });
    expect(job).toMatchObject({ status: 'failed' });
    expect(job.error).toMatch(/server stopped while this model was training/);
    expect((await postTicket('banking-a', ARRIVAL)).category).toBe('card-arrival');
    expect((await postTicket('banking-b', ARRIVAL)).category).toBe('lost-or-stolen-card');
  });
});
