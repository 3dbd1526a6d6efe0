#!/usr/bin/env node
// `npm start`: the bot from the compiled build (no TypeScript at run time), rebuilt first if the sources changed.
import { ensureBuilt, entryUrl } from './build-check.js';

ensureBuilt();
await import(entryUrl('main')); // the bundle when the build made one (bin/build.js)
