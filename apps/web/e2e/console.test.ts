// The operations console journey (issue 9) against the real server: an agent finds a new ticket
// in the inbox (it arrives live), replies and resolves; the customer answers the e-mailed survey
// link with a 2; the ticket reopens to a senior agent; the dashboard and the daily report show it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '@switchyard/db';
import { hashPassword, readMailOutbox } from '@switchyard/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, login, screenshot, startApp } from './harness';
import type { App, JourneyPage } from './harness';

const AGENT_EMAIL = 'li.lei@example.com';
const AGENT_PASSWORD = 'agent-password-0123';
const SUBJECT = 'Cannot log in after the password reset';

let app: App | undefined;

beforeAll(async () => {
  app = await startApp();
  // An agent account linked to Li Lei of the tech team (saas-login's seeded agents).
  const { repository } = app.server;
  const userId = repository.createUser({
    email: AGENT_EMAIL,
    name: 'Li Lei',
    passwordHash: await hashPassword(AGENT_PASSWORD),
    role: 'agent',
  });
  const li = repository.listAgents().find((agent) => agent.id === 'li');
  if (li === undefined) throw new Error('saas-login no longer seeds the agent li');
  repository.upsertAgent({ ...li, userId, email: AGENT_EMAIL }, null);
});

afterAll(async () => {
  await app?.close();
});

/** 30 minutes pass for one ticket's survey: its `survey:send` timer falls due now. */
function makeSurveyDue(dataDir: string, number: string): void {
  const db = openSqlite(join(dataDir, 'switchyard.db'));
  try {
    const changed = db
      .prepare(
        `UPDATE "Timer" SET "dueAt" = '2000-01-01T00:00:00.000+00:00'
         WHERE "key" = 'survey:send' AND "status" = 'scheduled'
           AND "ticketId" = (SELECT "id" FROM "Ticket" WHERE "number" = ?)`,
      )
      .run(number).changes;
    if (changed !== 1) throw new Error(`${number} has no survey waiting to be sent`);
  } finally {
    db.close();
  }
}

/** A PNG of the whole page (below the fold too) under e2e/artifacts/. */
async function fullPage(page: JourneyPage['page'], name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
  await page.screenshot({
    path: join(ARTIFACTS_DIR, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}

function noErrors(journey: JourneyPage): string[] {
  return journey.errors.filter((error) => !error.includes('401'));
}

describe('operations console', () => {
  it('inbox → reply → resolve → survey 2 → reopened to a senior agent → dashboard and report', async () => {
    if (app === undefined) throw new Error('the app did not start');
    const agent = await app.newPage();
    const { page } = agent;
    await login(page, { email: AGENT_EMAIL, password: AGENT_PASSWORD, path: '/tickets' });
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();

    // A customer writes in while the inbox is open: the row appears without a reload.
    const versionId = app.server.seed.published.find((p) => p.flowId === 'saas-login')?.versionId;
    if (versionId === undefined) throw new Error('saas-login is not published');
    const { ticket } = await app.server.engine.createTicket(
      {
        subject: SUBJECT,
        description:
          'Hello, I reset my password this morning but the login page still says it is wrong. I tried twice in Chrome and Safari.',
        channel: 'web',
        customer: { name: 'Ann Lee', email: 'ann@example.com', tier: 'vip', language: 'zh-CN' },
      },
      { flowVersionId: versionId },
    );
    const number = ticket.number;
    await page.getByTestId(`ticket-row-${number}`).waitFor();
    await page.getByTestId('inbox-search').fill('password reset');
    await page.getByTestId('inbox-search').press('Enter');
    await page.waitForURL(/q=password/);
    await expect(
      page.getByTestId('inbox-table').locator('tbody tr.ant-table-row').count(),
    ).resolves.toBe(1);
    await screenshot(page, 'console-01-inbox');

    // The ticket page: conversation, actions by state, SLA, customer, flow position.
    await page.getByTestId(`ticket-link-${number}`).click();
    await page.waitForURL(`**/tickets/${number}`);
    await page
      .getByTestId('flow-mini-canvas')
      .locator('[data-testid="mini-node-current"]')
      .waitFor();
    const approve = page.getByTestId('action-approve');
    await expect(approve.isDisabled()).resolves.toBe(true);
    await expect(approve.getAttribute('data-reason')).resolves.toMatch(/No approval is waiting/);
    // Hovering the disabled action shows why it is disabled.
    await page.getByTestId('action-approve-hover').hover();
    await page
      .getByRole('tooltip')
      .filter({ hasText: /No approval is waiting/ })
      .waitFor();
    await screenshot(page, 'console-02-ticket');
    await page.mouse.move(0, 0);

    await page
      .getByTestId('reply-text')
      .fill(
        'Hello Ann, we reset the login session on our side. Please try again with your new password.',
      );
    await page.getByTestId('reply-submit').click();
    await page.getByTestId('message-agent').waitFor();
    await page.getByTestId('action-resolve').click();
    await page.getByTestId('resolve-note').fill('Stale SSO session cleared.');
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('status-tag').filter({ hasText: 'Resolved' }).first().waitFor();
    await screenshot(page, 'console-03-resolved');

    // 30 minutes later the survey mail goes out; its link carries a token, not the number.
    makeSurveyDue(app.dataDir, number);
    await app.server.tick();
    const mail = readMailOutbox(app.dataDir).find(
      (m) => m.ticket === number && m.body.includes('/survey/'),
    );
    const path = /\/survey\/[A-Za-z0-9_-]{43}/.exec(mail?.body ?? '')?.[0];
    if (path === undefined) throw new Error('no survey link was e-mailed');
    expect(path).not.toContain(number);

    // The customer (no account, Chinese) answers 2, not resolved.
    const customer = await app.newPage({ locale: 'zh-CN', viewport: { width: 800, height: 900 } });
    await customer.page.goto(path);
    await customer.page.getByText('请评价我们的服务').waitFor();
    await screenshot(customer.page, 'console-04-survey-zh');
    await customer.page.getByTestId('survey-score-2').click();
    await customer.page.getByTestId('survey-resolved-no').click();
    await customer.page.getByTestId('survey-comment').fill('还是无法登录。');
    await screenshot(customer.page, 'console-05-survey-filled');
    await customer.page.getByTestId('survey-submit').click();
    await customer.page.getByTestId('survey-thanks').waitFor();
    await screenshot(customer.page, 'console-06-survey-thanks');
    await customer.page.goto('/survey/not-a-real-token');
    await customer.page.getByText('该链接无效').waitFor();
    expect(noErrors(customer).filter((e) => !e.includes('404'))).toEqual([]);

    // The agent's page follows live: reopened, now with a senior agent.
    await page.getByTestId('ticket-assignee').filter({ hasText: 'Wang Fang' }).waitFor();
    await page.getByTestId('status-tag').filter({ hasText: 'Open' }).first().waitFor();
    await page.getByTestId('message-survey').waitFor();
    await page.getByTestId('tab-timeline').click();
    const answered = page.getByTestId('timeline-SURVEY.ANSWERED');
    await answered.getByTestId('explain-why').click();
    await expect(answered.getByTestId('why-details').textContent()).resolves.toContain(
      'event.score > 3 && event.resolved == true',
    );
    await screenshot(page, 'console-07-reopened-timeline');

    // The dashboard (last 7 days) counts it: created, first response, reopened, CSAT 2.
    await page.getByTestId('nav-dashboard').click();
    await page.waitForURL('**/dashboard');
    await page.getByTestId('kpi-created').getByText('1', { exact: true }).waitFor();
    await expect(page.getByTestId('kpi-csat').textContent()).resolves.toContain('2.0 / 5');
    await expect(page.getByTestId('kpi-created').textContent()).resolves.toContain('1 reopened');
    await page.getByTestId('chart-csat').locator('svg').waitFor();
    await screenshot(page, 'console-08-dashboard');
    await fullPage(page, 'console-08-dashboard-full');

    // Today's daily report, on demand: printable, and as CSV.
    await page.getByTestId('nav-reports').click();
    await page.waitForURL('**/reports');
    await page.getByTestId('report-generate').click();
    await page.getByTestId('report-view').waitFor();
    await expect(page.getByTestId('report-kpi-created').textContent()).resolves.toContain('1');
    await expect(page.getByTestId('report-kpi-csat').textContent()).resolves.toContain('2.0 / 5');
    await screenshot(page, 'console-09-daily-report');
    const download = page.waitForEvent('download');
    await page.getByTestId('report-csv').click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain('tickets_created,1\r\n');
    expect(csv).toContain('tickets_reopened,1\r\n');
    expect(csv).toContain('csat_score_2,1\r\n');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'console-10-daily-report-print');
    await page.emulateMedia({ media: 'screen' });

    // The same console in Chinese: the weekly report and the dashboard.
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-kind').click();
    await page.locator('.ant-select-item-option[title="周报"]').click();
    await page.getByTestId('report-generate').click();
    await page.getByTestId('report-days').waitFor();
    await fullPage(page, 'console-11-weekly-report-zh');
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId(`ticket-row-${number}`).waitFor();
    await screenshot(page, 'console-12-inbox-zh');

    expect(noErrors(agent)).toEqual([]);
  });

  it('an approval is decided only by whom the engine asked (or an admin): others see why not', async () => {
    if (app === undefined) throw new Error('the app did not start');
    // An invoice correction waits for the finance team lead's approval.
    const versionId = app.server.seed.published.find((p) => p.flowId === 'invoices')?.versionId;
    if (versionId === undefined) throw new Error('invoices is not published');
    const { ticket } = await app.server.engine.createTicket(
      {
        subject: 'Please void the invoice: wrong tax ID',
        channel: 'web',
        customer: { name: 'Bo Chen', email: 'bo@example.com' },
      },
      { flowVersionId: versionId },
    );
    expect(ticket.currentNodes).toEqual(['finance-approval']);
    const financeLead = app.server.repository
      .listAgents()
      .find((agent) => agent.teamId === 'finance' && agent.role === 'lead' && agent.active);
    if (financeLead === undefined) throw new Error('invoices no longer seeds a finance lead');

    // Li Lei reads the console in Chinese (as the journey above left it): the reason is translated.
    const li = app.server.repository.listUsers().find((user) => user.email === AGENT_EMAIL);
    if (li === undefined) throw new Error('the agent account is missing');
    app.server.repository.setLanguage(li.id, 'zh-CN');
    const agent = await app.newPage();
    await login(agent.page, {
      email: AGENT_EMAIL,
      password: AGENT_PASSWORD,
      path: `/tickets/${ticket.number}`,
    });
    for (const action of ['approve', 'reject']) {
      const button = agent.page.getByTestId(`action-${action}`);
      await expect(button.isDisabled()).resolves.toBe(true);
      await expect(button.getAttribute('data-reason')).resolves.toBe(
        `只有 ${financeLead.name} (${financeLead.email}) 或管理员可以审批此申请。`,
      );
    }
    await screenshot(agent.page, 'console-13-approval-not-yours');
    expect(noErrors(agent)).toEqual([]);

    const admin = await app.newPage();
    await login(admin.page, { path: `/tickets/${ticket.number}` });
    const approve = admin.page.getByTestId('action-approve');
    await approve.waitFor();
    await expect(approve.isDisabled()).resolves.toBe(false);
    await expect(admin.page.getByTestId('action-reject').isDisabled()).resolves.toBe(false);
    expect(noErrors(admin)).toEqual([]);
  });
});
