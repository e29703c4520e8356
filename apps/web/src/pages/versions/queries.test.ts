import { describe, expect, it } from 'vitest';
import { getDefaultComparison, parseVersionRef } from './queries';

describe('parseVersionRef', () => {
  it('reads version numbers and draft, refuses anything else', () => {
    expect(parseVersionRef('3')).toBe(3);
    expect(parseVersionRef('draft')).toBe('draft');
    for (const bad of [null, '', '0', '-1', '1.5', '01', 'v2', '1e3', '99999999999']) {
      expect(parseVersionRef(bad)).toBeNull();
    }
  });
});

describe('getDefaultComparison', () => {
  it('compares the latest version with the one before it', () => {
    expect(getDefaultComparison([1, 3, 2])).toEqual({ from: 2, to: 3 });
  });
  it('compares a single version with the draft, and nothing without versions', () => {
    expect(getDefaultComparison([1])).toEqual({ from: 1, to: 'draft' });
    expect(getDefaultComparison([])).toBeNull();
  });
});
