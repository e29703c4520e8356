import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getReturnPath } from './return-path';

describe('getReturnPath', () => {
  it('returns to the page the user asked for', () => {
    expect(getReturnPath('?next=%2Fflows%2Fabc%2Fversions%3Ffrom%3D1')).toBe(
      '/flows/abc/versions?from=1',
    );
  });

  it('never leaves the app and never loops back to /login', () => {
    for (const next of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'flows',
      '/login',
      '/login?next=/x',
    ]) {
      expect(getReturnPath(`?next=${encodeURIComponent(next)}`)).toBe('/flows');
    }
    expect(getReturnPath('')).toBe('/flows');
    expect(getReturnPath('?next=%2Floginx')).toBe('/loginx');
  });

  it('always gives a same-origin path, whatever the query', () => {
    fc.assert(
      fc.property(fc.string(), (next) => {
        const path = getReturnPath(`?next=${encodeURIComponent(next)}`);
        const resolved = new URL(path, 'https://app.example');
        expect(resolved.origin).toBe('https://app.example');
      }),
    );
  });
});
