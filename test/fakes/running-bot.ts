// The compiled bot (`node bin/start.js`) as a running process for tests that talk to its HTTP server: started with
// HTTP_PORT=0 (an ephemeral port, read from its start-up log), stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningBot {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  /** Types a line into the console and resolves once its stdout matches `until`. */
  type(line: string, until: RegExp): Promise<void>;
  get(path: string): Promise<{ status: number; body: unknown }>;
  /** Polls `path` until it answers `status` (each poll waits for the previous answer): a start-up in progress. */
  until(path: string, status: number, attempts?: number): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startBot(env: Record<string, string>, args: string[] = []): Promise<RunningBot> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HTTP_PORT: '0', ...env };
  // What the test's own environment may carry is left out; what the test passes stays (a platform it starts).
  for (const k of ['SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'WECOM_BOT_ID', 'DINGTALK_CLIENT_ID', 'NODE_OPTIONS', 'WEB_SECRET', 'WEB_PORT']) if (!(k in env)) delete childEnv[k];
  if (!env.REDIS_URL) delete childEnv.REDIS_URL;
  const child = spawn(process.execPath, ['bin/start.js', ...args], { cwd: ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    for (const w of waiters.splice(0)) w();
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      const m = /http: listening on [^:\s]+:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before listening:\n${err}`)));
  });
  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: r.status, body: await r.json() as unknown };
  };
  return {
    child, port, get,
    stderr: () => err,
    type: (line, until) => new Promise<void>((resolve, reject) => {
      const from = out.length;
      const check = () => {
        if (until.test(out.slice(from))) resolve();
        else if (child.exitCode !== null) reject(new Error(`the bot exited:\n${err}`));
        else waiters.push(check);
      };
      child.stdin!.write(`${line}\n`);
      check();
    }),
    async until(path, status, attempts = 600) {
      let last = await get(path);
      for (let i = 0; i < attempts && last.status !== status; i++) {
        await new Promise((r) => setTimeout(r, 50));
        last = await get(path);
      }
      return last;
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      child.stdin!.end();
    }),
  };
}
