// The product journeys around the designer: import a template from the gallery, publish it,
// change it and publish again, see the change highlighted in the version diff, import a broken
// Flow JSON file, and switch the language to 中文. Each saves a screenshot in e2e/artifacts/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, login, screenshot, startApp } from './harness';
import type { App, JourneyPage } from './harness';

let app: App | undefined;
let journey: JourneyPage | undefined;

function getPage(): Page {
  if (journey === undefined) throw new Error('the app did not start');
  return journey.page;
}

beforeAll(async () => {
  app = await startApp();
  journey = await app.newPage();
  await login(journey.page);
});

afterAll(async () => {
  await app?.close();
});

/** The flow the template journey creates; later journeys work on it. */
let flowId = '';

describe('journeys', () => {
  it('imports a template from the gallery into a new draft and opens it in the designer', async () => {
    const page = getPage();
    await page.getByTestId('nav-templates').click();
    await page.waitForURL('**/templates');
    await page.getByTestId('template-saas-login').waitFor();
    await screenshot(page, 'templates-gallery');

    await page.getByTestId('use-template-saas-login').click();
    // saas-login is seeded (published), so the copy gets the next free id.
    await page.waitForURL(/\/flows\/saas-login-2$/);
    flowId = 'saas-login-2';
    await page.getByTestId('designer-canvas').waitFor();
    await page.getByTestId('node-sla').waitFor();
    await screenshot(page, 'template-imported');

    await page.getByTestId('nav-flows').click();
    await page.locator(`tr[data-row-key="${flowId}"]`).waitFor();
    await expect(page.locator(`tr[data-row-key="${flowId}"]`).textContent()).resolves.toMatch(
      /Draft/,
    );
    await screenshot(page, 'flows-list');
  });

  it('publishes the draft from the designer', async () => {
    const page = getPage();
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-sla').waitFor();
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-note').fill('First version from the SaaS template');
    await page.locator('#publish-confirm').click();
    // The dialog closes once the version exists.
    await page.locator('#publish-confirm').waitFor({ state: 'detached' });

    await page.goto(`/flows/${flowId}/versions`);
    await page.locator('tr[data-row-key="1"]').waitFor();
    await expect(page.locator('tr[data-row-key="1"]').textContent()).resolves.toMatch(
      /v1\s*Live.*First version from the SaaS template/,
    );
  });

  it('changes a node, publishes again and sees the change highlighted in the diff', async () => {
    const page = getPage();
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-sla').click();
    await page.locator('#label-sla').fill('VIP response SLA');
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();

    await page.goto(`/flows/${flowId}/versions`);
    await page.getByTestId('publish-draft').click();
    await page.getByTestId('publish-note').fill('Renamed the SLA step');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('tr[data-row-key="2"]').waitFor();

    // After publishing, the comparison shows v1 → v2.
    const changed = page.getByTestId('diff-node-sla');
    await changed.waitFor();
    await expect(changed.getAttribute('data-status')).resolves.toBe('changed');
    await expect(page.getByTestId('diff-node-intake').getAttribute('data-status')).resolves.toBe(
      'unchanged',
    );
    const change = page.getByTestId('change-node:sla');
    await expect(change.textContent()).resolves.toMatch(/label.*VIP response SLA/);
    expect(new URL(page.url()).search).toBe('?from=1&to=2');
    await screenshot(page, 'versions-diff');

    // The change list focuses the node on the canvas.
    await change.locator('.sy-change-head').click();
    await expect(changed.getAttribute('class')).resolves.toMatch(/sy-diff-focused/);
  });

  it('rolls back to version 1 after confirming, as version 3', async () => {
    const page = getPage();
    await page.getByTestId('rollback-1').click();
    await page.locator('#rollback-confirm').click();
    await page.locator('tr[data-row-key="3"]').waitFor();
    await expect(page.locator('tr[data-row-key="3"]').textContent()).resolves.toMatch(
      /v3\s*Live.*Rollback to version 1/,
    );
    // v2 → v3 undoes the rename.
    await expect(page.getByTestId('change-node:sla').textContent()).resolves.toMatch(
      /VIP response SLA/,
    );
  });

  it('imports a broken Flow JSON file and lists its problems instead of failing', async () => {
    const page = getPage();
    await page.getByTestId('nav-flows').click();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = join(ARTIFACTS_DIR, 'dead-end.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        id: 'dead-end',
        name: 'Dead end',
        nodes: [
          { id: 'intake', kind: 'intake', position: { x: 0, y: 0 }, config: {} },
          { id: 'assign', kind: 'assign', position: { x: 260, y: 0 }, config: {} },
        ],
        edges: [{ id: 'e1', source: 'intake', sourcePort: 'next', target: 'assign' }],
      }),
    );
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-open').waitFor();
    expect(await page.getByTestId('diagnostic').count()).toBeGreaterThan(0);
    await screenshot(page, 'import-diagnostics');
    await page.getByTestId('import-open').click();
    await page.waitForURL(/\/flows\/dead-end$/);
  });

  it('switches the language to 中文, remembered for the user', async () => {
    const page = getPage();
    await page.goto('/flows');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await expect(page.getByTestId('nav-flows').textContent()).resolves.toBe('流程');
    await page.locator('h3', { hasText: '流程' }).waitFor();
    await screenshot(page, 'flows-zh-CN');
    await page.getByTestId('nav-templates').click();
    await page.getByText('全部行业').waitFor();
    await screenshot(page, 'templates-zh-CN');

    // Another browser (fresh storage) takes the language from the account after signing in.
    if (app === undefined) throw new Error('the app did not start');
    const other = await app.newPage();
    await login(other.page, { path: `/flows/${flowId}/versions` });
    await expect(other.page.getByTestId('nav-flows').textContent()).resolves.toBe('流程');
    await other.page.getByText('版本对比').waitFor();
    await screenshot(other.page, 'versions-zh-CN');
    expect(other.errors).toEqual([]);
  });
});
