// The container image ships dist/ without sources or TypeScript, installed by `npm ci --omit=dev`: the start-up
// check accepts such a build by its stamp, and the `prepare` build step has nothing to do there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../fakes/running-bot.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-shipped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** bin/ and package.json only, no node_modules (so no TypeScript), optionally a dist/ with a stamp and sources. */
function folder(o: { dist: boolean; sources: boolean }): string {
  const root = mkdtempSync(join(dir, 'app-'));
  mkdirSync(join(root, 'bin'));
  for (const f of ['build-check.js', 'build.js', 'start.js', 'pboc-incident.js']) copyFileSync(join(ROOT, 'bin', f), join(root, 'bin', f));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  if (o.sources) {
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/bot.ts'), 'export const x = 1;\n');
  }
  if (o.dist) {
    mkdirSync(join(root, 'dist/adapters/cli'), { recursive: true });
    writeFileSync(join(root, 'dist/adapters/main.js'), "process.stdout.write('shipped build ran\\n');\n");
    writeFileSync(join(root, 'dist/adapters/cli/main.js'), "process.stdout.write('shipped cli ran\\n');\n");
    writeFileSync(join(root, 'dist/build-stamp.json'), JSON.stringify({ sourcesHash: 'a'.repeat(64), files: { 'src/bot.ts': [1, 1] } }));
  }
  return root;
}

const node = (root: string, args: string[]) => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env });
};

describe('a build shipped without sources', () => {
  it('starts from its stamp, without TypeScript and without rebuilding', () => {
    const root = folder({ dist: true, sources: false });
    const r = node(root, ['bin/start.js']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('shipped build ran\n');
    expect(r.stderr).toBe('');
    expect(node(root, ['bin/pboc-incident.js']).stdout).toBe('shipped cli ran\n');
  });

  it('is refused without its stamp, and once sources appear beside it that it was not built from', () => {
    const bare = folder({ dist: true, sources: false });
    rmSync(join(bare, 'dist/build-stamp.json'));
    expect(node(bare, ['bin/start.js']).status).toBe(1);
    const mixed = folder({ dist: true, sources: true });
    const r = node(mixed, ['bin/start.js']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/older than the sources/);
  });

  it('the build step (npm\'s prepare) without TypeScript: nothing to do without sources, an error with stale sources', () => {
    const deps = folder({ dist: false, sources: false }); // the image's dependency stage: package files and bin/ only
    const a = node(deps, ['bin/build.js']);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/nothing to compile/);
    const checkout = folder({ dist: false, sources: true });
    const b = node(checkout, ['bin/build.js']);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/TypeScript is not installed.*npm install/);
  });
});
