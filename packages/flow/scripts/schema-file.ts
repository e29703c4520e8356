import { fileURLToPath } from 'node:url';
import { getFlowJsonSchema } from '../src/json-schema';

/** Where the generated JSON Schema is committed (`packages/flow/flow.schema.json`). */
export const SCHEMA_FILE = fileURLToPath(new URL('../flow.schema.json', import.meta.url));

/** The exact text of the committed file; shared by the generator and the freshness test. */
export function renderSchemaFile(): string {
  return `${JSON.stringify(getFlowJsonSchema(), null, 2)}\n`;
}
