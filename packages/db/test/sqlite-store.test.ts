import { join } from 'node:path';
import {
  CONFORMANCE_AGENTS,
  CONFORMANCE_FLOW_VERSION,
  describeStoreConformance,
} from '../../engine/test/store-conformance';
import { createSqliteStore, openSqlite } from '../src/index';
import { createTempDir } from './support/temp';

describeStoreConformance('SQLite store (temp file)', () => {
  const dir = createTempDir();
  const db = openSqlite(join(dir.path, 'switchyard.db'));
  const store = createSqliteStore(db);
  store.addFlowVersion(CONFORMANCE_FLOW_VERSION);
  store.saveAgents(CONFORMANCE_AGENTS);
  return Promise.resolve({
    store,
    async close() {
      await store.drain();
      db.close();
      dir[Symbol.dispose]();
    },
  });
});
