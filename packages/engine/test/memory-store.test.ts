import { createMemoryStore } from '../src/memory-store';
import {
  CONFORMANCE_AGENTS,
  CONFORMANCE_FLOW_VERSION,
  describeStoreConformance,
} from './store-conformance';

describeStoreConformance('memory store', () =>
  Promise.resolve({
    store: createMemoryStore({ versions: [CONFORMANCE_FLOW_VERSION], agents: CONFORMANCE_AGENTS }),
    close: () => Promise.resolve(),
  }),
);
