// Worker thread of the SQLite store: owns the write connection, so fsyncs and statement work run
// beside the engine instead of blocking it. Receives `{ id, writes }`, answers `{ id, outcomes }`
// after COMMIT, or `{ id, failure }` when nothing of the batch was committed.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createWriter } from './sqlite-writer.mjs';

const { path, pragmas, timeout } = workerData;
const db = new Database(path, { timeout });
db.exec(pragmas);
const writer = createWriter(db);

parentPort.on('message', (message) => {
  if (message.close === true) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({
      id: message.id,
      outcomes: writer.runBatch(message.writes),
    });
  } catch (error) {
    parentPort.postMessage({
      id: message.id,
      failure: {
        name: error instanceof Error ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
        code: error instanceof Error ? error.code : undefined,
      },
    });
  }
});
