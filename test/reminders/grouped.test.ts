// Reminders of one incident falling due in the same minute go out as one post: a header with the incident and how many
// obligations, each obligation's lines, the escalation once, one acknowledge line and button for them all. Each is
// still recorded under its own key (the ledger and planning see every reminder), in one append after the post; the
// post is claimed under a key its members decide, so a crash between posting and recording does not post it again.
import { describe, expect, it } from 'vitest';
import { isAckCommand } from '../../adapters/ack.ts';
import { loadIncident } from '../../src/incident/stored.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import type { Outbound } from '../../src/reminders/message.ts';
import { GROUP_MAX, type Reminder } from '../../src/reminders/planner.ts';
import { createTicker, groupKey, postsOf } from '../../src/reminders/ticker.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { leak } from '../fakes/leak.ts';
import { RecordingSender } from '../fakes/sender.ts';

const ID = 'INC-20261204-01';
const AT_TEN = ['brief', 'cac.initial', 'pipl.remedy', 'pipl.notify-authority', 'pipl.notify-individuals'];

/** A platform that can say whether a post of a key is there (Slack's history, DingTalk's record). */
class CheckingSender extends RecordingSender {
  async posted(m: Outbound, sinceMs: number): Promise<boolean> {
    return this.sent.some((p) => p.key === m.key && p.atMs >= sinceMs);
  }
}

/** The real store, with each append's events shown to `seen` first; `seen` may throw to fail the append (a process dying). */
function watched(real: Store, seen: (events: IncidentEvent[]) => void): Store {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'append') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<Store['append']>) => {
        seen(args[2] as IncidentEvent[]);
        return target.append(...args);
      };
    },
  });
}
const sentKeys = (events: IncidentEvent[]) => events.flatMap((e) => (e.type === 'reminder-sent' ? [e.key] : []));

describe('reminders falling due in the same minute', () => {
  it('are one post: a header, each obligation numbered, one escalation, one acknowledge line and button; each recorded under its own key', async () => {
    const posted: Array<[string, number]> = [];
    const appends: string[][] = [];
    const store = watched(createSqliteStore(':memory:'), (events) => { if (sentKeys(events).length) appends.push(sentKeys(events)); });
    const { chat, sender, runUntil } = await leak(undefined, { store, ticker: { onPosted: (r, atMs) => posted.push([r.key, atMs]) } });
    await runUntil('2026-12-04T09:55:00+08:00');
    const before = sender.sent.length;
    const version = (await loadIncident(chat.store, ID))!.version;
    await runUntil('2026-12-04T10:00:00+08:00');
    const ten = sender.sent.slice(before);
    expect(ten).toHaveLength(1);
    const [post] = ten;
    const lines = post!.text.split('\n');
    expect(lines[0]).toBe(`⏰ ${ID} 客户信息泄露：以下 5 项义务同时提醒，请逐项处理：`);
    expect(lines.filter((l) => /^\d\. /.test(l))).toEqual([
      expect.stringMatching(/^1\. ⏰ 事发简要报告现在到期（2026-12-04 10:00 北京时间，第十五条）。$/),
      expect.stringMatching(/^2\. ⏰ 【网信部门】向网信部门初次报告现在到期/),
      expect.stringMatching(/^3\. ⏰ 【个人信息保护法】立即采取补救措施应立即履行/),
      expect.stringMatching(/^4\. ⏰ 【个人信息保护法】通知履行个人信息保护职责的部门应立即履行/),
      expect.stringMatching(/^5\. ⏰ 【个人信息保护法】通知个人应立即履行/),
    ]);
    // Where to send each and how to record each; the rung, the acknowledge line and the mentions once.
    expect(post!.text).toContain('报送：受影响的个人');
    for (const cmd of ['brief', 'cac initial', 'pipl remedy', 'pipl notify-authority', 'pipl notify-individuals']) expect(post!.text).toContain(`/incident report ${ID} ${cmd} via <渠道>`);
    expect(lines.filter((l) => l.startsWith('⬆'))).toEqual(['⬆ 升级至值班负责人（第1级）。']);
    expect(lines.filter((l) => l.startsWith('知悉请回复'))).toEqual([`知悉请回复：/incident ack ${AT_TEN.join(',')} ${ID}（至下一升级前暂停提醒，不视为已报送）`]);
    expect(post!.ack).toEqual({ command: `ack ${AT_TEN.join(',')} ${ID}`, label: '知悉' });
    expect(isAckCommand(post!.ack!.command)).toBe(true);
    expect(new Set(post!.mentions).size).toBe(post!.mentions.length);
    // Claimed under a key its members decide; each member recorded under its own, with one append after the post.
    const members = AT_TEN.map((o) => `${ID}:${o}:E1`);
    expect(post!.key).toBe(groupKey(ID, members.map((key) => ({ key }) as Reminder)));
    expect(post!.key).toMatch(new RegExp(`^${ID}:group:[0-9a-f]{16}$`));
    const s = (await loadIncident(chat.store, ID))!;
    expect(s.remindersSent.slice(-5).sort()).toEqual([...members].sort());
    expect(s.version).toBe(version + 5);
    expect(appends.at(-1)!.sort()).toEqual([...members].sort());
    expect(posted.filter(([, at]) => at === post!.atMs).map(([k]) => k).sort()).toEqual([...members].sort());
    // Overdue half an hour later: ‼ in the header and on every line, PBoC's 逾期未报属违规 kept, the next rung once.
    await runUntil('2026-12-04T10:30:00+08:00');
    const late = sender.sent.at(-1)!;
    expect(late.text.split('\n')[0]).toBe(`‼ ${ID} 客户信息泄露：以下 5 项义务同时提醒，请逐项处理：`);
    expect(late.text).toMatch(/^1\. ‼ 事发简要报告已逾期 30分钟（截止 2026-12-04 10:00 北京时间，第十五条）。逾期未报属违规，请立即报送。$/m);
    expect(late.text.match(/^\d\. ‼ /gm)).toHaveLength(5);
    expect(late.text.split('\n').filter((l) => l.startsWith('⬆'))).toEqual(['⬆ 升级至分管领导（第2级）。']);
    expect(sender.sent.slice(before)).toHaveLength(2);
  });

  it('read in English when the conversation does', async () => {
    const { chat, sender, runUntil } = await leak();
    await chat.say('/incident lang en');
    await runUntil('2026-12-04T10:00:00+08:00');
    const lines = sender.sent.at(-1)!.text.split('\n');
    expect(lines[0]).toBe(`⏰ ${ID} 客户信息泄露: 5 obligations at once; handle each one:`);
    expect(lines[1]).toBe('1. ⏰ The brief report is due now (2026-12-04 10:00 Beijing time, Art. 15).');
    expect(lines).toContain('⬆ Escalated to the duty manager (step 1).');
    expect(lines.filter((l) => l.startsWith('Acknowledge:'))).toEqual([`Acknowledge: /incident ack ${AT_TEN.join(',')} ${ID} (quiet until the next escalation step; does not mark it reported)`]);
  });

  it('one reminder alone is the post it always was', async () => {
    const chat = await FakeChat.start('2026-11-30T09:00:00+08:00');
    await chat.say('/incident new 勒索');
    await chat.say('/incident set ransomwareHarm 是'); // 较大 at 09:00: the brief report is due 10:00
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config: botConfig(), sender, now: chat.clock.now });
    chat.clock.set('2026-11-30T09:30:00+08:00');
    await ticker.tick();
    expect(sender.sent).toHaveLength(1);
    const [post] = sender.sent;
    expect(post!.key).toBe('INC-20261130-01:brief:T-30');
    expect(post!.ack).toEqual({ command: 'ack brief INC-20261130-01', label: '知悉' });
    const lines = post!.text.split('\n');
    expect(lines[0]).toBe('⏰ INC-20261130-01 勒索：事发简要报告截止 2026-11-30 10:00（北京时间，第十五条），还剩 30分钟。');
    expect(lines.at(-1)).toBe('知悉请回复：/incident ack brief INC-20261130-01（至下一升级前暂停提醒，不视为已报送）');
    expect(lines.some((l) => /^\d\. /.test(l))).toBe(false);
  });

  it('a crash between posting and recording does not post it again: the restarted ticker finds the post and records every member', async () => {
    // The first process posts, then dies before its record reaches the store.
    let crashed = false;
    const real = createSqliteStore(':memory:');
    const dying = watched(real, (events) => { if (crashed && sentKeys(events).length) throw new Error('the process died'); });
    const { chat, config, sender, runUntil } = await leak(undefined, { store: dying, sender: (now) => new CheckingSender(now) });
    await runUntil('2026-12-04T09:55:00+08:00');
    const before = sender.sent.length;
    crashed = true;
    await runUntil('2026-12-04T10:00:00+08:00');
    expect(sender.sent.slice(before)).toHaveLength(1); // it went out
    expect((await loadIncident(real, ID))!.remindersSent.filter((k) => k.endsWith(':E1'))).toEqual([]); // not recorded
    // A new process, after the first one's claim ran out: the same members, the same key, found on the platform.
    chat.clock.set('2026-12-04T10:02:00+08:00');
    const restarted = createTicker({ store: real, config, sender, now: chat.clock.now });
    await restarted.reindex();
    const r = await restarted.tick();
    await restarted.tick();
    expect(sender.sent.slice(before)).toHaveLength(1);
    expect(r.sent.map((x) => x.key).sort()).toEqual(AT_TEN.map((o) => `${ID}:${o}:E1`).sort());
    expect((await loadIncident(real, ID))!.remindersSent.filter((k) => k.endsWith(':E1')).sort()).toEqual(AT_TEN.map((o) => `${ID}:${o}:E1`).sort());
  });

  it('a post carries at most as many as a button can name; a digest slot is its own post', () => {
    const r = (n: number, extra: Partial<Reminder> = {}): Reminder => ({ key: `${ID}:o${n}:E1`, incidentId: ID, obligation: 'brief', obligationKey: `o${n}`, step: 'E1', atMs: 60_000 * 1000 + n, dueAtMs: 0, overdue: true, late: false, ...extra });
    const due = [...Array.from({ length: GROUP_MAX + 1 }, (_, i) => r(i)), r(99, { step: 'D@2026-12-04T0900', digest: true }), r(100, { atMs: 60_000 * 1001 })];
    expect(postsOf(due).map((p) => p.map((x) => x.obligationKey))).toEqual([['o0', 'o1', 'o2', 'o3', 'o4', 'o5'], ['o6'], ['o99'], ['o100']]);
    const command = `ack ${Array.from({ length: GROUP_MAX }, (_, i) => `n${i}`).join(',')} ${ID}`;
    expect(isAckCommand(command)).toBe(true);
  });
});

describe('acknowledging a post of several', () => {
  it('`ack brief，cac.initial` acknowledges each; a name the bot does not know in the list acknowledges none', async () => {
    const { chat, runUntil, sender } = await leak();
    await runUntil('2026-12-04T10:05:00+08:00');
    const acks = async () => (await loadIncident(chat.store, ID))!.acks.map((a) => a.obligation);
    await chat.say('/incident ack brief，cac.initial，bogus').expectError('不认识的提醒义务“bogus”');
    expect(await acks()).toEqual([]);
    const ok = await chat.say(`/incident ack brief，cac.initial, pipl.remedy，简要报告 ${ID}`).expectReply('知悉以下 3 项义务的提醒');
    expect(ok).toMatch(/• “事发简要报告”：2026-12-04 10:30 升级至分管领导之前不再提醒/);
    expect(await acks()).toEqual(['brief', 'cac.initial', 'pipl.remedy']);
    // Quiet until the next rung: nothing before 10:30.
    const before = sender.sent.length;
    await runUntil('2026-12-04T10:25:00+08:00');
    expect(sender.sent.length).toBe(before);
  });

  it('an obligation reported meanwhile is left out and said so; the button’s command is a list, and a list with a space or seven names is no button’s', async () => {
    const { chat, runUntil } = await leak();
    await runUntil('2026-12-04T10:05:00+08:00');
    await chat.say('/incident report brief via phone contact 王五');
    await chat.say('/incident lang en');
    await chat.say('/incident ack brief,nonsense').expectError('Unknown obligation "nonsense"');
    const text = await chat.say('/incident ack brief,cac.initial').expectReply('acknowledged the reminders of 1 obligations');
    expect(text).toContain('Reported or no longer required, nothing to acknowledge: brief.');
    expect((await loadIncident(chat.store, ID))!.acks.map((a) => a.obligation)).toEqual(['cac.initial']);
    expect(isAckCommand(`ack brief,cac.initial ${ID}`)).toBe(true);
    for (const bad of [`ack brief, cac.initial ${ID}`, `ack brief,,cac.initial ${ID}`, `ack brief, ${ID}`, `ack ,brief ${ID}`, `ack ${Array.from({ length: 7 }, () => 'brief').join(',')} ${ID}`, `ack brief,cac.initial ${ID}\nresolve`]) {
      expect(isAckCommand(bad), bad).toBe(false);
    }
  });
});
