#!/usr/bin/env node
// Loads the TypeScript CLI through tsx, so the bin works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../adapters/cli/main.ts');
