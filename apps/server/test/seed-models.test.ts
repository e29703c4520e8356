import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { getContentHash } from '../src/canonical-json';
import { DEFAULT_TEMPLATES_DIR } from '../src/seed';
import { createTempDir } from './support/temp';

// The trained model of a published template is stored with the data (content-addressed, pinned to
// the flow version) and loaded on every start: it does not depend on the templates folder.

const TOKEN = 'seed-models-token-0123456789abcdef';
const templates = createTempDir();
const data = createTempDir();
const MODEL_ID = 'retail-returns-intent';
const MODEL_FILE = join(DEFAULT_TEMPLATES_DIR, 'retail-returns', 'models', `${MODEL_ID}.json`);
/** No keyword rule of retail-returns matches it; its model calls it a return. */
const NO_KEYWORD = {
  subject: 'These sneakers pinch my toes and I would rather not keep them',
  channel: 'web',
  customer: { name: 'Dan', email: 'dan@example.com' },
  flow: 'retail-returns',
};

async function start(templatesDir: string, log: (line: string) => void = () => undefined) {
  return createServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: data.path,
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
      SWITCHYARD_ADMIN_PASSWORD: 'a long enough password',
      SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
      SMTP_PORT: 'off',
    }),
    { templatesDir, log, seedSamples: false, tickMs: 3_600_000 },
  );
}

async function post(server: SwitchyardServer, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(json)).toBe(201);
  return json;
}

const modelHash = getContentHash(JSON.parse(readFileSync(MODEL_FILE, 'utf8')));
const storedModel = join(data.path, 'models', `${modelHash}.json`);

beforeAll(() => {
  cpSync(join(DEFAULT_TEMPLATES_DIR, 'retail-returns'), join(templates.path, 'retail-returns'), {
    recursive: true,
  });
});

afterAll(() => {
  templates[Symbol.dispose]();
  data[Symbol.dispose]();
});

describe('trained models of published templates', () => {
  it('are stored by content hash and pinned to the version on first start', async () => {
    const server = await start(templates.path);
    try {
      const versionId = server.seed.published[0]?.versionId ?? '';
      expect(readdirSync(join(data.path, 'models')).filter((f) => f.endsWith('.json'))).toEqual([
        `${modelHash}.json`,
      ]);
      expect(getContentHash(JSON.parse(readFileSync(storedModel, 'utf8')))).toBe(modelHash);
      const pins = JSON.parse(
        readFileSync(join(data.path, 'models', 'versions', `${versionId}.json`), 'utf8'),
      ) as { flowId: string; models: Record<string, string> };
      expect(pins).toMatchObject({ flowId: 'retail-returns', models: { [MODEL_ID]: modelHash } });
      expect(await post(server, NO_KEYWORD)).toMatchObject({
        category: 'return',
        team: 'returns',
      });
    } finally {
      await server.close();
    }
  });

  it('are loaded from the data folder after a restart, without the templates folder', async () => {
    rmSync(templates.path, { recursive: true, force: true });
    const server = await start(join(templates.path, 'gone'));
    try {
      expect(await post(server, NO_KEYWORD)).toMatchObject({
        category: 'return',
        team: 'returns',
      });
    } finally {
      await server.close();
    }
  });

  it('are refused when the stored file no longer matches its hash', async () => {
    const model = JSON.parse(readFileSync(storedModel, 'utf8')) as { labels: string[] };
    writeFileSync(storedModel, JSON.stringify({ ...model, labels: [...model.labels].reverse() }));
    const logged: string[] = [];
    const server = await start(join(templates.path, 'gone'), (line) => logged.push(line));
    try {
      expect(logged).toEqual(
        expect.arrayContaining([expect.stringContaining('does not match its name')]),
      );
      // Without its model the flow sends what no rule matches to customer care, as documented.
      expect(await post(server, NO_KEYWORD)).toMatchObject({
        category: null,
        team: 'customer-care',
      });
    } finally {
      await server.close();
    }
  });
});
