// A private redis-server for tests that stop, fill or crash their Redis, or need persistence the shared one lacks
// (the machine's Redis keeps nothing on disk). Never touches the shared server at 127.0.0.1:6379.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  child: ChildProcess;
  /** SIGKILL, resolved once it has exited. */
  kill(): Promise<void>;
}

/**
 * Starts redis-server on `port` (a free one by default) with its files in `dir`; by default an append-only file
 * synced on every write, so what it acknowledged survives a restart. Extra arguments are appended as given.
 */
export async function startPrivateRedis(dir: string, opts: { port?: number; args?: string[]; aof?: boolean } = {}): Promise<PrivateRedis> {
  const port = opts.port ?? await freePort();
  // The server runs on the machine's real clock: under `npm run test:clock` libfaketime (LD_PRELOAD) and Redis's
  // jemalloc deadlock each other, and the server's clock is not what these tests are about.
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  delete env.FAKETIME;
  const persistence = opts.aof === false ? [] : ['--appendonly', 'yes', '--appendfsync', 'always'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir, ...(opts.args ?? [])];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'ignore'], env });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${out}`)));
  });
  return {
    port, url: `redis://127.0.0.1:${port}`, child,
    kill: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
