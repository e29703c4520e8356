import { describe, expect, it } from 'vitest';
import { lintFlow } from '../src';
import { VALID_FLOWS } from './valid-flows';

describe('lintFlow: valid documents', () => {
  it.each(VALID_FLOWS)('$name', ({ document, check }) => {
    const { diagnostics, flow } = lintFlow(document);
    expect(diagnostics).toEqual([]);
    expect(flow).toBeDefined();
    if (flow) check(flow);
  });
});
