// The bot with its alert routes on a loopback port: real Hono server, real SQLite file, a recording platform.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlertsHttp, type AlertsHttp } from '../../../adapters/alerts/start.ts';
import type { AlertsConfig } from '../../../src/alerts/routes.ts';
import { createBot } from '../../../src/bot.ts';
import { renderText } from '../../../src/conversation/render-text.ts';
import type { BotConfig, ChatInput } from '../../../src/conversation/types.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { RecordingSender } from '../../fakes/sender.ts';

export const TOKEN = 'am-token-0123456789abcdef';
export const NG_USER = 'n9e';
export const NG_PASSWORD = 'n9e-password-0123456789';
export const GRAFANA_HMAC = 'grafana-hmac-secret-0123456789';
export const ROOM = 'test:room';

export const ALERTS: AlertsConfig = {
  conversation: ROOM,
  routes: [
    { match: { service: 'core-banking' }, matchRegex: {}, network: 'core-banking', title: '核心银行系统中断（监控告警）', outage: { provinces: 1, failureRatePercent: 100 } },
    { match: {}, matchRegex: { alertname: 'OnlineBanking.*' }, network: 'online-banking' },
  ],
};

export interface Harness {
  clock: FixedClock;
  config: BotConfig;
  store: Store;
  sender: RecordingSender;
  logs: string[];
  http: AlertsHttp;
  url: string;
  /** Texts posted to the room, rendered as the console would. */
  posts(): string[];
  post(source: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  click(value: 'open' | 'ignore', proposalId: string, user?: string): Promise<string>;
  say(text: string, user?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(nowIso: string, env: Record<string, string> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-alerts-'));
  const clock = new FixedClock(parseIso(nowIso));
  const store = createSqliteStore(join(dir, 'bot.db'));
  const config = botConfig({ gradingRules: [], alerts: ALERTS, responsible: [] });
  const sender = new RecordingSender(clock.now);
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const core = createBot({ store, config, now: clock.now, log });
  const http = (await startAlertsHttp({
    env: { HTTP_PORT: '0', ALERTS_ALERTMANAGER_TOKEN: TOKEN, ALERTS_NIGHTINGALE_USER: NG_USER, ALERTS_NIGHTINGALE_PASSWORD: NG_PASSWORD, ALERTS_GRAFANA_HMAC_SECRET: GRAFANA_HMAC, ...env },
    store, config, bot: core, now: clock.now, log, write: () => undefined,
    platforms: () => [{ prefix: 'test:', sender, stop: async () => undefined }],
  }))!;
  const url = `http://127.0.0.1:${http.server.port}`;
  const input = (i: Omit<ChatInput, 'conversation'>): ChatInput => ({ ...i, conversation: ROOM });
  return {
    clock, config, store, sender, logs, http, url,
    posts: () => sender.sent.map((m) => renderText(m.replies)),
    post: (source, body, headers = { authorization: `Bearer ${TOKEN}` }) => fetch(`${url}/alerts/${source}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    click: async (value, proposalId, user = 'test:alice') => renderText(await http.bot.handle(input({ kind: 'action', text: value, questionId: 'alert-proposal', incidentId: proposalId, user }))),
    say: async (text, user = 'test:alice') => {
      const m = /^\/incident\s+(.*)$/.exec(text);
      return renderText(await http.bot.handle(input(m ? { kind: 'command', text: m[1]!, user } : { kind: 'message', text, user })));
    },
    close: async () => {
      await http.server.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The proposal id shown on the last proposal card. */
export function proposalId(h: Harness): string {
  const q = [...h.sender.sent].reverse().flatMap((m) => m.replies).find((r) => r.type === 'question');
  if (!q || q.type !== 'question') throw new Error(`no proposal posted; posts: ${h.posts().join('\n---\n')}`);
  return q.question.incidentId;
}
