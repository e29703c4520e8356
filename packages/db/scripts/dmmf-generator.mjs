// A Prisma generator that writes the full DMMF data model (nullability, defaults, indexes,
// relations) as JSON, with the SHA-256 of the schema text it came from. test/migrations-match-schema.test.ts compares the SQL
// migrations against it. The generated client only carries a pruned data model, and
// @prisma/internals (getDMMF) is bundled inside the prisma CLI, not installable here.
//
// Protocol (Prisma's generator JSON-RPC): requests arrive on stdin, one JSON object per
// line; responses go to stderr, one JSON object per line.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import process from 'node:process';
import { createInterface } from 'node:readline';

/** @param {unknown} message */
function reply(message) {
  process.stderr.write(JSON.stringify(message) + '\n');
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  /** @type {{ id: number, method: string, params: any }} */
  const request = JSON.parse(line);
  try {
    if (request.method === 'getManifest') {
      reply({
        jsonrpc: '2.0',
        id: request.id,
        result: {
          manifest: {
            prettyName: 'DMMF JSON',
            defaultOutput: '../src/generated/dmmf.json',
            requiresEngines: [],
          },
        },
      });
    } else if (request.method === 'generate') {
      const output = request.params.generator.output.value;
      mkdirSync(dirname(output), { recursive: true });
      // schemaSha256 lets the test notice a schema edited since the last `npm run generate`.
      const schemaSha256 = createHash('sha256').update(request.params.datamodel).digest('hex');
      const document = { schemaSha256, datamodel: request.params.dmmf.datamodel };
      writeFileSync(output, JSON.stringify(document, null, 2) + '\n');
      reply({ jsonrpc: '2.0', id: request.id, result: null });
    } else {
      reply({
        jsonrpc: '2.0',
        id: request.id,
        error: { code: -32601, message: `Unknown method ${request.method}` },
      });
    }
  } catch (error) {
    reply({ jsonrpc: '2.0', id: request.id, error: { code: -32000, message: String(error) } });
  }
});
