import { createHmac, randomUUID } from 'node:crypto';
import type { FakeMessage, FakeSlackApi, SocketAck } from './slack-api.ts';

// Plays the Slack platform towards the app under test: builds payloads of Slack's real shapes
// (slash command form fields, block_actions / view_submission JSON, event_callback), sends them
// over HTTP (signed, form-encoded) or Socket Mode envelopes, and "clicks" what the bot rendered.

export interface Person {
  team: string;
  channel: string;
  user: string;
  userName: string;
}

export type Kind = 'command' | 'interactive' | 'event';
export interface Sent {
  status?: number; // HTTP
  body?: string; // HTTP: what the app answered (a slash command's immediate reply)
  ack?: SocketAck; // Socket Mode
}
export type Transport = (kind: Kind, payload: Record<string, unknown>, opts?: { retryNum?: number }) => Promise<Sent>;

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function sign(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/** Encodes a payload the way Slack posts it over HTTP. */
export function encode(kind: Kind, payload: Record<string, unknown>): { body: string; contentType: string } {
  if (kind === 'command') return { body: new URLSearchParams(payload as Record<string, string>).toString(), contentType: 'application/x-www-form-urlencoded' };
  if (kind === 'interactive') return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: JSON.stringify(payload), contentType: 'application/json' };
}

/** HTTP mode: signed POSTs to `/slack/events`, content type exactly as Slack sends it. */
export function httpTransport(eventsUrl: string, signingSecret: string): Transport {
  return async (kind, payload, opts = {}) => {
    const { body, contentType } = encode(kind, payload);
    const ts = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(signingSecret, ts, body) };
    if (opts.retryNum !== undefined) Object.assign(headers, { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' });
    const res = await fetch(eventsUrl, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  };
}

/** Socket Mode: the same payloads as envelopes on the fake's WebSocket; resolves with the app's ack. */
export function socketTransport(api: FakeSlackApi): Transport {
  const type = { command: 'slash_commands', interactive: 'interactive', event: 'events_api' } as const;
  return async (kind, payload, opts = {}) => ({
    ack: await api.envelope(type[kind], payload, opts.retryNum !== undefined ? { retry_attempt: opts.retryNum, retry_reason: 'timeout' } : { retry_attempt: 0 }),
  });
}

type Element = Record<string, unknown> & { type: string; action_id: string; text?: { text: string }; value?: string; options?: Array<{ text: { text: string }; value: string }> };

export class SlackDriver {
  constructor(
    readonly api: FakeSlackApi,
    readonly send: Transport,
    readonly settle: () => Promise<void>, // waits until the app has handled what it acked
    readonly who: Person = { team: 'T1', channel: 'C1', user: 'U1', userName: 'alice' },
    readonly command = '/incident',
  ) {}

  as(p: Partial<Person>): SlackDriver {
    return new SlackDriver(this.api, this.send, this.settle, { ...this.who, ...p }, this.command);
  }

  private async deliver(kind: Kind, payload: Record<string, unknown>, opts?: { retryNum?: number }): Promise<Sent> {
    const sent = await this.send(kind, payload, opts);
    await this.settle();
    return sent;
  }

  slashPayload(text: string): Record<string, string> {
    const w = this.who;
    return {
      token: 'deprecated-verification-token', team_id: w.team, team_domain: 'acme', channel_id: w.channel, channel_name: 'incident-room',
      user_id: w.user, user_name: w.userName, command: this.command, text, api_app_id: 'A1', is_enterprise_install: 'false',
      response_url: this.api.responseUrl(w.channel, w.user), trigger_id: `${Date.now()}.${randomUUID()}`,
    };
  }

  /** `/incident <text>` typed in the channel. */
  commandLine(text: string): Promise<Sent> {
    return this.deliver('command', this.slashPayload(text));
  }

  /** The question this user sees now: the latest ephemeral message carrying a question's actions. */
  question(): FakeMessage | null {
    const mine = this.api.ephemeralFor(this.who.user).filter((m) => m.channel === this.who.channel && actionsOf(m) !== null);
    return mine.at(-1) ?? null;
  }

  /** The block_actions payload Slack sends when this user clicks `label` (a button or a select option). */
  clickPayload(label: string | RegExp, on?: FakeMessage): Record<string, unknown> {
    const msg = on ?? this.question();
    if (!msg) throw new Error('no question on screen');
    const block = on ? (on.blocks.find((x) => x.type === 'actions') as { block_id: string; elements: Element[] } | undefined) : actionsOf(msg)!;
    if (!block) throw new Error('no buttons on that message');
    const match = (s: string) => (typeof label === 'string' ? s === label : label.test(s));
    const w = this.who;
    const base = {
      type: 'block_actions',
      user: { id: w.user, username: w.userName, name: w.userName, team_id: w.team },
      api_app_id: 'A1', token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: msg.ts, channel_id: w.channel, is_ephemeral: !on },
      trigger_id: `${Date.now()}.${randomUUID()}`,
      team: { id: w.team, domain: 'acme' }, enterprise: null, is_enterprise_install: false,
      channel: { id: w.channel, name: 'incident-room' },
      state: { values: {} },
      response_url: this.api.responseUrl(w.channel, w.user, msg.ts),
    };
    const action_ts = `${(Date.now() / 1000).toFixed(6)}`;
    for (const el of block.elements) {
      if (el.type === 'button' && el.text && match(el.text.text)) {
        return { ...base, actions: [{ action_id: el.action_id, block_id: block.block_id, text: el.text, value: el.value, type: 'button', action_ts, ...(el.style ? { style: el.style } : {}) }] };
      }
      const opt = el.type === 'static_select' ? el.options?.find((o) => match(o.text.text)) : undefined;
      if (opt) return { ...base, actions: [{ action_id: el.action_id, block_id: block.block_id, type: 'static_select', selected_option: opt, placeholder: el.placeholder, action_ts }] };
    }
    throw new Error(`no button or option ${String(label)} in: ${block.elements.map((e) => e.text?.text ?? e.options?.map((o) => o.text.text).join('/')).join(', ')}`);
  }

  /** Clicks a button, or picks an option of the question's select. */
  click(label: string | RegExp): Promise<Sent> {
    return this.deliver('interactive', this.clickPayload(label));
  }

  /** Clicks a button on a message the channel sees (a reminder's acknowledge button). */
  clickOn(msg: FakeMessage, label: string | RegExp): Promise<Sent> {
    return this.deliver('interactive', this.clickPayload(label, msg));
  }

  /** Opens the question's answer modal, types `value` and submits it (view_submission). */
  async type(value: string, openLabel: string | RegExp = /填写答案|Answer/): Promise<Sent> {
    const before = this.api.views.length;
    await this.click(openLabel);
    const view = this.api.views[before];
    if (!view) throw new Error('the app opened no modal');
    return this.deliver('interactive', this.submitPayload(view, value));
  }

  submitPayload(view: Record<string, unknown>, value: string): Record<string, unknown> {
    const w = this.who;
    return {
      type: 'view_submission',
      team: { id: w.team, domain: 'acme' },
      user: { id: w.user, username: w.userName, name: w.userName, team_id: w.team },
      api_app_id: 'A1', token: 'deprecated-verification-token', trigger_id: `${Date.now()}.${randomUUID()}`,
      view: { ...view, state: { values: { answer: { value: { type: 'plain_text_input', value } } } } },
      response_urls: [], is_enterprise_install: false, enterprise: null,
    };
  }

  /** An Events API `app_mention` as Slack posts it (event_callback). */
  mentionPayload(text: string, eventId = `Ev${randomUUID().slice(0, 8).toUpperCase()}`): Record<string, unknown> {
    const w = this.who;
    const ts = `${(Date.now() / 1000).toFixed(6)}`;
    return {
      token: 'deprecated-verification-token', team_id: w.team, api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: w.user, text: `<@UBOT> ${text}`, ts, channel: w.channel, event_ts: ts, client_msg_id: randomUUID() },
      authorizations: [{ enterprise_id: null, team_id: w.team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
  }

  mention(text: string): Promise<Sent> {
    return this.deliver('event', this.mentionPayload(text));
  }

  /** Sends a prepared payload (retries, double clicks); settles afterwards. */
  raw(kind: Kind, payload: Record<string, unknown>, opts?: { retryNum?: number }): Promise<Sent> {
    return this.deliver(kind, payload, opts);
  }
}

function actionsOf(m: FakeMessage): { block_id: string; elements: Element[] } | null {
  const b = m.blocks.find((x) => x.type === 'actions' && typeof x.block_id === 'string' && x.block_id.startsWith('pboc-q|'));
  return (b as { block_id: string; elements: Element[] } | undefined) ?? null;
}

/** Every mrkdwn string of a message (its `text` and each mrkdwn text object), for injection checks. */
export function mrkdwnStrings(m: { text: string; blocks: unknown[] }): string[] {
  const out = [m.text];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return out;
}

/** A message as text: header, sections, contexts and button labels, for readable assertions. */
export function visibleText(m: { blocks: unknown[]; text: string }): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return out.length ? out.join('\n') : m.text;
}
