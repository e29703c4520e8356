import { describe, expect, it } from 'vitest';
import { createSimulationVersion, scriptedEventSchema, simulate } from '../src';
import { HOUR, loadTemplate, MINUTE } from './fixtures';

const { version } = createSimulationVersion(loadTemplate('saas-login'));
if (version === undefined) throw new Error('the SaaS template does not compile');
const ticket = { subject: 'How do I export?', customer: { email: 'ann@example.com' } };

describe('scripted event offsets', () => {
  it.each([
    ['+30m', 30 * MINUTE],
    ['+1d2h', 26 * HOUR],
    // Units in any order add up (this one used to be accepted and then sent at +0).
    ['+30m2h', 2 * HOUR + 30 * MINUTE],
    // Replays of production keep the milliseconds of the recorded times.
    ['+7200500ms', 2 * HOUR + 500],
    ['+1h1s250ms', HOUR + 1250],
  ])('%s is sent %d ms after the creation', async (at, ms) => {
    const result = await simulate({
      version,
      ticket,
      events: [{ at, type: 'COMMENT.ADDED', by: 'li', text: 'checking' }],
      until: '3d',
    });
    expect(result.rejected).toEqual([]);
    const comment = result.steps.find((step) => step.event === 'COMMENT.ADDED');
    expect(comment?.offsetMs).toBe(ms);
  });

  it.each(['+', '30', '+2x', '+h', 'soon', '+1.5h'])('refuses %j with a clear message', (at) => {
    const parsed = scriptedEventSchema.safeParse({ at, type: 'AGENT.REPLIED' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['at'],
      message: 'Use an offset like "+30m", "+2h" or "+1d2h"',
    });
  });
});
