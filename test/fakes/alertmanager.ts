// A real Alertmanager (Debian package prometheus-alertmanager) on a loopback port, with a config the test writes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';

const CANDIDATES = [process.env.ALERTMANAGER_BIN, 'prometheus-alertmanager', 'alertmanager'].filter((x): x is string => Boolean(x));

/** The Alertmanager binary on PATH, or null. */
export function alertmanagerBin(): string | null {
  for (const bin of CANDIDATES) if (spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0) return bin;
  return null;
}

function banner(): string {
  const line = '!'.repeat(78);
  return `\n${line}\n!!! ALERTMANAGER SUITE SKIPPED: no alertmanager binary (apt-get install -y prometheus-alertmanager)\n!!! or set ALERTMANAGER_BIN. With CI=true this fails instead.\n${line}\n`;
}

/** A describe() that needs the real Alertmanager: skipped loudly without it, failing instead when CI=true. */
export function describeAlertmanager(name: string, body: (bin: string) => void): void {
  const bin = alertmanagerBin();
  if (bin) {
    describe(name, () => body(bin));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => it('needs the alertmanager binary when CI=true', () => { throw new Error('CI=true but no alertmanager binary: .ci/run installs prometheus-alertmanager'); }));
    return;
  }
  console.warn(banner());
  describe.skip(`${name} (ALERTMANAGER SUITE SKIPPED: binary missing)`, () => body(''));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningAlertmanager {
  url: string;
  /** POST /api/v2/alerts, as Prometheus does. */
  postAlerts(alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string>; startsAt: string; endsAt?: string }>): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts Alertmanager with `configYaml`; resolves once /-/ready answers. */
export async function startAlertmanager(bin: string, configYaml: string): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(bin, [
    `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=debug',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited: ${out}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 200) {
      await stop();
      throw new Error(`alertmanager not ready after ~10 s: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    output: () => out,
    stop,
    async postAlerts(alerts) {
      const r = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!r.ok) throw new Error(`alertmanager POST /api/v2/alerts: ${r.status} ${await r.text()}`);
    },
  };
}

/** Polls `check` until it holds (waiting on another process's delivery, not a timing assertion). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  // Counted in polls, not read from the clock: the suite also runs under faketime.
  for (let i = 0; !(await check()); i++) {
    if (i * 50 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
