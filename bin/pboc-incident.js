#!/usr/bin/env node
// The `pboc-incident` command from the compiled build (no TypeScript at run time), rebuilt first if the sources changed.
import { ensureBuilt, entryUrl } from './build-check.js';

ensureBuilt();
await import(entryUrl('cli')); // the bundle when the build made one (bin/build.js)
