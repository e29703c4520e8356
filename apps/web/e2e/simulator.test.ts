// The simulator in the designer (issue 6), in Chromium against the real server: import the SaaS
// template, step a sample ticket through it and see the current node and the path on the canvas;
// run the scenario suite and see pass/fail and the coverage overlay; replay production tickets
// against a changed draft and see the totals. Screenshots go to e2e/artifacts/.
import type { FlowDocument, TicketInput } from '@switchyard/flow';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startApp } from './harness';
import type { App, JourneyPage } from './harness';

let app: App | undefined;
let journey: JourneyPage | undefined;
let flowId = '';
/** Production tickets of version 1, oldest first: a VIP login fault, an invoice, a question. */
const numbers: string[] = [];

function getPage(): Page {
  if (journey === undefined) throw new Error('the app did not start');
  return journey.page;
}

function getApp(): App {
  if (app === undefined) throw new Error('the app did not start');
  return app;
}

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1600, height: 960 } });
  journey = await app.newPage();
  await login(journey.page);
});

afterAll(async () => {
  await app?.close();
});

/** A tRPC call with the page's session (no transformer: plain JSON). */
async function call<T>(page: Page, path: string, input: unknown, query = false): Promise<T> {
  const response = query
    ? await page.request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
    : await page.request.post(`/trpc/${path}`, { data: input });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

const TICKETS: TicketInput[] = [
  {
    subject: 'Cannot log in — password reset loop',
    description: 'Our admins cannot log in to the console.',
    channel: 'web',
    customer: { name: 'Alice Zhang', email: 'alice@corp.example', tier: 'vip' },
  },
  {
    subject: 'Invoice for March',
    description: 'Please send the invoice and the billing receipt for March.',
    channel: 'email',
    customer: { name: 'Wang Fang', email: 'wang.fang@example.cn', tier: 'standard' },
  },
  {
    subject: 'How do I export my dashboards?',
    description: 'Is there a way to export a dashboard as PDF?',
    channel: 'chat',
    customer: { name: 'Carol', email: 'carol@startup.example', tier: 'standard' },
  },
];

async function openSimulator(page: Page): Promise<void> {
  await page.getByTestId('node-sla').waitFor();
  await page.getByTestId('tab-simulate').click();
  await page.getByTestId('simulator-panel').waitFor();
}

describe('simulator', () => {
  it('steps a sample ticket through the SaaS template with the path highlighted', async () => {
    const page = getPage();
    await page.getByTestId('nav-templates').click();
    await page.getByTestId('use-template-saas-login').click();
    await page.waitForURL(/\/flows\/saas-login-\d+$/);
    flowId = new URL(page.url()).pathname.split('/').at(-1) ?? '';

    // Production: version 1 published and three tickets through the runtime.
    await call(page, 'versions.publish', { flowId, note: 'live' });
    const server = getApp().server;
    const versionId = server.repository.getVersion(flowId, 1).id;
    for (const input of TICKETS) {
      const { ticket } = await server.engine.createTicket(input, { flowVersionId: versionId });
      numbers.push(ticket.number);
    }

    await openSimulator(page);
    // The flow's own ticket fields are part of the sample ticket's form.
    await page.getByTestId('sim-ticket-fields').getByText('Account ID').waitFor();
    await screenshot(page, 'simulator-ticket');
    await page.getByTestId('sim-run').click();
    await page.getByTestId('sim-timeline').waitFor();
    const position = page.getByTestId('sim-position');
    const total = Number((await position.textContent())?.split('/')[1]);
    expect(total).toBeGreaterThan(3);
    await expect.poll(() => position.textContent(), { timeout: 20_000 }).toBe(`0/${total}`);
    expect(await page.locator('.react-flow__node.sy-sim-current').count()).toBe(0);

    // Step into the flow: the ticket is created and runs intake → … → where it waits.
    await page.getByTestId('sim-step').click();
    await expect.poll(() => position.textContent(), { timeout: 20_000 }).toBe(`1/${total}`);
    const current = page.locator('.react-flow__node.sy-sim-current');
    await current.first().waitFor();
    await expect
      .poll(() => current.first().getAttribute('data-id'), { timeout: 20_000 })
      .toBe('await-resolution');
    const taken = await page
      .locator('.react-flow__edge.sy-sim-taken')
      .evaluateAll((edges) => edges.map((edge) => edge.getAttribute('data-id')));
    expect(taken).toEqual(
      expect.arrayContaining(['e-intake-classify', 'e-fault', 'e-assign-sla', 'e-sla-wait']),
    );
    expect(taken).not.toContain('e-billing');
    // The step's own edges are animated.
    expect(await page.locator('.react-flow__edge.animated.sy-sim-taken').count()).toBe(
      taken.length,
    );
    await expect
      .poll(() => page.getByTestId('sim-explain-0').textContent(), { timeout: 20_000 })
      .toMatch(/^∅ → intake → classify → prioritize → assign → sla → await-resolution/);
    await screenshot(page, 'simulator-step');

    // Step back, then jump the virtual clock to the next timer.
    await page.getByTestId('sim-step-back').click();
    await expect.poll(() => position.textContent(), { timeout: 20_000 }).toBe(`0/${total}`);
    expect(await page.locator('.react-flow__node.sy-sim-current').count()).toBe(0);
    await page.getByTestId('sim-step').click();
    await page.getByTestId('sim-next-timer').click();
    await expect
      .poll(() => page.getByTestId('sim-clock').textContent(), { timeout: 20_000 })
      .not.toMatch(/\+0m$/);
    await screenshot(page, 'simulator-timer');

    // Keep this run as a scenario: the suite will expect its outcome.
    await page.getByTestId('sim-scenario-name').fill('VIP login, from the simulator');
    await page.getByTestId('sim-save-scenario').click();
    await page.getByTestId('sim-scenario-saved').waitFor();
  });

  it('runs the scenario suite and shows coverage on the canvas', async () => {
    const page = getPage();
    await page.getByText('Scenario suite').click();
    await page.getByTestId('sim-run-suite').click();
    const coverage = page.getByTestId('sim-coverage');
    await coverage.waitFor();
    await expect
      .poll(() => coverage.textContent(), { timeout: 20_000 })
      .toMatch(/5 passed, 0 failed.*Coverage: 100% nodes, 100% edges/);
    const results = page.getByTestId('sim-suite-results');
    expect(await results.getByText('PASS').count()).toBe(5);
    await expect
      .poll(() => results.textContent(), { timeout: 20_000 })
      .toContain('VIP login, from the simulator');
    // Every edge is marked: the sample ticket's path in blue, the rest covered in green.
    const edges = await page.locator('.react-flow__edge').count();
    expect(
      await page
        .locator('.react-flow__edge.sy-sim-taken, .react-flow__edge.sy-sim-covered')
        .count(),
    ).toBe(edges);
    await screenshot(page, 'simulator-suite');

    // A stored scenario replaces the template's "unrecognised question" one: the unknown branch
    // is no longer covered and shows dashed red.
    await call(page, 'scenarios.save', {
      flowId,
      scenario: {
        name: 'Unrecognised question goes to general support',
        ticket: TICKETS[1],
        until: '4h',
        expect: { team: 'billing' },
      },
    });
    await page.getByTestId('sim-run-suite').click();
    await page.locator('.react-flow__edge.sy-sim-uncovered[data-id="e-unknown"]').waitFor();
    await expect
      .poll(() => coverage.textContent(), { timeout: 20_000 })
      .toMatch(/5 passed, 0 failed.*100% nodes, 92%/);
    await expect
      .poll(() => page.getByTestId('sim-suggestions').textContent(), { timeout: 20_000 })
      .toContain('e-unknown');
    await screenshot(page, 'simulator-uncovered');
  });

  it('replays production tickets against a changed draft', async () => {
    const page = getPage();
    // The draft now sends billing questions to general support.
    const flow = await call<{ draft: FlowDocument; draftRevision: number }>(
      page,
      'flows.get',
      { id: flowId },
      true,
    );
    const draft: FlowDocument = {
      ...flow.draft,
      nodes: flow.draft.nodes.map((node) =>
        node.id === 'assign'
          ? {
              ...node,
              config: {
                ...node.config,
                teamRules: (
                  node.config as { teamRules: { when: string; team: string }[] }
                ).teamRules.map((rule) =>
                  rule.team === 'billing' ? { ...rule, team: 'support' } : rule,
                ),
              },
            }
          : node,
      ),
    };
    await call(page, 'flows.saveDraft', {
      id: flowId,
      document: draft,
      baseRevision: flow.draftRevision,
    });
    await page.reload();
    await openSimulator(page);
    await page.getByTestId('sim-replay-header').click();
    await expect
      .poll(() => page.getByTestId('sim-replay-version').textContent(), { timeout: 20_000 })
      .toContain('Version 1 (live)');
    await page
      .locator('input[data-testid="sim-replay-last"], [data-testid="sim-replay-last"] input')
      .fill('50');
    await page.getByTestId('sim-replay-run').click();
    const totals = page.getByTestId('sim-replay-totals');
    await totals.waitFor();
    await expect
      .poll(() => totals.textContent(), { timeout: 20_000 })
      .toContain('1 of 3 tickets of version 1 would be routed differently');
    await expect
      .poll(() => page.getByTestId('sim-replay-progress').textContent(), { timeout: 20_000 })
      .toContain('3/3');
    const table = page.getByTestId('sim-replay-table');
    const invoice = numbers[1] ?? '';
    await expect
      .poll(() => table.getByRole('link', { name: invoice }).getAttribute('href'), {
        timeout: 20_000,
      })
      .toBe(`/tickets/${invoice}`);
    await expect
      .poll(() => table.textContent(), { timeout: 20_000 })
      .toMatch(/Team: billing → support/);
    expect(await table.locator('tbody tr').count()).toBe(1);
    await page.getByTestId('sim-replay').scrollIntoViewIfNeeded();
    await screenshot(page, 'simulator-replay');
    expect(journey?.errors).toEqual([]);
  });

  it('speaks Chinese to a zh-CN browser', async () => {
    const zh = await getApp().newPage({ locale: 'zh-CN' });
    await login(zh.page);
    await call(zh.page, 'auth.setLanguage', { language: 'zh-CN' });
    await zh.page.goto(`/flows/${flowId}`);
    await zh.page.getByTestId('node-sla').waitFor();
    await expect
      .poll(() => zh.page.getByTestId('tab-simulate').textContent(), { timeout: 20_000 })
      .toContain('模拟');
    await zh.page.getByTestId('tab-simulate').click();
    await zh.page.getByTestId('sim-run').click();
    await zh.page.getByTestId('sim-timeline').waitFor();
    await expect
      .poll(() => zh.page.getByTestId('sim-next-timer').textContent(), { timeout: 20_000 })
      .toMatch(/[\u4e00-\u9fff]/);
    await expect
      .poll(() => zh.page.getByTestId('sim-final').textContent(), { timeout: 20_000 })
      .toContain('已升级');
    await screenshot(zh.page, 'simulator-zh-CN');
    expect(zh.errors).toEqual([]);
    await call(zh.page, 'auth.setLanguage', { language: 'en' });
  });
});
