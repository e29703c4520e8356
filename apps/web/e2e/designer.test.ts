// Journeys in the designer itself, in Chromium against the real server: build a flow by dragging
// steps from the palette and connecting them; type a broken CEL condition, see Monaco's marker and
// the problem in the panel, fix it; undo and redo. Screenshots go to e2e/artifacts/.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startApp } from './harness';
import type { App, JourneyPage } from './harness';

let app: App | undefined;
let journey: JourneyPage | undefined;

function getPage(): Page {
  if (journey === undefined) throw new Error('the app did not start');
  return journey.page;
}

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1600, height: 960 } });
  journey = await app.newPage();
  await login(journey.page);
});

afterAll(async () => {
  await app?.close();
});

/** A new flow (intake → done) made through the API with the signed-in session. */
async function createFlow(page: Page, name: string): Promise<string> {
  const response = await page.request.post('/trpc/flows.create', { data: { name } });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { result: { data: { id: string } } };
  return body.result.data.id;
}

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (box === null) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drag from an output port of one node onto another node's input. */
async function connect(page: Page, source: string, port: string, target: string): Promise<void> {
  const from = await center(
    page.locator(`.react-flow__handle.source[data-nodeid="${source}"][data-handleid="${port}"]`),
  );
  const to = await center(page.locator(`.react-flow__handle.target[data-nodeid="${target}"]`));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

async function edgeList(page: Page): Promise<string[]> {
  const ids = await page
    .locator('.react-flow__edge')
    .evaluateAll((edges) => edges.map((edge) => edge.getAttribute('data-id') ?? ''));
  return ids.sort();
}

async function nodeIds(page: Page): Promise<string[]> {
  const ids = await page
    .locator('.react-flow__node')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? ''));
  return ids.sort();
}

async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
}

describe('designer', () => {
  it('drags three steps from the palette, connects them, and the flow autosaves', async () => {
    const page = getPage();
    const flowId = await createFlow(page, 'Palette journey');
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-intake').waitFor();
    const pane = page.locator('.react-flow__pane');
    const box = await pane.boundingBox();
    if (box === null) throw new Error('no canvas');

    // Search narrows the palette; each kind is dragged to its own place on the canvas.
    await page.getByTestId('palette-search').fill('prioritize');
    expect(await page.locator('[data-testid^="palette-"][role="button"]').count()).toBe(1);
    await page.getByTestId('palette-search').fill('');
    const drops = [
      ['prioritize', 200, 90],
      ['assign', 470, 90],
      ['notify', 470, 330],
    ] as const;
    for (const [kind, x, y] of drops) {
      await page.getByTestId(`palette-${kind}`).dragTo(pane, { targetPosition: { x, y } });
      await page.getByTestId(`node-${kind}`).waitFor();
    }
    expect(await nodeIds(page)).toEqual(['assign', 'done', 'intake', 'notify', 'prioritize']);

    // intake → prioritize replaces the intake's only edge (a port has one); then a chain to done.
    await connect(page, 'intake', 'next', 'prioritize');
    await connect(page, 'prioritize', 'next', 'assign');
    await connect(page, 'assign', 'next', 'notify');
    await connect(page, 'notify', 'next', 'done');
    await expect
      .poll(() => edgeList(page))
      .toEqual(['e-assign-next', 'e-notify-next', 'e-prioritize-next', 'e1']);
    await page.getByTestId('auto-layout').click();
    await page.mouse.move(5, 300); // no tooltip in the picture
    await waitSaved(page);
    await screenshot(page, 'designer-palette-connected');

    // What was saved is what we drew: reopen the flow from the server.
    await page.reload();
    await page.getByTestId('node-notify').waitFor();
    expect(await nodeIds(page)).toEqual(['assign', 'done', 'intake', 'notify', 'prioritize']);
    expect(await edgeList(page)).toEqual([
      'e-assign-next',
      'e-notify-next',
      'e-prioritize-next',
      'e1',
    ]);
    const saved = await page.request.get(
      `/trpc/flows.get?input=${encodeURIComponent(JSON.stringify({ id: flowId }))}`,
    );
    const flow = (await saved.json()) as {
      result: { data: { draft: { edges: { source: string; target: string }[] } } };
    };
    expect(
      flow.result.data.draft.edges.map((edge) => `${edge.source}>${edge.target}`).sort(),
    ).toEqual(['assign>notify', 'intake>prioritize', 'notify>done', 'prioritize>assign']);
  });

  it('shows a broken CEL condition as a Monaco marker and a problem, and clears both when fixed', async () => {
    const page = getPage();
    const flowId = await createFlow(page, 'Condition journey');
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-intake').waitFor();
    const pane = page.locator('.react-flow__pane');
    await page
      .getByTestId('palette-condition')
      .dragTo(pane, { targetPosition: { x: 400, y: 300 } });
    await page.getByTestId('node-condition').click();
    const editor = page.getByTestId('node-properties').getByTestId('cel-editor').first();
    await editor.locator('.monaco-editor').waitFor();

    // Replace the default condition with a broken one.
    await editor.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('ticket.priority == ');
    await editor.locator('.squiggly-error').first().waitFor();
    const problem = page.locator(
      '[data-testid="problem"][data-code="cel-syntax"][data-node="condition"]',
    );
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toMatch(/Condition at line 1/);
    await expect(page.getByTestId('publish').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'designer-cel-error');

    // Clicking the problem selects the node and puts the caret in that condition.
    await page.locator('.react-flow__pane').click({ position: { x: 50, y: 50 } });
    await page.getByTestId('node-properties').waitFor({ state: 'detached' });
    await problem.click();
    await page.getByTestId('node-properties').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null))
      .toBe(true);

    // Completion offers ticket fields; fix the condition.
    await page.keyboard.press('End');
    await page.keyboard.type('"high"');
    await expect.poll(() => editor.locator('.squiggly-error').count()).toBe(0);
    await problem.waitFor({ state: 'detached' });
    await page.keyboard.press('End');
    await page.keyboard.type(' && ticket.customer.');
    await page.locator('.monaco-editor .suggest-widget.visible').waitFor();
    await expect(page.locator('.suggest-widget.visible').textContent()).resolves.toMatch(/tier/);
    await page.keyboard.press('Escape');
    await page.keyboard.type('tier == "vip"');
    await expect.poll(() => editor.locator('.squiggly-error').count()).toBe(0);
    await waitSaved(page);
    await screenshot(page, 'designer-cel-fixed');
  });

  it('undoes and redoes adding, moving and deleting steps with the keyboard', async () => {
    const page = getPage();
    const flowId = await createFlow(page, 'Undo journey');
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-intake').waitFor();
    const pane = page.locator('.react-flow__pane');
    await page.getByTestId('palette-wait').dragTo(pane, { targetPosition: { x: 500, y: 200 } });
    await page.getByTestId('node-wait').waitFor();

    // Move the new step by dragging it.
    const node = page.locator('.react-flow__node[data-id="wait"]');
    const before = await center(node);
    await page.mouse.move(before.x, before.y - 20);
    await page.mouse.down();
    await page.mouse.move(before.x + 160, before.y + 60, { steps: 8 });
    await page.mouse.up();
    const moved = await center(node);
    expect(moved.x - before.x).toBeGreaterThan(100);

    // Delete it with the keyboard (it is selected after the drag).
    await page.keyboard.press('Delete');
    await node.waitFor({ state: 'detached' });

    // Undo: back, at the moved place; undo again: back where it was dropped; once more: gone.
    await page.keyboard.press('ControlOrMeta+Z');
    await node.waitFor();
    expect(await center(node)).toEqual(moved);
    await page.keyboard.press('ControlOrMeta+Z');
    await expect.poll(() => center(node)).toEqual(before);
    await page.keyboard.press('ControlOrMeta+Z');
    await node.waitFor({ state: 'detached' });
    await expect(page.getByTestId('undo').isDisabled()).resolves.toBe(true);

    // Redo all three, with Shift+Z and with the toolbar.
    await page.keyboard.press('ControlOrMeta+Shift+Z');
    await node.waitFor();
    await page.getByTestId('redo').click();
    await expect.poll(() => center(node)).toEqual(moved);
    await page.keyboard.press('ControlOrMeta+Shift+Z');
    await node.waitFor({ state: 'detached' });
    await expect(page.getByTestId('redo').isDisabled()).resolves.toBe(true);
    await waitSaved(page);
    await screenshot(page, 'designer-undo-redo');
  });

  it('copies steps to the system clipboard and pastes them into another flow, renaming taken ids', async () => {
    const page = getPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const source = await createFlow(page, 'Copy source');
    const target = await createFlow(page, 'Paste target');
    await page.goto(`/flows/${source}`);
    await page.getByTestId('node-intake').waitFor();
    const pane = page.locator('.react-flow__pane');
    await page.getByTestId('palette-survey').dragTo(pane, { targetPosition: { x: 420, y: 120 } });
    await page.getByTestId('node-survey').waitFor();
    await connect(page, 'survey', 'satisfied', 'done');
    // Box-select nothing else: click the survey, shift-click done, copy both.
    await page.getByTestId('node-survey').click();
    await page.getByTestId('node-done').click({ modifiers: ['Shift'] });
    await page.keyboard.press('ControlOrMeta+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const fragment = JSON.parse(copied) as {
      type: string;
      nodes: { id: string }[];
      edges: unknown[];
    };
    expect(fragment.type).toBe('switchyard/flow-fragment');
    expect(fragment.nodes.map((n) => n.id)).toEqual(['done', 'survey']);
    expect(fragment.edges).toHaveLength(1);
    await waitSaved(page);

    await page.goto(`/flows/${target}`);
    await page.getByTestId('node-intake').waitFor();
    await pane.click({ position: { x: 300, y: 380 } });
    await page.keyboard.press('ControlOrMeta+V');
    await page.getByTestId('node-survey').waitFor();
    // "done" exists in the target flow too, so the pasted one is renamed; its edge follows.
    expect(await nodeIds(page)).toEqual(['done', 'done-2', 'intake', 'survey']);
    expect(await edgeList(page)).toContain('e-survey-satisfied');
    await expect
      .poll(() =>
        page.locator('.react-flow__edge[data-id="e-survey-satisfied"]').getAttribute('aria-label'),
      )
      .toMatch(/survey.*done-2/i);
    await waitSaved(page);
    await screenshot(page, 'designer-pasted');
  });
});
