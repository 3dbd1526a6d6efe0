#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` builds): compiles src/ and adapters/ with tsc, copies the
// bundled example institution file and the web page's assets beside them, records the hash of the inputs, then swaps the result in as dist/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ASSET_DIRS, BUNDLE_DIR, BUNDLE_ENTRIES, buildState, isShippedBuild, ROOT, STAMP, sourcesHash, sourcesRecord } from './build-check.js';

// A production install (`npm ci --omit=dev`) runs this too (`prepare`) but has no TypeScript: that is fine where
// there is nothing to compile (a shipped build, or the image's dependency stage with no sources) or dist/ is
// already built from these sources; anywhere else it is an error that says what to run.
let tscPath = null;
try {
  tscPath = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
} catch { /* not installed */ }
if (tscPath === null) {
  if (isShippedBuild(ROOT)) {
    process.stderr.write('build: no sources here and no TypeScript (a production install): nothing to compile\n');
    process.exit(0);
  }
  if (buildState(ROOT) === 'fresh') {
    process.stderr.write('build: TypeScript is not installed (a production install); dist/ is already built from these sources\n');
    process.exit(0);
  }
  process.stderr.write('build: TypeScript is not installed, and dist/ is missing or older than the sources: run `npm install` (with dev dependencies) or `npm run build` where TypeScript is installed\n');
  process.exit(1);
}

// Taken before compiling: an edit made during the build leaves the build stale.
const hash = sourcesHash(ROOT);
const { files, dirs } = sourcesRecord(ROOT);
const out = join(ROOT, `dist.building-${process.pid}`);
rmSync(out, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tscPath, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write('build: tsc failed; dist/ was left as it was\n');
  process.exit(1);
}
// src/config/institution.ts finds the bundled example at ../../config/ from itself: dist/config/ in the build.
mkdirSync(join(out, 'config'), { recursive: true });
copyFileSync(join(ROOT, 'config/institution.example.yaml'), join(out, 'config/institution.example.yaml'));
// The example validated once here, as JSON beside it: a start without INSTITUTION_CONFIG reads that instead of
// parsing and validating the YAML (src/config/institution.ts checks it was made from the YAML beside it).
const { validatedExampleJson, VALIDATED_EXAMPLE_URL } = await import(pathToFileURL(join(out, 'src/config/institution.js')).href);
const validated = validatedExampleJson();
if (validated !== null) writeFileSync(VALIDATED_EXAMPLE_URL, validated);
else process.stderr.write('build: the bundled example does not come back from JSON as it is: every start validates the YAML\n');
// Files the compiled code reads at run time, beside it: every one of them, so that what ships is what is tested.
for (const dir of ASSET_DIRS) cpSync(join(ROOT, dir), join(out, dir), { recursive: true });
await bundleEntries(out);
writeFileSync(join(out, STAMP.replace(/^dist\//, '')), `${JSON.stringify({ sourcesHash: hash, files, dirs })}\n`);
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
renameSync(out, join(ROOT, 'dist'));

/**
 * Start-up: each entry point (the bot, the CLI) is also bundled with esbuild into dist/bundle/, our modules and the
 * pure-JS libraries every start reads (zod, the holiday calendar, dayjs) in one file each, so a start reads a few files
 * instead of a few hundred; what a run may not need stays a separate chunk loaded on first use (code splitting keeps
 * every dynamic import lazy), and every other package is loaded from node_modules as before. A module that finds a
 * file beside itself (import.meta.url: the bundled example institution file, the web page's assets) is given its
 * own place in dist/, so those files are found where the build copied them. Without esbuild (a dev dependency) the
 * bins run the unbundled build instead.
 */
async function bundleEntries(outDir) {
  let esbuild;
  try {
    esbuild = await import(createRequire(join(ROOT, 'package.json')).resolve('esbuild'));
  } catch {
    process.stderr.write('build: esbuild is not installed: no bundle, the bins run the unbundled build\n');
    return;
  }
  const bundleDir = join(outDir, BUNDLE_DIR.replace(/^dist\//, ''));
  const inlined = new Set(['zod', 'chinese-days', 'dayjs']); // yaml is required on first use (src/config/institution.ts)
  const relocate = {
    name: 'relocate-import-meta-url',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return args.path.startsWith('node:') || !inlined.has(name) ? { path: args.path, external: true } : undefined;
      });
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(outDir)) return undefined;
        const { readFile } = await import('node:fs/promises');
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const own = relative(bundleDir, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
      });
    },
  };
  // One build per entry: the chunks are split only where that entry imports lazily, not by what the two entries
  // share (which made a start read two dozen small files instead of a few).
  for (const [name, entry] of Object.entries(BUNDLE_ENTRIES)) await esbuild.build({
    entryPoints: { [name]: join(outDir, entry.replace(/^dist\//, '')) },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    // The CommonJS libraries inlined here require node's own modules: give the bundle a require of its own.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    plugins: [relocate],
    charset: 'utf8', // the catalogs' Chinese as it is, not as \u escapes (smaller to read and compile)
    // Less for V8 to scan on each start: no comments or indentation, shorter syntax. Names stay as they are (a
    // library may read a class's name), and the source map beside each file leads a stack trace back to the
    // compiled module (node --enable-source-maps).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
