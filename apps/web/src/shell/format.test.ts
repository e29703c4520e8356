import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelativeTime, toFileName } from './format';

const NOW = Date.parse('2024-05-01T13:00:00Z');

describe('formatRelativeTime', () => {
  it('picks the largest whole unit, past and future', () => {
    expect(formatRelativeTime('2024-05-01T10:00:00Z', NOW, 'en')).toBe('3 hours ago');
    expect(formatRelativeTime('2024-04-28T13:00:00Z', NOW, 'en')).toBe('3 days ago');
    expect(formatRelativeTime('2024-04-30T13:00:00Z', NOW, 'en')).toBe('yesterday');
    expect(formatRelativeTime('2024-05-01T13:05:00Z', NOW, 'en')).toBe('in 5 minutes');
    expect(formatRelativeTime('2024-05-01T10:00:00Z', NOW, 'zh-CN')).toBe('3小时前');
  });

  it('reads under a minute as now, and refuses missing or bad times', () => {
    expect(formatRelativeTime('2024-05-01T12:59:30Z', NOW, 'en')).toBe('now');
    expect(formatRelativeTime(null, NOW, 'en')).toBeNull();
    expect(formatRelativeTime('yesterday-ish', NOW, 'en')).toBeNull();
  });
});

describe('formatDateTime', () => {
  it('formats in the UI language and shows a dash for nothing', () => {
    expect(formatDateTime('2024-05-01T10:00:00Z', 'en')).toMatch(/May 1, 2024/);
    expect(formatDateTime('2024-05-01T10:00:00Z', 'zh-CN')).toMatch(/2024年5月1日/);
    expect(formatDateTime(undefined, 'en')).toBe('—');
  });
});

describe('toFileName', () => {
  it('keeps safe characters and joins the parts with dashes', () => {
    expect(toFileName('retail-returns', 'v3', 'machine')).toBe('retail-returns-v3-machine');
    expect(toFileName('a b/c', '', 'd:e')).toBe('a-b-c-d-e');
  });
});
