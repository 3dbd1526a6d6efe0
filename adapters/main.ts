// Composition root: environment -> config -> store -> bot -> adapter.
import { createBot } from '../src/bot.ts';
import { botConfigOf, ConfigError, loadInstitutionConfig } from '../src/config/institution.ts';
import { missingScheduleNote } from '../src/conversation/help.ts';
import { peakLines } from '../src/conversation/peak-text.ts';
import { t } from '../src/i18n/index.ts';
import { openLedgerStore } from '../src/store/open.ts';
import { StoreOpenError } from '../src/store/checks.ts';
import { identityLine, shortId } from '../src/store/identity.ts';
import { startPruning } from '../src/store/prune.ts';
import { startHeadLog } from '../src/store/head-log.ts';
import { runConsole } from './console/app.ts';
import { botClockOf } from './clock.ts';
import { DrillClock, drillStartOf, drillTimeExample, runDrillCommand } from './console/drill.ts';
import { consoleSender } from './console/sender.ts';
import { createTicker } from '../src/reminders/ticker.ts';
import { createReadiness, mountHealth } from './http/health.ts';
import { HttpConfigError, settleHttpEnv } from './http/settings.ts';
import { formatShanghaiMinute } from '../src/calendar/time.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import { routeByConversation, type Platform } from './platform.ts';
import { configuredPlatforms, PLATFORMS } from './platforms.ts';
import { startPlatform } from './kit/start.ts';
import { PlatformConfigError } from './kit/errors.ts';
// --- settings validation ---
import { redactSecrets } from '../src/config/redact.ts';
import { readProcessSettings, SettingsError } from './settings.ts';
// --- end settings validation ---
// --- operations (adapters/ops): structured logs, metrics on their own listener, graceful shutdown ---
import { LogConfigError, startLogging } from './ops/log.ts';
import { metricsSettings, type MetricsServer } from './ops/metrics.ts';
import { createShutdown, drainMsOf } from './ops/shutdown.ts';
import { SendError, type Sender } from '../src/reminders/message.ts';
// --- end operations ---

function fatal(msg: string): never {
  process.stderr.write(`pboc-incident-bot: ${redactSecrets(msg)}\n`); // a library's message may quote a URL with its password
  process.exit(1);
}

const env = process.env;
// LOG_FORMAT=json: every stderr line JSON (level, time, component, message), redacted; pino loaded only then.
const botLog = await startLogging(env).catch((e: Error) => fatal(e instanceof LogConfigError ? e.message : `logs: ${e.message}`));
let loaded;
try {
  loaded = loadInstitutionConfig(env);
} catch (e) {
  if (e instanceof ConfigError) fatal(e.message);
  throw e;
}
const { config: institution, bundledExample, source } = loaded;
const config = botConfigOf(institution, bundledExample);

const drill = process.argv.includes('--drill');
const log = (msg: string) => botLog.log(msg);
// --- store safety: the store must exist (or this start may create it), be usable, and be the one it was ---
let store;
let storeLine: string;
try {
  if (drill) {
    // A drill never touches the real ledger: its incidents live in a separate (by default in-memory) SQLite file.
    store = createSqliteStore(env.DRILL_SQLITE_PATH || ':memory:');
    storeLine = `sqlite (${env.DRILL_SQLITE_PATH ? `drill, ${env.DRILL_SQLITE_PATH}` : 'drill, in memory'})`;
  } else {
    // Creating a ledger is an explicit step (`pboc-incident init`, or STORE_CREATE=1), except the console run
    // (no chat platform), so that `npm install && npm start` works on a fresh clone; it says so loudly.
    const chat = configuredPlatforms(env).length > 0;
    const mode = env.STORE_CREATE === '1' || !chat ? 'first-start' : 'open';
    let createdAtMs = Date.now();
    try { createdAtMs = botClockOf(env).now(); } catch { /* a bad BOT_CLOCK_START is reported below */ }
    const opened = await openLedgerStore(env, { mode, log, nowMs: createdAtMs, machineNowMs: Date.now });
    store = opened.store;
    if (opened.created) log(`NEW STORE: created a new, empty ledger at ${opened.where}${mode === 'first-start' && !chat && env.STORE_CREATE !== '1' ? ' (the console run creates one on its first start)' : ''}; identity ${shortId(opened.identity.id)}. If you expected your existing ledger, stop now and check ${store.kind === 'redis' ? 'REDIS_URL' : 'SQLITE_PATH'}.`);
    storeLine = `${store.kind} (${opened.where}); ${identityLine(opened.identity, opened.summary)}`;
  }
} catch (e) {
  if (e instanceof StoreOpenError) fatal(e.message);
  fatal(`cannot open the store (${env.REDIS_URL ? 'REDIS_URL' : 'SQLITE_PATH'}): ${(e as Error).message}`);
}
log(`store: ${storeLine}; institution config: ${bundledExample ? 'bundled example' : source}`);
// --- end store safety ---
// Each network's peak hours (Art. 31(3)) and how they were found, so the operator sees the derivation.
for (const line of peakLines(institution.language, institution.networks)) log(line);

// TICK_SECONDS, and the optional daily digest to one conversation (e.g. slack:T1:C9, feishu:oc_x) at DIGEST_AT.
let processSettings;
try {
  processSettings = readProcessSettings(env);
} catch (e) {
  if (e instanceof SettingsError) fatal(e.message);
  throw e;
}
const { tickMs, digest } = processSettings;
let drillStartMs = Date.now();
try {
  // --at / DRILL_START: rehearse any moment (the drill's clock, not the machine's).
  if (drill) drillStartMs = drillStartOf(process.argv.slice(2), env, drillStartMs);
} catch (e) {
  fatal((e as Error).message);
}
const clock = new DrillClock(drillStartMs);
let botClock;
try {
  botClock = botClockOf(env);
} catch (e) {
  fatal((e as Error).message);
}
if (!drill && botClock.shiftedTo !== undefined) log(`clock: BOT_CLOCK_START moves the bot's clock to ${formatShanghaiMinute(botClock.shiftedTo)} (Beijing time); every time recorded follows it, not the machine's clock`);
const now = drill ? clock.now : botClock.now;
// The one HTTP server's port and address (adapters/http/server.ts): HTTP_PORT, or an old name (WEB_PORT; PORT and
// FEISHU_PORT when a chat platform receives over HTTP); port 3000 when such a platform names none.
const httpPlatforms = drill ? [] : configuredPlatforms(env).filter((p) => p.httpPaths?.(env));
try {
  settleHttpEnv(env, httpPlatforms.map((p) => p.title), log);
} catch (e) {
  if (e instanceof HttpConfigError) fatal(e.message);
  throw e;
}
// METRICS_PORT: Prometheus text on a listener of its own (adapters/ops/metrics.ts); prom-client loaded only then.
let metrics: MetricsServer | null = null;
let drainMs = 0;
try {
  drainMs = drainMsOf(env);
  const at = metricsSettings(env);
  if (at) {
    const ledger = store;
    metrics = await (await import('./ops/metrics.ts')).startMetrics({ ...at, store: () => ledger, config, now, log });
    store = metrics.instrumentStore(store);
  }
} catch (e) {
  fatal(`${(e as Error).name === 'MetricsConfigError' || (e as Error).name === 'ShutdownConfigError' ? '' : 'metrics: '}${(e as Error).message}`);
}
/**
 * A platform's failed reminder post counts as an API error by the code its SDK gave (not a deadline we set). A
 * platform declared to the kit counts its own (every call, once: adapters/kit/handler.ts).
 */
const countingApiErrors = (sender: Sender): Sender => !metrics ? sender : {
  ...sender,
  send: (m, opts) => sender.send(m, opts).catch((e: unknown) => {
    const platform = m.conversation.split(':')[0] ?? '';
    const counted = PLATFORMS.some((p) => p.id === platform && p.declared);
    if (!counted && (!(e instanceof SendError) || e.cause !== undefined)) metrics?.apiError(platform, e instanceof SendError ? e.cause : e);
    throw e;
  }),
};
const onPosted = metrics ? { onPosted: (r: { obligation: string; atMs: number }, atMs: number) => metrics?.reminderPosted(r.obligation, r.atMs, atMs) } : {};
// Say it before it bites: a missing holiday schedule makes working-day deadlines provisional.
const scheduleNote = missingScheduleNote('en', config.assess.calendar, now());
if (scheduleNote) log(`holidays: ${scheduleNote}`);
const write = (s: string) => void process.stdout.write(s);
// ── One HTTP server (HTTP_PORT): the chat platforms' HTTP endpoints (Slack's /slack/events, Feishu's callbacks), the
// compliance page (when WEB_SECRET is set), the monitoring alert routes and the health routes; in drill mode too
// (its page shows drills). ──
let web: import('./web/serve.ts').WebPage | null = null;
if (env.WEB_SECRET?.trim() || env.WEB_PORT?.trim()) {
  if (!env.HTTP_PORT?.trim()) log('web page: off (WEB_SECRET is set but HTTP_PORT is not)');
  else {
    const { webPage } = await import('./web/serve.ts');
    const { missingWebAsset } = await import('./web/app.ts');
    const missing = missingWebAsset();
    if (missing) fatal(`web page: ${missing} is missing from this build; run \`npm run build\` (nothing was started)`);
    try {
      web = webPage({ env, store, config, now, log });
    } catch (e) {
      fatal((e as Error).name === 'WebConfigError' ? (e as Error).message : `web page: ${(e as Error).message}`);
    }
  }
}
const webDeps = web ? { webLink: web.link, webLinkTtlMs: web.linkTtlMs } : {};
// /livez and /readyz (adapters/http/health.ts): ready once the store answers, every configured platform is connected
// and the reminder ticker has run within two of its periods (a drill's ticker runs on `/drill advance`: not checked).
const readiness = createReadiness();
const ledgerStore = store;
readiness.set('store', async () => { await ledgerStore.readIdentity(); return null; });
let tickerOf: { lastPassAtMs(): number | null } | null = null;
if (!drill) {
  readiness.set('reminders', () => {
    const last = tickerOf?.lastPassAtMs() ?? null;
    if (last === null) return 'not started';
    const ago = now() - last;
    return ago <= 2 * tickMs ? null : `last pass ${Math.round(ago / 1000)} s ago (period ${Math.round(tickMs / 1000)} s)`;
  });
  for (const { id: name } of configuredPlatforms(env)) {
    readiness.set(name, () => {
      const p = platforms.find((x) => x.prefix === `${name}:`);
      if (!p) return 'not started';
      return p.connected?.() === false ? 'not connected' : null;
    });
  }
}
// SIGTERM/SIGINT (adapters/ops/shutdown.ts): not ready, close intakes (long connections first), drain, flush, exit.
const graceful = createShutdown({ readiness, log, drainMs });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void graceful.run(sig).then((code) => process.exit(code)));
const coreBot = createBot({ store, config, now, log, drill, ...webDeps });
// A platform's paths answer 503 until it has started (and again once it stops, at shutdown).
// Loaded with the server only: a console run without HTTP_PORT never loads Hono, node:http or fetch's Response.
const platformRoutes = !env.HTTP_PORT ? null : (await import('./http/platform-routes.ts')).createPlatformRoutes();
for (const p of httpPlatforms) platformRoutes?.reserve(p.httpPaths?.(env) ?? []);
const http = !platformRoutes ? null : await (await import('./alerts/start.ts'))
  .startAlertsHttp({ env, store, config, bot: coreBot, now, log, write, platforms: () => platforms, mount: (app) => { platformRoutes.mount(app); mountHealth(app, readiness); web?.mount(app); } })
  .catch((e: Error) => fatal(`HTTP server: ${e.message}`));
if (http && web) web.listening(http.server.port);
if (http) platformRoutes?.listening(`http://${[undefined, '', '0.0.0.0', '::'].includes(env.HTTP_HOST?.trim()) ? '127.0.0.1' : env.HTTP_HOST!.trim()}:${http.server.port}`);
const bot = http ? http.bot : coreBot; // proposal buttons and `/incident alert ...` answered by the alert service
if (http) graceful.add('server', 'http', () => http.server.stop()); // after the drain: /readyz answers 503 meanwhile
// ── end HTTP server ──
// Every chat platform the environment turns on (adapters/platforms.ts), each one started and ready before the next;
// none: the console. Each platform's SDK is imported only when it starts, so a run loads only what it uses.
const platforms: Platform[] = [];
const chatPlatforms = drill ? [] : configuredPlatforms(env);
for (const entry of chatPlatforms) {
  const started = await startPlatform(entry, { env, bot, store, config, now, log, ...(http && platformRoutes ? { http: platformRoutes } : {}) })
    .catch((e: Error) => fatal(e instanceof PlatformConfigError ? e.message : `${entry.title}: ${e.message}`));
  platforms.push(started);
  graceful.add(entry.closeFirst ? 'connections' : 'intake', entry.id, () => started.stop());
}

// Expired claims, sessions and old done-markers: once now, then hourly (never the ledger).
const stopPruning = drill ? () => {} : await startPruning({ store, now, log });
// The head of every incident's hash chain changed since the last entry: now, then daily (never in a drill).
const stopHeadLog = drill ? () => {} : await startHeadLog({ store, log });
graceful.add('flush', 'pruning', stopPruning);
graceful.add('flush', 'head log', stopHeadLog);
const ticker = createTicker({
  store, config, sender: platforms.length > 0 ? countingApiErrors(routeByConversation(platforms)) : consoleSender(write, now, drill), now, log, ...(digest ? { digest } : {}), ...onPosted,
});
tickerOf = ticker;
graceful.add('flush', 'reminders', () => ticker.stop());
if (metrics) graceful.add('flush', 'metrics', () => metrics?.stop());
graceful.add('flush', 'store', () => store.close());
await ticker.reindex();
if (platforms.length > 0) {
  await ticker.tick(); // reminders that fell due while the bot was down go out now
  await ticker.start(tickMs);
} else {
  const interactive = process.stdin.isTTY === true;
  const lang = institution.language;
  if (drill) write(`${t(lang, 'drill.banner', { at: formatShanghaiMinute(clock.ms), example: drillTimeExample(clock.ms + 3600_000) })}\n`);
  if (interactive) write(`${t(lang, 'console.banner')}\n`);
  if (!drill) {
    await ticker.tick(); // reminders that fell due while the bot was down go out now
    await ticker.start(tickMs);
  }
  // SIGTERM/SIGINT: stop taking input and finish the line in hand (with the HTTP server's requests), then the flush.
  const shutdown = new AbortController();
  let conversation: Promise<void> = Promise.resolve();
  graceful.add('intake', 'console', () => { shutdown.abort(); return conversation; });
  conversation = runConsole({
    signal: shutdown.signal,
    filesDir: env.REPORTS_DIR || './data/reports',
    bot,
    input: process.stdin,
    output: write,
    user: `console:${env.USER ?? 'local'}`,
    interactive,
    intercept: async (line) => {
      if (!drill) return false;
      const hasIncidents = async () => (await store.listInRange(0, Number.MAX_SAFE_INTEGER, { includeDrill: true })).length > 0;
      const r = await runDrillCommand(line, { clock, ticker, stepMs: tickMs, lang, hasIncidents });
      if (r) write(`${r.ok ? '' : '✗ '}${r.text}\n\n`);
      return r !== null;
    },
  });
  await conversation;
  // The end of input: the same steps as a signal (nothing left to drain), then the process ends by itself.
  process.exitCode = await graceful.run('end of input');
}
