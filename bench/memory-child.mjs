// Child of bench/startup.ts: the compiled bot (dist/, as `npm start` runs it, same flags) creating 10,000 incidents
// on the SQLite path in argv[2], each `new` plus 2-3 `set`, over 100 conversations. Prints resident memory as JSON.
import { setTimeout as sleep } from 'node:timers/promises';

const INCIDENTS = Number(process.argv[3] ?? 10_000);
const MB = (b) => Math.round((b / 2 ** 20) * 10) / 10;
const { createBot } = await import('../dist/src/bot.js');
const { botConfigOf, loadInstitutionConfig } = await import('../dist/src/config/institution.js');
const { createSqliteStore } = await import('../dist/src/store/sqlite.js');
const atLoad = process.memoryUsage.rss();
const store = createSqliteStore(process.argv[2]);
let nowMs = Date.parse('2026-11-30T01:00:00Z');
const bot = createBot({ store, config: botConfigOf(loadInstitutionConfig({}).config, true), now: () => nowMs });
const say = async (c, text) => {
  const replies = await bot.handle({ kind: 'command', text, user: `bench:U${c}`, conversation: `bench:C${c}` });
  nowMs += 1000;
  const error = replies.find((r) => r.type === 'error');
  if (error) throw new Error(`"${text}" answered an error: ${error.text}`);
};
for (let i = 0; i < INCIDENTS; i++) {
  const c = i % 100;
  await say(c, `new 勒索 ${i + 1}`);
  await say(c, 'set ransomwareHarm 是');
  await say(c, 'set 自然人 20万');
  if (i % 2 === 0) await say(c, 'set 重要数据 否');
}
const after = process.memoryUsage.rss();
await sleep(2000); // idle, as a bot between messages: what V8 gives back
const steady = process.memoryUsage.rss();
await store.close();
process.stdout.write(JSON.stringify({ atLoadMb: MB(atLoad), afterMb: MB(after), steadyMb: MB(steady), peakMb: MB(process.resourceUsage().maxRSS * 1024) }));
