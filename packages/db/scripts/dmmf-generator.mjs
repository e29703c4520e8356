// A Prisma generator that writes the full DMMF (datamodel with nullability, defaults,
// indexes and relations) as JSON. test/migrations-match-schema.test.ts compares the SQL
// migrations against it. The generated client only carries a pruned data model, and
// @prisma/internals (getDMMF) is bundled inside the prisma CLI, not installable here.
//
// Protocol (Prisma's generator JSON-RPC): requests arrive on stdin, one JSON object per
// line; responses go to stderr, one JSON object per line.
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
        result: { manifest: { prettyName: 'DMMF JSON', defaultOutput: '../src/generated/dmmf.json', requiresEngines: [] } },
      });
    } else if (request.method === 'generate') {
      const output = request.params.generator.output.value;
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, JSON.stringify(request.params.dmmf.datamodel, null, 2) + '\n');
      reply({ jsonrpc: '2.0', id: request.id, result: null });
    } else {
      reply({ jsonrpc: '2.0', id: request.id, error: { code: -32601, message: `Unknown method ${request.method}` } });
    }
  } catch (error) {
    reply({ jsonrpc: '2.0', id: request.id, error: { code: -32000, message: String(error) } });
  }
});
