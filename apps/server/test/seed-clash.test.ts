import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { DEFAULT_TEMPLATES_DIR } from '../src/seed';
import { createTempDir } from './support/temp';

// Two templates whose settings clash (same agent id, same team, same calendar id, each with other
// content) seeded into one server: the first template (alpha) must keep behaving as it did alone.

const TOKEN = 'seed-clash-token-0123456789abcdef';
const templates = createTempDir();
const data = createTempDir();
const logged: string[] = [];
let server: SwitchyardServer;

const ALPHA_HOURS = {
  id: 'office-hours',
  name: 'Office hours',
  timeZone: 'Asia/Shanghai',
  week: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] },
  holidays: [],
};
const BETA_HOURS = { ...ALPHA_HOURS, week: { sat: [['10:00', '14:00']] } };

function agent(id: string, teamId: string, extra: Record<string, unknown> = {}) {
  return { id, name: `${id} name`, teamId, capacity: 10, ...extra };
}

/** A copy of the saas-login flow under another id, with its own calendar and scenario agents. */
function writeTemplate(
  name: string,
  calendar: object,
  agents: readonly ReturnType<typeof agent>[],
): void {
  const flow = JSON.parse(
    readFileSync(join(DEFAULT_TEMPLATES_DIR, 'saas-login', 'flow.json'), 'utf8'),
  ) as Record<string, unknown>;
  const dir = join(templates.path, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'flow.json'),
    JSON.stringify({ ...flow, id: name, name: `Template ${name}`, calendars: [calendar] }),
  );
  writeFileSync(
    join(dir, 'scenarios.json'),
    JSON.stringify({
      agents,
      scenarios: [{ name: 'arrives', ticket: { subject: 'Hello' }, expect: {} }],
    }),
  );
}

async function post(body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(json)).toBe(201);
  return json;
}

const LOGIN_FAULT = {
  subject: 'Cannot log in: password reset loop',
  description: 'Our admins cannot log in since this morning.',
  customer: { name: 'Ann', email: 'ann@example.com', tier: 'vip' },
};
const QUESTION = { subject: 'Do you have a dark mode?', customer: { email: 'q@example.com' } };

beforeAll(async () => {
  // alpha is seeded first (templates are taken in name order).
  writeTemplate('alpha', ALPHA_HOURS, [
    agent('li', 'tech', { openTickets: 2 }),
    agent('wang', 'tech', { openTickets: 2 }),
    agent('tech-lead', 'tech', { role: 'lead' }),
    agent('zhao', 'billing', { shiftCalendarId: 'office-hours' }),
  ]);
  writeTemplate('beta', BETA_HOURS, [
    // Team tech, staffed by alpha with other agents: beta's would take alpha's tickets.
    agent('bo', 'tech', { openTickets: 0 }),
    agent('beta-lead', 'tech', { role: 'lead' }),
    // The same agent as alpha's: shared.
    agent('zhao', 'billing', { shiftCalendarId: 'office-hours' }),
    // Agent id li is alpha's tech agent; beta's li works in support. Its shift names a calendar
    // beta does not declare.
    agent('li', 'support', { shiftCalendarId: 'night-shift' }),
  ]);
  server = await createServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: data.path,
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
      SWITCHYARD_ADMIN_PASSWORD: 'a long enough password',
      SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
      SMTP_PORT: 'off',
    }),
    {
      templatesDir: templates.path,
      log: (line) => logged.push(line),
      seedSamples: false,
      tickMs: 3_600_000,
    },
  );
});

afterAll(async () => {
  await server.close();
  templates[Symbol.dispose]();
  data[Symbol.dispose]();
});

describe('seeding templates whose settings clash', () => {
  it('publishes both templates', () => {
    expect(server.seed.published.map((t) => t.flowId)).toEqual(['alpha', 'beta']);
  });

  it("keeps the first template's agents as they are; the later clashing ones are renamed or left out", () => {
    const agents = new Map(server.repository.listAgents().map((a) => [a.id, a]));
    expect([...agents.keys()].sort()).toEqual(['beta-li', 'li', 'tech-lead', 'wang', 'zhao']);
    expect(agents.get('li')).toMatchObject({ teamId: 'tech', openTickets: 2 });
    expect(agents.get('zhao')).toMatchObject({
      teamId: 'billing',
      shiftCalendarId: 'office-hours',
    });
    expect(agents.get('beta-li')).toMatchObject({ teamId: 'support', shiftCalendarId: null });
    expect([...agents.values()].filter((a) => a.teamId === 'tech').map((a) => a.id)).toEqual(
      expect.arrayContaining(['li', 'wang', 'tech-lead']),
    );
    expect([...agents.values()].filter((a) => a.teamId === 'tech')).toHaveLength(3);
  });

  it("keeps the first template's calendar under the shared id", () => {
    const calendars = server.repository.listCalendars();
    expect(calendars).toHaveLength(1);
    expect(calendars[0]).toMatchObject({ id: 'office-hours', week: ALPHA_HOURS.week });
  });

  it('names every clash in the log, with both templates', () => {
    const notes = logged.filter((line) => line.startsWith('template beta:'));
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/calendar office-hours differs from template alpha's/),
        expect.stringMatching(
          /team tech is already staffed by template alpha; .*\(bo, beta-lead\)/,
        ),
        expect.stringMatching(
          /agent id li is taken by another agent of template alpha; created as beta-li/,
        ),
        expect.stringMatching(/agent li's shift names calendar night-shift/),
      ]),
    );
    expect(notes).toHaveLength(4);
    expect(logged.some((line) => line.includes('zhao'))).toBe(false);
  });

  it("routes alpha's tickets to alpha's own agents", async () => {
    // bo (no open tickets) would be the least-loaded tech agent had beta's agents joined.
    const ticket = await post({ ...LOGIN_FAULT, flow: 'alpha' });
    expect(ticket.team).toBe('tech');
    expect(['li', 'wang']).toContain(ticket.assignee);
  });

  it("routes beta's support tickets to beta's renamed agent", async () => {
    const ticket = await post({ ...QUESTION, flow: 'beta' });
    expect(ticket).toMatchObject({ team: 'support', assignee: 'beta-li' });
  });
});
