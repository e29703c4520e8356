/**
 * Writes packages/flow/flow.schema.json from the zod schemas and the node catalog.
 * Run after changing the document format or any node kind's config:
 *
 *   npm run generate:schema -w @switchyard/flow
 */
import { writeFileSync } from 'node:fs';
import { renderSchemaFile, SCHEMA_FILE } from './schema-file';

writeFileSync(SCHEMA_FILE, renderSchemaFile());
console.log(`Wrote ${SCHEMA_FILE}`);
