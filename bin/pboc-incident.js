#!/usr/bin/env node
// The `pboc-incident` command from the compiled build (no TypeScript at run time), rebuilt first if the sources changed.
import { ensureBuilt } from './build-check.js';

ensureBuilt();
await import('../dist/adapters/cli/main.js');
