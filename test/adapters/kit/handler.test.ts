// The kit's one inbound handler run with a platform declared in a few lines (the shape a platform folder exports):
// what differs by declaration rather than by a handler file. A platform without one-to-one sends never posts a
// private reply into a group; a platform without `directNeedsUserList` takes one-to-one chats when only chats are
// listed; a full inbox leaves the payload unacknowledged.
import { afterEach, describe, expect, it } from 'vitest';
import { startChat, type StartedChat } from '../../../adapters/kit/chat.ts';
import type { PlatformDeclaration } from '../../../adapters/kit/platform.ts';
import { createBot } from '../../../src/bot.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { renderText } from '../../../src/conversation/render-text.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';

interface Said { to: string; text: string }
interface LoopPayload { id: string; chat: string | null; user: string; text: string }

/** A platform on loopback: payloads pushed by the test, messages recorded; one-to-one chats are `loop:user:<id>`. */
function loopPlatform(sent: Said[], acks: string[]) {
  let deliver: ((p: LoopPayload, ack: () => void) => Promise<void>) | null = null;
  const conv = (p: LoopPayload) => (p.chat ? `loop:group:${p.chat}` : `loop:user:${p.user}`);
  const message = (p: LoopPayload) => ({
    kind: 'message' as const, key: `loop-msg:${p.id}`, id: p.id, chat: p.chat, user: p.user, to: conv(p), stored: p,
    input: p.text.startsWith('/incident ') ? { kind: 'command' as const, text: p.text.slice(10), user: `loop:${p.user}`, conversation: conv(p) } : { kind: 'message' as const, text: p.text, user: `loop:${p.user}`, conversation: conv(p) },
  });
  const declaration: PlatformDeclaration<{ chats: ReadonlySet<string> | null }, LoopPayload, string, string, string> = {
    id: 'loop', title: 'Loop', envPrefix: 'LOOP', enabledBy: 'LOOP_ON', conversation: 'loop:[a-z0-9:]+',
    settings: {
      read: (env) => ({ chats: env.LOOP_ALLOWED_CHATS ? new Set(env.LOOP_ALLOWED_CHATS.split(',')) : null }),
      allowed: (s) => ({ chats: s.chats, users: null }),
      secrets: () => [],
      describe: (v) => String(v),
    },
    parse: {
      payload: message,
      stored: (_kind, s) => message(s as LoopPayload),
      target: (c) => (c.startsWith('loop:') ? c : null),
      chat: (c) => (c.startsWith('loop:group:') ? c.slice('loop:group:'.length) : null),
    },
    render: {
      limits: { textChars: 4000 },
      replies: (_s, replies) => [{ message: renderText(replies) }],
      reminder: (_s, m) => [{ message: renderText(m.replies) }],
      text: (t) => t,
      clicked: (replies) => renderText(replies),
      acknowledged: (said) => said,
      options: () => [],
      fileFailed: (names) => names.join(', '),
    },
    transport: async () => ({
      async start(onPayload) { deliver = onPayload; },
      async send(to, text) { sent.push({ to, text }); },
      connected: () => deliver !== null,
      receives: 'loopback',
      async stop() { deliver = null; },
    }),
  };
  const push = async (p: LoopPayload) => { await deliver!(p, () => acks.push(p.id)); };
  return { declaration, push };
}

let running: { app: StartedChat; store: Store } | null = null;
afterEach(async () => {
  await running?.app.stop();
  await running?.store.close();
  running = null;
});

async function start(env: Record<string, string> = {}, inboxMax?: number, gate?: Promise<void>) {
  const sent: Said[] = [];
  const acks: string[] = [];
  const clock = new FixedClock(parseIso('2026-11-30T14:00:00+08:00'));
  const store = createSqliteStore(':memory:');
  const real = createBot({ store, config: botConfig(), now: clock.now, log: () => {}, webLink: () => 'http://127.0.0.1:9/w/link-secret' });
  // A bot held until the gate opens: what was accepted stays in the inbox meanwhile.
  const bot = { ...real, handle: async (input: Parameters<typeof real.handle>[0]) => { await gate; return real.handle(input); } };
  const loop = loopPlatform(sent, acks);
  const app = await startChat(loop.declaration, { env, bot, store, config: botConfig(), now: clock.now, log: () => {}, ...(inboxMax ? { inboxMax } : {}) });
  running = { app, store };
  return { sent, acks, app, store, push: loop.push };
}

describe('the kit handler, by declaration', () => {
  it('without one-to-one sends, a private reply is refused in a group and sent in a one-to-one chat', async () => {
    const p = await start();
    await p.push({ id: 'm1', chat: 'g1', user: 'u1', text: '/incident web' });
    await p.app.idle();
    expect(p.sent).toHaveLength(1);
    expect(p.sent[0]!.to).toBe('loop:group:g1');
    expect(p.sent[0]!.text).not.toContain('link-secret');
    await p.push({ id: 'm2', chat: null, user: 'u1', text: '/incident web' });
    await p.app.idle();
    expect(p.sent[1]).toMatchObject({ to: 'loop:user:u1' });
    expect(p.sent[1]!.text).toContain('link-secret');
    expect(p.acks).toEqual(['m1', 'm2']);
  });

  it('with only chats listed, an unlisted group is refused in both languages and a one-to-one chat is taken', async () => {
    const p = await start({ LOOP_ALLOWED_CHATS: 'g1' });
    await p.push({ id: 'm1', chat: 'g2', user: 'u1', text: '/incident new 网银故障' });
    await p.app.idle();
    expect(p.sent).toEqual([{ to: 'loop:group:g2', text: expect.stringMatching(/未启用[\s\S]*LOOP_ALLOWED_CHATS[\s\S]*not enabled/) }]);
    expect(await p.store.load('INC-20261130-01')).toBeNull();
    await p.push({ id: 'm2', chat: null, user: 'u1', text: '/incident new 网银故障' });
    await p.app.idle();
    expect(p.sent[1]!.text).toContain('INC-20261130-01');
    expect(p.acks).toEqual(['m1', 'm2']);
  });

  it('a full inbox leaves the payload unacknowledged (the platform sends it again), and a re-delivery is taken once', async () => {
    let open = () => {};
    const p = await start({}, 1, new Promise<void>((resolve) => { open = resolve; }));
    await p.push({ id: 'm1', chat: 'g1', user: 'u1', text: '/incident new 网银故障' });
    await p.push({ id: 'm2', chat: 'g1', user: 'u1', text: '/incident list' });
    expect(p.acks).toEqual(['m1']);
    open();
    await p.app.idle();
    const events = (await p.store.load('INC-20261130-01'))?.events.length;
    expect(events).toBeGreaterThan(0);
    await p.push({ id: 'm1', chat: 'g1', user: 'u1', text: '/incident new 网银故障' });
    await p.app.idle();
    expect(p.acks).toEqual(['m1', 'm1']);
    expect((await p.store.load('INC-20261130-01'))?.events).toHaveLength(events!);
    expect(await p.store.load('INC-20261130-02')).toBeNull();
  });
});
