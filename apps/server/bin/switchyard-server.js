#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npm start` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main();
if (code !== undefined) process.exitCode = code;
