// The console's logic without a browser: inbox filters in the URL, which actions are offered and
// why not, the conversation read from events, durations and countdowns, date ranges, charts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getAgentLoadOption,
  getBacklogOption,
  getVolumeByDayOption,
} from '../src/console/dashboard/charts';
import { getActionStates, TICKET_ACTIONS } from '../src/console/model/actions';
import { getConversation, getNotes } from '../src/console/model/conversation';
import type { EventLike } from '../src/console/model/conversation';
import { addDays, findPreset, getPresetRange, isLocalDate } from '../src/console/model/dates';
import {
  CHANNEL_VALUES,
  isSameFilters,
  parseFilters,
  PRIORITY_VALUES,
  SLA_VALUES,
  SORT_VALUES,
  STATUS_VALUES,
  toListInput,
  toSearchParams,
} from '../src/console/model/filters';
import type { InboxFilters } from '../src/console/model/filters';
import { formatDuration, formatPercent, getCountdown } from '../src/console/model/format';
import { pickSurveyLanguage } from '../src/console/survey/language';

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const filtersArbitrary: fc.Arbitrary<InboxFilters> = fc.record(
  {
    status: fc.constantFrom(...STATUS_VALUES),
    open: fc.constant(true),
    priority: fc.constantFrom(...PRIORITY_VALUES),
    team: word,
    assignee: fc.option(word, { nil: null }),
    mine: fc.constant(true),
    channel: fc.constantFrom(...CHANNEL_VALUES),
    category: word,
    sla: fc.constantFrom(...SLA_VALUES),
    search: fc.stringMatching(/^\S(.{0,30}\S)?$/),
    sort: fc.constantFrom(...SORT_VALUES),
  },
  { requiredKeys: [] },
);

describe('inbox filters in the URL', () => {
  it('survive a round trip through the query string', () => {
    fc.assert(
      fc.property(filtersArbitrary, (filters) => {
        const url = `/tickets?${toSearchParams(filters).toString()}`;
        const parsed = parseFilters(new URL(url, 'http://x').searchParams);
        expect(parsed).toEqual(filters);
        expect(isSameFilters(parsed, filters)).toBe(true);
      }),
    );
  });

  it('drop what they do not understand', () => {
    const parsed = parseFilters(
      new URLSearchParams(
        'status=lost&priority=urgent&sort=random&sla=soon&open=yes&q=%20%20&team=tech',
      ),
    );
    expect(parsed).toEqual({ priority: 'urgent', team: 'tech' });
    expect(parseFilters(new URLSearchParams('assignee=-'))).toEqual({ assignee: null });
  });

  it('"mine" becomes the user\'s agent, or matches nobody without one', () => {
    expect(toListInput({ mine: true, open: true }, 'li')).toEqual({ assignee: 'li', open: true });
    const nobody = toListInput({ mine: true }, null);
    expect(typeof nobody.assignee).toBe('string');
    expect(nobody.assignee).not.toBe('');
    expect(toListInput({ assignee: null }, 'li')).toEqual({ assignee: null });
  });
});

describe('ticket actions', () => {
  it('viewers get none, with the role as the reason', () => {
    const states = getActionStates('viewer', { reply: true, resolve: true }, false);
    for (const action of TICKET_ACTIONS) {
      expect(states[action]).toEqual({ enabled: false, reason: 'role' });
    }
  });

  it('agents get what the step accepts; the rest says why', () => {
    const states = getActionStates('agent', { reply: true, comment: true, approve: false }, false);
    expect(states.reply).toEqual({ enabled: true, reason: null });
    expect(states.approve).toEqual({ enabled: false, reason: 'notAccepted' });
    expect(states.reopen).toEqual({ enabled: false, reason: 'notAccepted' });
    const finished = getActionStates('admin', { comment: false }, true);
    expect(finished.comment).toEqual({ enabled: false, reason: 'finished' });
  });

  it('approve and reject say so when someone else was asked to decide the approval', () => {
    const accepted = { comment: true, approve: false, reject: false };
    const other = getActionStates('agent', accepted, false, { mayDecide: false });
    expect(other.approve).toEqual({ enabled: false, reason: 'notApprover' });
    expect(other.reject).toEqual({ enabled: false, reason: 'notApprover' });
    expect(other.comment).toEqual({ enabled: true, reason: null });
    const asked = getActionStates('agent', { approve: true, reject: true }, false, {
      mayDecide: true,
    });
    expect(asked.approve).toEqual({ enabled: true, reason: null });
    expect(getActionStates('viewer', accepted, false, { mayDecide: false }).approve.reason).toBe(
      'role',
    );
  });
});

describe('conversation', () => {
  const events: EventLike[] = [
    { seq: 1, type: 'TICKET.CREATED', at: '2024-05-01T01:00:00Z', actor: null, details: {} },
    {
      seq: 2,
      type: 'AGENT.REPLIED',
      at: '2024-05-01T01:10:00Z',
      actor: 'li@example.com',
      details: { by: 'li@example.com', message: 'Please try again.' },
    },
    { seq: 3, type: 'AGENT.REPLIED', at: '2024-05-01T01:11:00Z', actor: 'x', details: {} },
    {
      seq: 4,
      type: 'COMMENT.ADDED',
      at: '2024-05-01T01:12:00Z',
      actor: 'li@example.com',
      details: { text: 'SSO cache cleared' },
    },
    {
      seq: 5,
      type: 'CUSTOMER.REPLIED',
      at: '2024-05-01T02:00:00Z',
      actor: null,
      details: { message: 'Works now, thanks' },
    },
    {
      seq: 6,
      type: 'AGENT.RESOLVED',
      at: '2024-05-01T02:05:00Z',
      actor: 'li@example.com',
      details: { note: 'Fixed by cache flush' },
    },
    {
      seq: 7,
      type: 'SURVEY.ANSWERED',
      at: '2024-05-01T03:00:00Z',
      actor: null,
      details: { score: 2, resolved: false, comment: 'Broke again' },
    },
  ];

  it('has the request, replies both ways and the survey answer, in order', () => {
    const messages = getConversation(events, {
      description: 'I cannot log in',
      customer: 'Ann Lee',
      at: '2024-05-01T01:00:00Z',
    });
    expect(messages.map((m) => [m.kind, m.author, m.text])).toEqual([
      ['customer', 'Ann Lee', 'I cannot log in'],
      ['agent', 'li@example.com', 'Please try again.'],
      ['customer', 'Ann Lee', 'Works now, thanks'],
      ['survey', 'Ann Lee', 'Broke again'],
    ]);
    expect(messages[3]).toMatchObject({ score: 2, resolved: false });
  });

  it('keeps internal notes apart: comments and resolution notes', () => {
    expect(getNotes(events).map((note) => [note.seq, note.text])).toEqual([
      [4, 'SSO cache cleared'],
      [6, 'Fixed by cache flush'],
    ]);
  });
});

describe('durations and countdowns', () => {
  it('formats the two largest units in English and Chinese', () => {
    expect(formatDuration(8_100_000, 'en')).toBe('2 h 15 min');
    expect(formatDuration(8_100_000, 'zh-CN')).toBe('2小时15分钟');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_000, 'en')).toBe('3 d 4 h');
    expect(formatDuration(45_000, 'en')).toBe('45 s');
    expect(formatDuration(3_600_000, 'en')).toBe('1 h');
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(null, 'en')).toBe('—');
    expect(formatPercent(0.875, 'en')).toBe('87.5 %');
    expect(formatPercent(null, 'zh-CN')).toBe('—');
  });

  it('tells a target due soon, overdue, met and breached apart', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    const open = { breached: false, done: false };
    expect(getCountdown('2024-05-01T10:30:00Z', now, open)).toEqual({
      urgency: 'soon',
      remainingMs: 1_800_000,
    });
    expect(getCountdown('2024-05-01T12:00:00Z', now, open).urgency).toBe('ok');
    expect(getCountdown('2024-05-01T09:00:00Z', now, open)).toEqual({
      urgency: 'overdue',
      remainingMs: -3_600_000,
    });
    expect(getCountdown('2024-05-01T09:00:00Z', now, { breached: false, done: true }).urgency).toBe(
      'met',
    );
    expect(getCountdown('2024-05-01T12:00:00Z', now, { breached: true, done: true }).urgency).toBe(
      'breached',
    );
    expect(getCountdown(null, now, open)).toEqual({ urgency: 'ok', remainingMs: null });
  });
});

describe('date ranges', () => {
  it("presets count back from the server's today, across months and leap days", () => {
    expect(getPresetRange('7d', '2024-03-03')).toEqual({ from: '2024-02-26', to: '2024-03-03' });
    expect(getPresetRange('30d', '2024-03-01')).toEqual({ from: '2024-02-01', to: '2024-03-01' });
    expect(getPresetRange('today', '2024-03-01')).toEqual({ from: '2024-03-01', to: '2024-03-01' });
    expect(findPreset({ from: '2024-02-26', to: '2024-03-03' }, '2024-03-03')).toBe('7d');
    expect(findPreset({ from: '2024-02-25', to: '2024-03-03' }, '2024-03-03')).toBeNull();
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-2-1')).toBe(false);
  });
});

describe('dashboard charts', () => {
  it('agent load: busiest first, orange from 80 % of capacity, red over it, inactive left out', () => {
    const option = getAgentLoadOption(
      [
        { name: 'Idle', open: 0, capacity: 8, active: true },
        { name: 'Busy', open: 7, capacity: 8, active: true },
        { name: 'Over', open: 9, capacity: 8, active: true },
        { name: 'Away', open: 5, capacity: 5, active: false },
      ],
      { open: 'Open', capacity: 'Capacity' },
    );
    const yAxis = option.yAxis as { data: string[] };
    // Bars are drawn bottom-up: the busiest agent is last in the data.
    expect(yAxis.data).toEqual(['Idle', 'Busy', 'Over']);
    const series = option.series as {
      data: (number | { value: number; itemStyle: { color: string } })[];
    }[];
    expect(series[0]?.data).toEqual([8, 8, 8]);
    expect(
      series[1]?.data.map((bar) => (typeof bar === 'number' ? bar : bar.itemStyle.color)),
    ).toEqual(['#3b5bdb', '#f59f00', '#e03131']);
  });

  it('backlog stacks the breached part on the part within SLA', () => {
    const option = getBacklogOption(
      [
        { team: 'tech', open: 5, breached: 2 },
        { team: 'billing', open: 1, breached: 0 },
      ],
      (team) => team.toUpperCase(),
      { open: 'Within', breached: 'Breached' },
    );
    const series = option.series as { data: number[] }[];
    expect((option.yAxis as { data: string[] }).data).toEqual(['BILLING', 'TECH']);
    expect(series[0]?.data).toEqual([1, 3]);
    expect(series[1]?.data).toEqual([0, 2]);
  });

  it('tickets per day label each bar with its month and day', () => {
    const option = getVolumeByDayOption(
      [
        { date: '2024-04-30', count: 2 },
        { date: '2024-05-01', count: 0 },
      ],
      'Tickets',
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['04-30', '05-01']);
  });
});

describe('survey language', () => {
  it("takes ?lang=, else the customer's language, else the browser's", () => {
    expect(pickSurveyLanguage('en', 'zh-CN', ['zh-CN'])).toBe('en');
    expect(pickSurveyLanguage(null, 'zh', ['en-US'])).toBe('zh-CN');
    expect(pickSurveyLanguage('fr', 'en', ['zh-TW'])).toBe('en');
    expect(pickSurveyLanguage(null, '', ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickSurveyLanguage(null, undefined, [])).toBe('en');
  });
});
