// The shutdown's order, step by step: not ready before anything closes; long connections closed before the other
// intakes; the store flushed only after the work in hand (or the drain deadline); a failed step makes the exit code 1.
import { describe, expect, it } from 'vitest';
import { createReadiness } from '../../../adapters/http/health.ts';
import { createShutdown, drainMsOf, ShutdownConfigError } from '../../../adapters/ops/shutdown.ts';

function harness(drainMs: number) {
  const readiness = createReadiness();
  readiness.set('store', () => null);
  const seen: string[] = [];
  const log: string[] = [];
  const shutdown = createShutdown({ readiness, log: (m) => log.push(m), drainMs });
  const readyNow = async () => (await readiness.report()).ready;
  return { readiness, seen, log, shutdown, readyNow };
}

describe('graceful shutdown order', () => {
  it('not ready, then long connections, then other intakes; drain; then the HTTP server (503 on /readyz until then); then flush in order; exit code 0', async () => {
    const h = harness(10_000);
    let finishWork: () => void = () => {};
    const work = new Promise<void>((r) => { finishWork = r; });
    h.shutdown.add('flush', 'store', () => { h.seen.push('store closed'); });
    h.shutdown.add('server', 'http', async () => { h.seen.push(`http closing (ready: ${await h.readyNow()})`); });
    h.shutdown.add('intake', 'console', () => { h.seen.push('console input closed'); });
    h.shutdown.add('connections', 'feishu', () => { h.seen.push('feishu socket closed'); return work.then(() => h.seen.push('feishu drained')); });
    h.shutdown.add('flush', 'reminders', () => { h.seen.push('ticker stopped'); });
    const code = h.shutdown.run('SIGTERM');
    expect(await h.readyNow()).toBe(false);
    expect((await h.readiness.report()).notReady).toEqual({ shutdown: 'shutting down' });
    await new Promise((r) => setImmediate(r));
    expect(h.seen).toEqual(['feishu socket closed', 'console input closed']); // the server and the store wait for the work in hand
    finishWork();
    expect(await code).toBe(0);
    expect(h.seen).toEqual(['feishu socket closed', 'console input closed', 'feishu drained', 'http closing (ready: false)', 'store closed', 'ticker stopped']);
    expect(h.log[0]).toBe('SIGTERM: shutting down: not ready; closing feishu, console; draining within 10000 ms');
    expect(h.shutdown.run('SIGINT')).toBe(h.shutdown.run('SIGTERM')); // once
  });

  it('past the drain deadline it flushes anyway and says the inbox keeps the rest', async () => {
    const h = harness(0);
    h.shutdown.add('connections', 'dingtalk', () => new Promise(() => {})); // never drains
    h.shutdown.add('flush', 'store', () => { h.seen.push('store closed'); });
    expect(await h.shutdown.run('SIGTERM')).toBe(0);
    expect(h.seen).toEqual(['store closed']);
    expect(h.log.join('\n')).toContain('work still running after 0 ms (SHUTDOWN_DRAIN_MS); what it acknowledged stays in the inbox and the next start resumes it');
  });

  it('a step that fails is logged and makes the exit code 1; the later steps still run', async () => {
    const h = harness(1000);
    h.shutdown.add('flush', 'reminders', () => { throw new Error('ticker stuck'); });
    h.shutdown.add('flush', 'store', () => { h.seen.push('store closed'); });
    expect(await h.shutdown.run('SIGTERM')).toBe(1);
    expect(h.seen).toEqual(['store closed']);
    expect(h.log).toContain('shutdown: reminders: ticker stuck');
  });

  it('SHUTDOWN_DRAIN_MS: 10 s by default; anything but milliseconds is refused in both languages', () => {
    expect(drainMsOf({})).toBe(10_000);
    expect(drainMsOf({ SHUTDOWN_DRAIN_MS: '2500' })).toBe(2500);
    expect(() => drainMsOf({ SHUTDOWN_DRAIN_MS: '10s' })).toThrow(ShutdownConfigError);
    expect(() => drainMsOf({ SHUTDOWN_DRAIN_MS: '-1' })).toThrow('SHUTDOWN_DRAIN_MS=-1 须为毫秒数（0 至 9999999） / must be a number of milliseconds (0-9999999)');
  });
});
