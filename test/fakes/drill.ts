// The console drill of the compiled build (`npm start -- --drill`), as an operator runs it, and its posts read back.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, type NodeRun } from './run-node.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the caller's environment may set that would take the drill elsewhere: platforms, Redis, drill settings. */
const CLEARED = [
  'REDIS_URL', 'SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'WECOM_BOT_ID', 'DINGTALK_CLIENT_ID', 'NODE_OPTIONS', 'INSTITUTION_CONFIG',
  'DIGEST_CONVERSATION', 'TICK_SECONDS', 'DRILL_START', 'DRILL_SQLITE_PATH',
];

/**
 * Runs the drill with its SQLite store in `dir`, typing `lines` into the console; `at` starts the drill clock there
 * (`--drill --at`), `db` names the store file (default bot.db), `env` adds settings (such as INSTITUTION_CONFIG).
 */
export function runDrill(dir: string, lines: string[], opts: { at?: string; db?: string; env?: NodeJS.ProcessEnv } = {}): Promise<NodeRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of CLEARED) delete env[k];
  Object.assign(env, { SQLITE_PATH: join(dir, opts.db ?? 'bot.db'), STORE_CREATE: '1' }, opts.env);
  const args = ['bin/start.js', '--drill', ...(opts.at ? ['--at', opts.at] : [])];
  return runNode(args, { cwd: ROOT, env, input: `${lines.join('\n')}\n` });
}

/** Each `[drill …]` line is one post: its time and text up to the next blank line. */
export function drillPosts(stdout: string): Array<{ at: string; text: string }> {
  const out: Array<{ at: string; text: string }> = [];
  let cur: { at: string; text: string } | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('[drill ')) out.push((cur = { at: line.slice(7, 23), text: line.slice(25) }));
    else if (line.trim() === '') cur = null;
    else if (cur) cur.text += `\n${line}`;
  }
  return out;
}
