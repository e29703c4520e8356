// The training worker's entry: plain JavaScript, so the thread can register the TypeScript loader
// (tsx) before it imports the worker and @switchyard/classifier, whatever started the server
// (bin/switchyard-server.js, vitest, tsx).
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
