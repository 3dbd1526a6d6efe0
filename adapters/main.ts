// Composition root: environment -> config -> store -> bot -> adapter.
import { createBot } from '../src/bot.ts';
import { ConfigError, loadInstitutionConfig } from '../src/config/institution.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import { createCalendar } from '../src/rules/working-days.ts';
import { openStore } from '../src/store/index.ts';
import { runConsole } from './console/app.ts';
import { DrillClock, runDrillCommand } from './console/drill.ts';
import { consoleSender } from './console/sender.ts';
import { createTicker } from '../src/reminders/ticker.ts';
import { formatShanghaiMinute } from '../src/rules/time.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';

function fatal(msg: string): never {
  process.stderr.write(`pboc-incident-bot: ${msg}\n`);
  process.exit(1);
}

const env = process.env;
let loaded;
try {
  loaded = loadInstitutionConfig(env);
} catch (e) {
  if (e instanceof ConfigError) fatal(e.message);
  throw e;
}
const { config: institution, bundledExample, source } = loaded;
const config: BotConfig = {
  institution,
  bundledExample,
  assess: { networks: institution.networks, rules: institution.gradingRules, calendar: createCalendar(institution.holidays ?? {}) },
};

if (env.SLACK_BOT_TOKEN || env.FEISHU_APP_ID) {
  fatal('SLACK_BOT_TOKEN or FEISHU_APP_ID is set, but the Slack and Feishu adapters are not built yet (see README, "Not built yet"). Unset them to use the console.');
}

const drill = process.argv.includes('--drill');
let store;
try {
  // A drill never touches the real ledger: its incidents live in a separate (by default in-memory) SQLite file.
  store = drill ? createSqliteStore(env.DRILL_SQLITE_PATH || ':memory:') : await openStore(env);
} catch (e) {
  fatal(`cannot open the store (${env.REDIS_URL ? 'REDIS_URL' : 'SQLITE_PATH'}): ${(e as Error).message}`);
}
const log = (msg: string) => process.stderr.write(`[pboc-incident-bot] ${msg}\n`);
log(`store: ${store.kind}${store.kind === 'sqlite' ? ` (${env.SQLITE_PATH || './data/pboc-incident.db'})` : ''}; institution config: ${bundledExample ? 'bundled example' : source}`);

const tickMs = Math.max(1, Number(env.TICK_SECONDS || 15)) * 1000;
const clock = new DrillClock(Date.now());
const now = drill ? clock.now : () => Date.now();
const write = (s: string) => void process.stdout.write(s);
const bot = createBot({ store, config, now, log, drill });
const ticker = createTicker({ store, config, sender: consoleSender(write, now, drill), now, log });
await ticker.reindex();
const interactive = process.stdin.isTTY === true;
const lang = institution.language;
if (drill) write(`${lang === 'en' ? 'DRILL: simulated clock at' : '演练模式：模拟时钟'} ${formatShanghaiMinute(clock.ms)} (/drill advance 45m, /drill at 2026-11-29T13:00)\n`);
if (interactive) write(`${lang === 'en' ? 'Type /incident help' : '输入 /incident help 查看命令'}\n`);
if (!drill) {
  await ticker.tick(); // reminders that fell due while the bot was down go out now
  ticker.start(tickMs);
}
// SIGTERM/SIGINT: stop taking input, finish the line in hand, stop the ticker, close the store.
const shutdown = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { log(`${sig}: shutting down`); shutdown.abort(); });
await runConsole({
  signal: shutdown.signal,
  bot,
  input: process.stdin,
  output: write,
  user: `console:${env.USER ?? 'local'}`,
  interactive,
  intercept: async (line) => {
    if (!drill) return false;
    const r = await runDrillCommand(line, clock, ticker, tickMs, lang);
    if (r) write(`${r.ok ? '' : '✗ '}${r.text}\n\n`);
    return r !== null;
  },
});
await ticker.stop();
await store.close();
