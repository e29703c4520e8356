import { join } from 'node:path';
import {
  CONFORMANCE_AGENTS,
  CONFORMANCE_FLOW_VERSION,
  describeStoreConformance,
} from '../../engine/test/store-conformance';
import { createSqliteStore, openSqlite } from '../src/index';
import type { SqliteStoreOptions } from '../src/index';
import { createTempDir } from './support/temp';

function createOnTempFile(options: SqliteStoreOptions) {
  return () => {
    const dir = createTempDir();
    const db = openSqlite(join(dir.path, 'switchyard.db'));
    const store = createSqliteStore(db, options);
    store.addFlowVersion(CONFORMANCE_FLOW_VERSION);
    store.saveAgents(CONFORMANCE_AGENTS);
    return Promise.resolve({
      store,
      async close() {
        await store.close();
        db.close();
        dir[Symbol.dispose]();
      },
    });
  };
}

describeStoreConformance(
  'SQLite store (temp file, writer thread)',
  createOnTempFile({ writer: 'thread' }),
);
describeStoreConformance(
  'SQLite store (temp file, inline writer)',
  createOnTempFile({ writer: 'inline' }),
);
