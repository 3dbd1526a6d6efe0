// Guards the compiled output in dist/: `npm start` and the `pboc-incident` bin run it only when it was built
// from the sources as they are now. The build records a hash of its inputs; a missing or stale build is
// rebuilt (when TypeScript is installed) or refused with a message that says what to run. Plain JS: it runs
// before there is anything compiled.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
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

/** The input files and the folders that hold them, relative to root with `/`, sorted: one recursive listing per input folder. */
function listInputs(root) {
  const files = [];
  const dirs = [];
  const skip = resolve(root).length + 1;
  for (const d of INPUT_DIRS) {
    const dir = join(root, d);
    if (!existsSync(dir)) continue;
    dirs.push(d);
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const path = `${(e.parentPath ?? e.path).slice(skip)}/${e.name}`.replaceAll('\\', '/');
      if (e.isFile()) files.push(path);
      else if (e.isDirectory()) dirs.push(path);
    }
  }
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) files.push(f);
  return { files: files.sort(), dirs: dirs.sort() };
}

/** The build's input files, relative to root with `/`, in a stable order. */
function inputFiles(root) {
  return listInputs(root).files;
}

/**
 * What the build records of its inputs, compared on each start: every file's size and modification time, and every
 * folder's modification time (a file added or removed changes its folder's).
 */
export function sourcesRecord(root = ROOT) {
  const { files, dirs } = listInputs(root);
  const base = resolve(root);
  return {
    files: Object.fromEntries(files.map((f) => {
      const st = statSync(`${base}/${f}`);
      return [f, [st.size, st.mtimeMs]];
    })),
    dirs: Object.fromEntries(dirs.map((d) => [d, statSync(`${base}/${d}`).mtimeMs])),
  };
}

/**
 * True when every recorded input file has its recorded size and time, every recorded folder its time (so no file
 * was added or removed), and no input file absent at the build exists now. Stats only, no listing: this runs on
 * every start, and listing the folders took most of the check's time.
 */
function unchangedSince(root, files, dirs) {
  const base = resolve(root);
  for (const d in dirs) {
    if (statSync(`${base}/${d}`, { throwIfNoEntry: false })?.mtimeMs !== dirs[d]) return false;
  }
  for (const f in files) {
    const st = statSync(`${base}/${f}`, { throwIfNoEntry: false });
    if (st?.size !== files[f][0] || st.mtimeMs !== files[f][1]) return false;
  }
  return INPUT_FILES.every((f) => f in files || !existsSync(join(root, f)))
    && INPUT_DIRS.every((d) => d in dirs || !existsSync(join(root, d)));
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
  // Same files with the same sizes and times in the same folders: unchanged, without reading or listing them.
  // Otherwise the contents decide (a checkout that only touched the times is still fresh).
  if (stamp.files && stamp.dirs && unchangedSince(root, stamp.files, stamp.dirs)) return 'fresh';
  const now = sourcesRecord(root).files;
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
