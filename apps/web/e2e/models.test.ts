// The trained-model journey: upload a labelled CSV, watch the training job's progress, read the
// cross-validation accuracy and the confusion heatmap, then pick the model in a classify step of
// the designer and map one of its labels to a category. Screenshots in e2e/artifacts/.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login, screenshot, startApp } from './harness';
import type { App, JourneyPage } from './harness';

const CSV = fileURLToPath(
  new URL('../../server/test/fixtures/banking-intents.csv', import.meta.url),
);
const LABELS = ['card_arrival', 'exchange_rate', 'lost_or_stolen_card', 'top_up_failed'];

let app: App | undefined;
let journey: JourneyPage | undefined;

function getPage(): Page {
  if (journey === undefined) throw new Error('the app did not start');
  return journey.page;
}

beforeAll(async () => {
  app = await startApp();
  journey = await app.newPage();
  await login(journey.page, { path: '/models' });
});

afterAll(async () => {
  await app?.close();
});

let modelId = '';

describe('intent models', () => {
  it('trains a model from an uploaded CSV, with progress, and shows its evaluation', async () => {
    const page = getPage();
    await page.getByText('No models yet').waitFor();
    await page.getByRole('button', { name: 'Train a model' }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByLabel('Name').fill('Banking intents');
    // A broken file is refused with the line and column of the problem.
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('text,label\n"card late",card_arrival\n"unterminated,card_arrival\n'),
    });
    await dialog.getByText('broken.csv').waitFor();
    await dialog.getByRole('button', { name: 'Start training' }).click();
    await expect
      .poll(() => dialog.getByTestId('train-error').textContent(), { timeout: 20_000 })
      .toMatch(/line 3, column 1: unterminated quoted field/);
    await screenshot(page, 'models-train-refused');
    journey?.errors.splice(0); // the refused request is a 400, on purpose

    await dialog.locator('input[type=file]').setInputFiles(CSV);
    await dialog.getByText('banking-intents.csv').waitFor();
    await dialog.getByText('240 rows').waitFor();
    await screenshot(page, 'models-train-dialog');

    await dialog.getByRole('button', { name: 'Start training' }).click();
    const progress = dialog.getByTestId('training-progress');
    await progress.waitFor();
    await screenshot(page, 'models-training-progress');
    await dialog.getByText('Done: the model is ready').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => progress.getByRole('progressbar').getAttribute('aria-valuenow'), {
        timeout: 20_000,
      })
      .toBe('100');
    await dialog.getByRole('button', { name: 'See the evaluation' }).click();

    await page.waitForURL(/\/models\/model-[0-9a-f]{12}$/);
    modelId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByRole('heading', { name: 'Banking intents' }).waitFor();
    // The accuracy shown is the registry's CV figure, as a percentage.
    const accuracy = page.locator('.ant-statistic').first();
    await expect
      .poll(() => accuracy.textContent(), { timeout: 20_000 })
      .toMatch(/Accuracy \(5-fold CV\)\s*(9\d|100)\.\d%/);
    const rows = page.getByTestId('per-label-table').locator('tbody tr.ant-table-row');
    await expect
      .poll(() => rows.allTextContents(), { timeout: 20_000 })
      .toEqual(LABELS.map((label) => expect.stringContaining(label) as unknown as string));
    // The heatmap drew one cell per pair of labels (SVG renderer).
    const heatmap = page.getByTestId('confusion-heatmap');
    await heatmap.locator('svg').waitFor();
    await expect
      .poll(() => heatmap.locator('svg text').allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining(LABELS));
    await heatmap.scrollIntoViewIfNeeded();
    await screenshot(page, 'models-evaluation');

    await page.getByTestId('nav-models').click();
    await page.locator(`tr[data-row-key="${modelId}"]`).waitFor();
    await expect
      .poll(() => page.locator(`tr[data-row-key="${modelId}"]`).textContent(), { timeout: 20_000 })
      .toMatch(/Banking intents.*card_arrival.*\d+\.\d%.*240 from CSV/);
    await screenshot(page, 'models-list');
  });

  it('picks the trained model in a classify step and maps a label to a category', async () => {
    const page = getPage();
    await page.goto('/flows/saas-login');
    await page.getByTestId('node-classify').click();
    const properties = page.getByTestId('node-properties');
    const picker = properties.getByTestId('classify-model');
    await picker.scrollIntoViewIfNeeded();
    await picker.locator('.ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: 'Banking intents' }).click();
    const labelMap = properties.getByTestId('label-map');
    await labelMap.waitFor();
    await labelMap.getByLabel('card_arrival →').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'fault' })
      .click();
    await labelMap.scrollIntoViewIfNeeded();
    await screenshot(page, 'models-classify-picker');

    // The draft is autosaved with the model, its threshold and the mapping.
    const server = app?.server;
    let model: unknown;
    for (let attempt = 0; attempt < 100; attempt++) {
      const classify = server?.repository
        .getFlow('saas-login')
        .draft.nodes.find((node) => node.id === 'classify');
      model = classify?.config.model;
      if (
        typeof model === 'object' &&
        model !== null &&
        'labelMap' in model &&
        Object.keys(model.labelMap as object).length > 0
      )
        break;
      await page.waitForTimeout(100);
    }
    expect(model).toEqual({
      modelId,
      threshold: 0.5,
      labelMap: { card_arrival: { category: 'fault' } },
    });
    expect(journey?.errors).toEqual([]);
  });

  it('shows the evaluation in 中文', async () => {
    const page = getPage();
    await page.goto(`/models/${modelId}`);
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await page.getByText('准确率（5 折交叉验证）').waitFor();
    await page.getByText('混淆矩阵（交叉验证）').waitFor();
    await page.getByTestId('confusion-heatmap').locator('svg').waitFor();
    await screenshot(page, 'models-evaluation-zh');
    expect(journey?.errors).toEqual([]);
  });
});
