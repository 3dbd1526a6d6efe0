#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` builds): compiles src/ and adapters/ with tsc, copies the
// bundled example institution file and the web page's assets beside them, records the hash of the inputs, then swaps the result in as dist/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ASSET_DIRS, ROOT, STAMP, sourcesHash, sourcesStat } from './build-check.js';

// Taken before compiling: an edit made during the build leaves the build stale.
const hash = sourcesHash(ROOT);
const files = sourcesStat(ROOT);
const out = join(ROOT, `dist.building-${process.pid}`);
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write('build: tsc failed; dist/ was left as it was\n');
  process.exit(1);
}
// src/config/institution.ts finds the bundled example at ../../config/ from itself: dist/config/ in the build.
mkdirSync(join(out, 'config'), { recursive: true });
copyFileSync(join(ROOT, 'config/institution.example.yaml'), join(out, 'config/institution.example.yaml'));
// Files the compiled code reads at run time, beside it: every one of them, so that what ships is what is tested.
for (const dir of ASSET_DIRS) cpSync(join(ROOT, dir), join(out, dir), { recursive: true });
writeFileSync(join(out, STAMP.replace(/^dist\//, '')), `${JSON.stringify({ sourcesHash: hash, files })}\n`);
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
renameSync(out, join(ROOT, 'dist'));
