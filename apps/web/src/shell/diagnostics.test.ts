import { describe, expect, it } from 'vitest';
import { sortDiagnostics } from './diagnostics';

describe('sortDiagnostics', () => {
  it('puts errors before warnings and keeps the reported order inside each', () => {
    const items = [
      { code: 'unreachable-node', severity: 'warning', message: 'w1' },
      { code: 'dead-end', severity: 'error', message: 'e1' },
      { code: 'unknown-category', severity: 'warning', message: 'w2' },
      { code: 'cel-syntax', severity: 'error', message: 'e2' },
    ] as const;
    expect(sortDiagnostics(items).map((item) => item.message)).toEqual(['e1', 'e2', 'w1', 'w2']);
  });
});
