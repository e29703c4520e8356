// Child process of concurrency.test.ts: one engine on a shared SQLite file.
//   node --import tsx concurrency-child.ts <db> <ticket-number> <name> <events> <tickets>
// Sends <events> COMMENT.ADDED events to the ticket and creates <tickets> tickets, all at once,
// retrying a step the store refused as a conflict (nothing of it was written), and prints
// `SENT <text> <seq>` and `CREATED <number>` for each acknowledged step.
import process from 'node:process';
import { ConflictError } from '@switchyard/engine';
import { createSqliteEngine, SAAS_INPUTS } from './support/saas';

const [path, number, name, events, tickets] = process.argv.slice(2);
if (path === undefined || number === undefined || name === undefined) {
  throw new Error('usage: concurrency-child.ts <db> <ticket-number> <name> <events> <tickets>');
}

const { engine, close } = createSqliteEngine({
  path,
  effects: { deliver: () => Promise.resolve({ ok: true }) },
});

async function retrying<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error: unknown) {
      if (!(error instanceof ConflictError) || attempt >= 100) throw error;
    }
  }
}

// Engine bug workaround: the first use of a flow version must not be concurrent.
await engine.accepts(number, { type: 'COMMENT.ADDED', by: name, text: 'warm-up' });
const input = SAAS_INPUTS[2] ?? { subject: 'help' };
await Promise.all([
  ...Array.from({ length: Number(events) }, async (_, i) => {
    const text = `${name}-${i}`;
    const { ticket } = await retrying(() =>
      engine.send(number, { type: 'COMMENT.ADDED', by: name, text }),
    );
    process.stdout.write(`SENT ${text} ${ticket.version}\n`);
  }),
  ...Array.from({ length: Number(tickets) }, async () => {
    const { ticket } = await engine.createTicket(input, { flowVersionId: 'v1' });
    process.stdout.write(`CREATED ${ticket.number}\n`);
  }),
]);
await close();
