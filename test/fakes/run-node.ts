// Runs a Node script of this repository to its end, as a user's shell would: its exit code and everything it printed.
import { spawn } from 'node:child_process';

export interface NodeRun { code: number | null; stdout: string; stderr: string }

/** Spawns `node ...args` in `cwd` with `env`; `input` (when given) goes to stdin, which is then closed. */
export function runNode(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
