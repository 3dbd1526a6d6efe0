// Production runs the compiled JavaScript in dist/ (built by `npm install`, see bin/build.js), and a run loads
// only what it needs. These spawn the real entry points (`npm start`'s bin/start.js and the pboc-incident bin)
// with a module hook that records every module resolved, and check what was and was not loaded.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRACE = fileURLToPath(new URL('../fakes/loaded-modules.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pboc-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string; loaded: string[] }

/** Spawns node with the module trace, `input` on stdin (then closed); returns the modules it resolved. */
function run(args: string[], input: string, env: Record<string, string> = {}, cwd = ROOT): Promise<Run> {
  const log = join(dir, `loaded-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOADED_MODULES_LOG: log, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', ...env };
  delete childEnv.REDIS_URL;
  delete childEnv.SLACK_BOT_TOKEN;
  delete childEnv.FEISHU_APP_ID;
  delete childEnv.NODE_OPTIONS; // vitest's own loader must not leak into the child
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, ...args], { cwd, env: childEnv, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) }));
    child.stdin.end(input);
  });
}

const pkg = (loaded: string[], name: string) => loaded.some((u) => u.includes(`/node_modules/${name}/`));
const PLATFORM_AND_FILES = ['@slack/bolt', '@larksuiteoapi/node-sdk', '@wecom/aibot-node-sdk', 'docx', 'exceljs'];

describe('the compiled build in production', () => {
  it('npm start runs dist/ with no TypeScript loader, and the console loads no Slack, Feishu, WeCom, DOCX, XLSX, Redis, HTTP server or YAML code', async () => {
    const r = await run(['bin/start.js'], '/incident new 网银登录失败\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/已新建事件 INC-\d{8}-01：网银登录失败/); // through the bot into the SQLite file
    expect(r.stderr).toMatch(/store: sqlite/);
    expect(r.loaded.some((u) => u.endsWith('/dist/bundle/main.js'))).toBe(true); // the build's bundle of adapters/main (bin/build.js)
    expect(r.loaded.filter((u) => u.endsWith('.ts'))).toEqual([]);
    expect(pkg(r.loaded, 'tsx')).toBe(false);
    for (const name of [...PLATFORM_AND_FILES, 'redis', '@redis/client']) expect(pkg(r.loaded, name), name).toBe(false);
    // Without HTTP_PORT no HTTP server (nor fetch's Response, which @hono/node-server touches); the bundled example
    // is read as the JSON the build validated, so the YAML parser stays unloaded.
    for (const name of ['hono', '@hono/node-server', 'yaml']) expect(pkg(r.loaded, name), name).toBe(false);
    expect(pkg(r.loaded, 'better-sqlite3')).toBe(true); // the trace does see packages
  });

  it('pboc-incident grade runs dist/ and loads neither the store nor any platform or file library', async () => {
    const facts = { networks: [{ name: '支付系统', keyNetwork: true, financialService: true, outage: { provinces: 2, failureRatePercent: 85, peakMinutes: 20, totalMinutes: 40 } }] };
    const r = await run(['bin/pboc-incident.js', 'grade'], JSON.stringify(facts));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ grade: '较大', level: 3, basis: expect.arrayContaining([expect.objectContaining({ article: 9, item: 1 })]) });
    expect(r.loaded.some((u) => u.endsWith('/dist/bundle/cli.js'))).toBe(true); // the build's bundle of adapters/cli/main
    expect(r.loaded.filter((u) => u.endsWith('.ts'))).toEqual([]);
    expect(r.loaded.filter((u) => u.includes('/dist/src/store/'))).toEqual([]);
    for (const name of [...PLATFORM_AND_FILES, 'better-sqlite3', 'redis', 'tsx']) expect(pkg(r.loaded, name), name).toBe(false);
  });

  it('the CSV ledger export opens the store but still loads no spreadsheet library', async () => {
    const r = await run(['bin/pboc-incident.js', 'ledger', 'export', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv'], '');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('\uFEFF')).toBe(true);
    expect(pkg(r.loaded, 'better-sqlite3')).toBe(true);
    expect(pkg(r.loaded, 'exceljs')).toBe(false);
  });
});

describe('corrections to the record through the compiled build', () => {
  it('npm start amends and voids a report; the CLI export keeps the original, the amended and the voided rows', async () => {
    const db = join(dir, 'amend.db');
    const env = { SQLITE_PATH: db, BOT_CLOCK_START: '2026-12-01T15:22' };
    const lines = [
      '/incident new 网上银行登录失败', '/incident set occurredAt 15:00', '/incident set network 网上银行', '/incident set disrupted 是', '/incident set 自然人 12万',
      '/incident report brief via phone contact 张三', '/incident amend R1 at 15:10 reason 实际15:10电话报送',
      '/incident report brief via phone contact 李四', '/incident void R2 reason 重复记录',
    ];
    const r = await run(['bin/start.js'], `${lines.join('\n')}\n`, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已修改 R1（事发简要报告）：报告时间 2026-12-01 15:22 → 2026-12-01 15:10');
    expect(r.stdout).toContain('已作废 R2（事发简要报告，原因：重复记录）');
    const csv = await run(['bin/pboc-incident.js', 'ledger', 'export', '--from', '2026-12-01', '--to', '2026-12-01', '--format', 'csv'], '', env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toMatch(/,R1,.*2026-12-01T15:22:00\+08:00,[\s\S]*,原记录（已修改，见下一行）,/);
    expect(csv.stdout).toMatch(/,R1,.*2026-12-01T15:10:00\+08:00,[\s\S]*,修改后（第1次修改）,[^\n]*原因：实际15:10电话报送/);
    expect(csv.stdout).toMatch(/,R2,[\s\S]*,作废,[^\n]*作废；原因：重复记录/);
  });

  it('pboc-incident holidays import --partial marks the year provisional; without it, the notice is refused', async () => {
    const notice = '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n';
    const refused = await run(['bin/pboc-incident.js', 'holidays', 'import'], notice);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('missing: 春节、清明节、劳动节、端午节、中秋节、国庆节');
    const partial = await run(['bin/pboc-incident.js', 'holidays', 'import', '--partial'], notice);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toContain('provisional: true');
  });
});

describe('a missing or stale build is never run silently', () => {
  /** A copy of the launcher in a directory of its own, with no node_modules: TypeScript cannot be found to rebuild. */
  function project(): string {
    const root = mkdtempSync(join(dir, 'project-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'src'));
    for (const f of ['build-check.js', 'start.js', 'pboc-incident.js']) copyFileSync(join(ROOT, 'bin', f), join(root, 'bin', f));
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(root, 'src/bot.ts'), 'export const x = 1;\n');
    mkdirSync(join(root, 'dist/adapters/cli'), { recursive: true });
    writeFileSync(join(root, 'dist/adapters/main.js'), "process.stdout.write('old build ran\\n');\n");
    writeFileSync(join(root, 'dist/adapters/cli/main.js'), "process.stdout.write('old build ran\\n');\n");
    return root;
  }
  /** Writes the stamp bin/build.js would write for the sources as they are now. */
  async function stamp(root: string): Promise<void> {
    const check = (await import(join(root, 'bin/build-check.js'))) as { sourcesHash(r: string): string; sourcesRecord(r: string): object };
    writeFileSync(join(root, 'dist/build-stamp.json'), JSON.stringify({ sourcesHash: check.sourcesHash(root), ...check.sourcesRecord(root) }));
  }

  it('refuses to start without a build record and says what to run', async () => {
    const root = project();
    for (const entry of ['bin/start.js', 'bin/pboc-incident.js']) {
      const r = await run([entry], '', {}, root);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/dist\/\) is missing.*TypeScript is not installed.*npm install/);
      expect(r.stdout).toBe('');
    }
  });

  it('runs a build made from the current sources, and refuses once a source changes after it', async () => {
    const root = project();
    await stamp(root);
    expect((await run(['bin/start.js'], '', {}, root)).stdout).toBe('old build ran\n');
    // Same contents, new time (a checkout): still fresh. Changed contents: stale.
    utimesSync(join(root, 'src/bot.ts'), new Date(0), new Date(0));
    expect((await run(['bin/pboc-incident.js'], '', {}, root)).stdout).toBe('old build ran\n');
    writeFileSync(join(root, 'src/bot.ts'), 'export const x = 2;\n');
    const r = await run(['bin/pboc-incident.js', 'grade'], '{}', {}, root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/older than the sources/);
    expect(r.stdout).toBe('');
  });

  it('a new source file makes the build stale too, in a folder of its own or beside the others', async () => {
    const root = project();
    mkdirSync(join(root, 'src/deep'));
    await stamp(root);
    writeFileSync(join(root, 'src/deep/new-module.ts'), 'export {};\n');
    const r = await run(['bin/start.js'], '', {}, root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/older than the sources/);
  });

  it('a removed source file makes the build stale', async () => {
    const root = project();
    writeFileSync(join(root, 'src/gone.ts'), 'export {};\n');
    await stamp(root);
    expect((await run(['bin/start.js'], '', {}, root)).stdout).toBe('old build ran\n');
    rmSync(join(root, 'src/gone.ts'));
    const r = await run(['bin/start.js'], '', {}, root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/older than the sources/);
  });
});
