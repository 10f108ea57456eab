#!/usr/bin/env node
// the kd command: runs src/ from a bundle the launcher keeps current (bundle.mjs), so there is no
// build step to forget and no per-start TypeScript compilation
import { loadMain } from './bundle.mjs';

const main = await loadMain();
await main(process.argv.slice(2));
