import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../fakes/slack-driver.ts';
import { startHarness, type Harness } from '../fakes/slack-harness.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('the ledger in chat is scoped to the conversation, and private', () => {
  it('Slack: /incident ledger in one channel shows only that channel\'s incidents, to the asker only', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slackDriver: alice } = h;
    const bob = alice.as({ channel: 'C2', user: 'U2', userName: 'bob' });
    const carol = alice.as({ team: 'T2', user: 'U3', userName: 'carol' }); // the same channel id in another workspace
    await alice.commandLine('new 网上银行登录失败');
    await bob.commandLine('new 另一频道的秘密事件');
    await carol.commandLine('new 另一团队的事件');
    const inChannel = api.channelMessages('C1').length;
    await alice.commandLine('ledger 2026-11-01 2026-11-30');
    expect(api.channelMessages('C1')).toHaveLength(inChannel); // nothing posted for the channel to see
    const shown = visibleText(api.ephemeralFor('U1').at(-1)!);
    expect(shown).toContain('INC-20261130-01 网上银行登录失败');
    expect(shown).not.toContain('另一频道的秘密事件');
    expect(shown).not.toContain('另一团队的事件');
    expect(shown).toContain('仅本会话的事件');
  });

  it('the people under ledgerAdmins see every incident; a long ledger is capped with a pointer to the export', async () => {
    const config = botConfig({ ledgerAdmins: ['slack:UADMIN'] });
    const room = await FakeChat.start('2026-11-30T14:00:00+08:00', { config });
    for (let i = 0; i < 35; i++) await room.say(`/incident new 事件${i}`);
    const other = new FakeChat(room.bot, room.store, room.clock, 'slack:T1:C2', 'slack:U2');
    await other.say('/incident new 另一频道的事件');
    const admin = new FakeChat(room.bot, room.store, room.clock, 'slack:T1:C9', 'slack:UADMIN');
    const all = await admin.say('/incident ledger 2026-11-01 2026-11-30').replies;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ type: 'text', ephemeral: true });
    const text = (all[0] as { text: string }).text;
    expect(text).toContain('共 36 条报告记录');
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(30);
    expect(text).toContain('另有 6 条');
    expect(await other.say('/incident ledger 2026-11-01 2026-11-30')).toMatch(/共 1 条报告记录[\s\S]*另一频道的事件/);
  });
});
