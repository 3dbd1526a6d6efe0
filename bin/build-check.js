// Guards the compiled output in dist/: `npm start` and the `pboc-incident` bin run it only when it was built
// from the sources as they are now. The build records a hash of its inputs; a missing or stale build is
// rebuilt (when TypeScript is installed) or refused with a message that says what to run. Plain JS: it runs
// before there is anything compiled.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
// child_process and crypto load only when a build is missing or its sources changed: not on an ordinary start.
const builtin = createRequire(import.meta.url);
export const STAMP = 'dist/build-stamp.json';
/** The bundled entry points (bin/build.js, with esbuild): name -> the compiled module it starts from. */
export const BUNDLE_DIR = 'dist/bundle';
export const BUNDLE_ENTRIES = { main: 'dist/adapters/main.js', cli: 'dist/adapters/cli/main.js' };

/** The module a bin runs: the bundle of that entry when the build made one, else the compiled module. */
export function entryUrl(name, root = ROOT) {
  const bundled = join(root, BUNDLE_DIR, `${name}.js`);
  return pathToFileURL(existsSync(bundled) ? bundled : join(root, BUNDLE_ENTRIES[name])).href;
}
/** What the build reads: the TypeScript it compiles, its settings, and the asset it copies. */
const INPUT_DIRS = ['src', 'adapters'];
/** Non-TypeScript files the compiled code reads at run time (the web page's stylesheet and script): copied as they are. */
export const ASSET_DIRS = ['adapters/web/static'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'config/institution.example.yaml'];

function walk(dir, out) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** The build's input files, relative to root, in a stable order. */
function inputFiles(root) {
  const files = [];
  for (const d of INPUT_DIRS) walk(join(root, d), files);
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) files.push(join(root, f));
  return files.map((p) => relative(root, p).split('\\').join('/')).sort();
}

/** Size and modification time of every input: the cheap check done on each start. */
export function sourcesStat(root = ROOT) {
  return Object.fromEntries(inputFiles(root).map((f) => {
    const st = statSync(join(root, f));
    return [f, [st.size, st.mtimeMs]];
  }));
}

/** sha256 over the build's input files (paths and contents). */
export function sourcesHash(root = ROOT) {
  const h = builtin('node:crypto').createHash('sha256');
  for (const f of inputFiles(root)) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * True when the folder holds no sources at all (no src/, no adapters/): a build shipped on its own, as the container
 * image's runtime stage has it. Its stamp is then the record of what it was built from: there is nothing to compare.
 */
export function isShippedBuild(root = ROOT) {
  return INPUT_DIRS.every((d) => !existsSync(join(root, d)));
}

/** 'fresh' when dist/ was built from the current sources, or shipped without them; else why not ('missing' or 'stale'). */
export function buildState(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return 'missing';
  }
  if (typeof stamp.sourcesHash === 'string' && isShippedBuild(root)) return 'fresh';
  // Same files with the same sizes and times: unchanged, without reading them. Otherwise the contents decide
  // (a checkout that only touched the times is still fresh).
  const now = sourcesStat(root);
  const was = stamp.files ?? {};
  const same = Object.keys(now).length === Object.keys(was).length
    && Object.entries(now).every(([f, [size, mtimeMs]]) => was[f]?.[0] === size && was[f]?.[1] === mtimeMs);
  return same || stamp.sourcesHash === sourcesHash(root) ? 'fresh' : 'stale';
}

function tscPath(root) {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

/** Returns when dist/ matches the sources, rebuilding it first if needed; exits 1 with a message when it cannot. */
export function ensureBuilt(root = ROOT) {
  const state = buildState(root);
  if (state === 'fresh') return;
  const what = state === 'missing' ? 'the compiled build (dist/) is missing' : 'the compiled build (dist/) is older than the sources';
  if (tscPath(root) === null) {
    process.stderr.write(`pboc-incident-bot: ${what}, and TypeScript is not installed to rebuild it. Run \`npm install\` (it builds), or \`npm run build\` where TypeScript is installed.\n`);
    process.exit(1);
  }
  process.stderr.write(`pboc-incident-bot: ${what}; rebuilding (npm run build)...\n`);
  // The build's own output goes to stderr: the CLI's stdout carries JSON only.
  const r = builtin('node:child_process').spawnSync(process.execPath, [join(root, 'bin/build.js')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || buildState(root) !== 'fresh') {
    process.stderr.write('pboc-incident-bot: the build failed (see above); fix it and run `npm run build`.\n');
    process.exit(1);
  }
}
