import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulationVersion, simulate } from '../src';
import type { FlowVersionRecord, SimulationResult } from '../src';
import { buildFlow, HOUR, MINUTE, SHANGHAI_HOURS } from './fixtures';

// Issue 6: SLA clocks in the simulator count business hours of the flow's calendar
// (SHANGHAI_HOURS: Mon–Fri 09:00–18:00, Asia/Shanghai = UTC+8 all year).

function slaFlow(response: string, resolution: string, calendar: string | undefined) {
  const target = { response, resolution };
  return buildFlow(
    [
      {
        id: 'sla',
        kind: 'sla',
        config: {
          ...(calendar !== undefined && { calendar }),
          targets: { urgent: target, high: target, medium: target, low: target },
          escalation: [{ after: '0m', reassignTo: 'none', notify: [] }],
        },
      },
      { id: 'fix', kind: 'wait', config: { event: 'AGENT.RESOLVED' } },
      { id: 'done', kind: 'end', config: { outcome: 'resolved' } },
    ],
    ['in.next -> sla', 'sla.next -> fix', 'fix.received -> done'],
    { calendars: [SHANGHAI_HOURS] },
  );
}

function compile(flow: unknown): FlowVersionRecord {
  const { version, diagnostics } = createSimulationVersion(flow);
  if (version === undefined) throw new Error(JSON.stringify(diagnostics));
  return version;
}

const ticket = { subject: 'Export fails', customer: { email: 'ann@example.com' } };

/** The step in which the named SLA timer fired, if it did. */
function firing(result: SimulationResult, key: string) {
  return result.steps.find(
    (step) => step.event === 'TIMER.FIRED' && step.timers.fired.some((t) => t.key === key),
  );
}

describe('simulator SLA in business hours', () => {
  // Friday 2026-03-06 17:30 in Shanghai is 09:30 UTC; Monday 2026-03-09 10:30 is 02:30 UTC.
  const fridayEvening = Date.parse('2026-03-06T09:30:00Z');

  it('Friday 17:30 + 2 business hours is due Monday 10:30, and the breach fires then', async () => {
    const result = await simulate({
      version: compile(slaFlow('2h', '8h', 'work')),
      ticket,
      start: fridayEvening,
      until: '7d',
    });
    const created = result.steps[0];
    expect(created?.timers.scheduled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'sla:response', dueAt: '2026-03-09T02:30:00.000Z' }),
        // 30 minutes on Friday and 7 h 30 on Monday.
        expect.objectContaining({ key: 'sla:resolution', dueAt: '2026-03-09T08:30:00.000Z' }),
      ]),
    );
    const breach = firing(result, 'sla:response');
    expect(breach).toMatchObject({
      at: '2026-03-09T02:30:00.000Z',
      offsetMs: 65 * HOUR, // Friday 17:30 → Monday 10:30
      notes: expect.arrayContaining(['SLA response target breached']) as unknown,
    });
    // Nothing happens over the weekend: the breach is the first step after the creation.
    expect(result.steps[1]).toBe(breach);
    expect(result.ticket.sla).toMatchObject({ breached: true });
    expect(result.ticket.status).toBe('escalated');
  });

  it('without a calendar the same target breaches two wall-clock hours later, on Friday', async () => {
    const result = await simulate({
      version: compile(slaFlow('2h', '8h', undefined)),
      ticket,
      start: fridayEvening,
      until: '7d',
    });
    expect(firing(result, 'sla:response')).toMatchObject({
      at: '2026-03-06T11:30:00.000Z',
      offsetMs: 2 * HOUR,
    });
  });

  it('an answer before Monday 10:30 keeps the SLA: no breach on the following Monday', async () => {
    const result = await simulate({
      version: compile(slaFlow('2h', '8h', 'work')),
      ticket,
      start: fridayEvening,
      until: '7d',
      // Sunday in the real world: outside business hours, it still counts as the response.
      events: [{ at: '+1d20h', type: 'AGENT.REPLIED' }],
    });
    expect(firing(result, 'sla:response')).toBeUndefined();
    // The resolution clock still runs: Monday 16:30.
    expect(firing(result, 'sla:resolution')).toMatchObject({ at: '2026-03-09T08:30:00.000Z' });
  });

  /**
   * An independent reference: walk minute by minute from the start and count the minutes that
   * fall in Mon–Fri 09:00–18:00 Shanghai time (UTC+8, no daylight saving).
   */
  function dueByCountingMinutes(start: number, businessMinutes: number): number {
    let counted = 0;
    let at = start;
    while (counted < businessMinutes) {
      const local = new Date(at + 8 * HOUR);
      const day = local.getUTCDay();
      const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
      if (day >= 1 && day <= 5 && minuteOfDay >= 9 * 60 && minuteOfDay < 18 * 60) counted++;
      at += MINUTE;
    }
    return at;
  }

  it('breaches exactly when the business minutes run out, for any start and target', async () => {
    // Whole minutes across two weeks in March 2026 (no holidays), targets up to two working days.
    const weekStart = Date.parse('2026-03-01T16:00:00Z'); // Monday 2026-03-02 00:00 Shanghai
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.integer({ min: 1, max: 18 * 60 }),
        async (startMinute, targetMinutes) => {
          const start = weekStart + startMinute * MINUTE;
          // The resolution target comes later, so the response timer is the one that breaches.
          const result = await simulate({
            version: compile(slaFlow(`${targetMinutes}m`, `${targetMinutes + 600}m`, 'work')),
            ticket,
            start,
            until: '30d',
          });
          const expected = new Date(dueByCountingMinutes(start, targetMinutes)).toISOString();
          expect(firing(result, 'sla:response')?.at).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
