// Composition root: environment -> config -> store -> bot -> adapter.
import { createBot } from '../src/bot.ts';
import { ConfigError, loadInstitutionConfig } from '../src/config/institution.ts';
import type { BotConfig } from '../src/conversation/types.ts';
import { createCalendar } from '../src/rules/working-days.ts';
import { openStore } from '../src/store/index.ts';
import { runConsole } from './console/app.ts';

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

let store;
try {
  store = await openStore(env);
} catch (e) {
  fatal(`cannot open the store (${env.REDIS_URL ? 'REDIS_URL' : 'SQLITE_PATH'}): ${(e as Error).message}`);
}
const log = (msg: string) => process.stderr.write(`[pboc-incident-bot] ${msg}\n`);
log(`store: ${store.kind}${store.kind === 'sqlite' ? ` (${env.SQLITE_PATH || './data/pboc-incident.db'})` : ''}; institution config: ${bundledExample ? 'bundled example' : source}`);

const bot = createBot({ store, config, now: () => Date.now(), log });
const interactive = process.stdin.isTTY === true;
if (interactive) process.stdout.write(`${institution.language === 'en' ? 'Type /incident help' : '输入 /incident help 查看命令'}\n`);
await runConsole({
  bot,
  input: process.stdin,
  output: (s) => process.stdout.write(s),
  user: `console:${env.USER ?? 'local'}`,
  interactive,
});
await store.close();
