// The contract's Slack: the real Bolt receiver (HTTP on the one HTTP server, signed requests) started by the kit
// (startChat) against the fake Slack.
import { startChat } from '../../../adapters/kit/chat.ts';
import { slack as slackPlatform } from '../../../adapters/slack/index.ts';
import { EVENTS_PATH } from '../../../adapters/slack/transport/index.ts';
import { unescapeMrkdwn } from '../../../adapters/slack/render/mrkdwn.ts';
import { messageViolation } from '../../limits/block-kit.ts';
import { FakeSlackApi, type FakeMessage } from '../../fakes/slack-api.ts';
import { httpTransport, mrkdwnStrings, SlackDriver, visibleText } from '../../fakes/slack-driver.ts';
import { startOneServer } from '../../fakes/one-server.ts';
import type { ChatName, Person, PlatformDriver, RunningPlatform, Who } from '../contract.ts';

export const SLACK = {
  botToken: 'xoxb-1000000001-2000000002-FaKeBoTtOkEnVaLuE0000001',
  signingSecret: '8f742231b10e8888abcd99eeeeee85a5',
};
const CHANNEL: Record<ChatName, string> = { a: 'C1', b: 'C2' };
const USER: Record<Person, string> = { alice: 'U1', bob: 'U2' };

/** Live mrkdwn: a mention (<!channel>, <@U…>, <#C…>) or a link (<http…>); date tokens are the bot's own. */
const LIVE = /<!(?!date\^)|<@|<#|<(?:https?|mailto):/;

export const slackDriver: PlatformDriver = {
  name: 'slack',
  conversation: (chat) => `slack:T1:${CHANNEL[chat]}`,
  acknowledges: true,
  remote: true,
  secrets: [SLACK.botToken, SLACK.signingSecret],
  async start(d): Promise<RunningPlatform> {
    const api = await FakeSlackApi.start({ bot: SLACK.botToken });
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: SLACK.botToken, SLACK_SIGNING_SECRET: SLACK.signingSecret, SLACK_API_URL: api.apiUrl, LOG_LEVEL: 'debug',
      ...(d.allow ? { SLACK_ALLOWED_CHANNELS: d.allow.chats.map((c) => CHANNEL[c]).join(','), SLACK_ALLOWED_USERS: d.allow.users.map((u) => USER[u]).join(',') } : {}),
    };
    const one = await startOneServer(d.log);
    const slack = await startChat(slackPlatform, { env, bot: d.bot, store: d.store, config: d.config, now: d.now, log: d.log, retry: { retries: 0 }, http: one.routes });
    const send = httpTransport(`${one.base}${EVENTS_PATH}`, SLACK.signingSecret);
    // A slash command's immediate answer (the HTTP body) is a message only its sender sees.
    const answers: FakeMessage[] = [];
    const as = (who: Who) => new SlackDriver(api, send, async () => {}, { team: 'T1', channel: CHANNEL[who.chat], user: USER[who.user], userName: who.user });
    const full = (w: Partial<Who> = {}): Who => ({ chat: 'a', user: 'alice', ...w });
    return {
      async send(text, who) {
        const w = full(who);
        const sent = await as(w).commandLine(text.replace(/^\/incident\s*/, ''));
        if (sent.status !== 200) throw new Error(`Slack got HTTP ${sent.status}`);
        if (sent.body) {
          const b = JSON.parse(sent.body) as { text?: string; blocks?: FakeMessage['blocks'] };
          answers.push({ channel: CHANNEL[w.chat], ts: '', threadTs: null, broadcast: false, ephemeralTo: USER[w.user], text: b.text ?? '', blocks: b.blocks ?? [] });
        }
      },
      settle: () => slack.idle(),
      said(who) {
        const w = full(who);
        return [...answers, ...api.messages]
          .filter((m) => m.channel === CHANNEL[w.chat] && (m.ephemeralTo === null || m.ephemeralTo === USER[w.user]))
          .map((m) => unescapeMrkdwn(visibleText(m)));
      },
      overLimits() {
        const calls = [...api.callsTo('chat.postMessage'), ...api.callsTo('chat.postEphemeral'), ...api.callsTo('response_url'), ...api.callsTo('chat.update')];
        return [
          ...api.limitViolations.map((v) => `${v.method}: ${v.violation}`),
          ...calls.map((c) => messageViolation({ text: c.body.text, blocks: c.body.blocks })).filter((v): v is string => v !== null),
        ];
      },
      liveMarkup() {
        return [...answers, ...api.messages].flatMap(mrkdwnStrings).filter((s) => LIVE.test(s));
      },
      payloads: () => [...api.messages, ...answers],
      async stop() {
        await slack.stop();
        await one.server.stop();
        await api.close();
      },
    };
  },
};
