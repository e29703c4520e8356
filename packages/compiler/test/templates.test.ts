import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintFlow, ticketInputSchema } from '@switchyard/flow';
import { createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../src';

const templatesDir = fileURLToPath(new URL('../../../templates/', import.meta.url));
const templates = readdirSync(templatesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** Every template is a conformance fixture: it lints clean, compiles, and its samples are valid input. */
describe.each(templates)('template %s', (id) => {
  const dir = join(templatesDir, id);
  const flow = JSON.parse(readFileSync(join(dir, 'flow.json'), 'utf8')) as { id: string };

  it('has a flow whose id is the folder name and which lints without warnings', () => {
    expect(flow.id).toBe(id);
    expect(lintFlow(flow).diagnostics).toEqual([]);
  });

  it('compiles to a machine xstate accepts', () => {
    const { machine } = compileFlow(flow);
    expect(machine).toBeDefined();
    expect(() => createMachine(machine as never)).not.toThrow();
  });

  it('has a README and valid sample tickets', () => {
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    const samples = readdirSync(join(dir, 'samples')).filter((name) => name.endsWith('.json'));
    expect(samples.length).toBeGreaterThan(0);
    for (const name of samples) {
      const result = ticketInputSchema.safeParse(
        JSON.parse(readFileSync(join(dir, 'samples', name), 'utf8')),
      );
      expect(result.success, `${name}: ${result.error?.message ?? ''}`).toBe(true);
    }
  });
});

it('finds the templates', () => {
  expect(templates).toContain('saas-login');
});
