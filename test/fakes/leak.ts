// A personal-information leak at a CII bank that NFRA regulates, driven through the real bot and ticker on a fake
// clock: PBoC's brief report, CAC's initial report and PIPL's three 立即 duties all fall due at 10:00.
import { createTicker, type TickerDeps } from '../../src/reminders/ticker.ts';
import { parseIso } from '../../src/calendar/time.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig, FakeChat } from './chat.ts';
import { RecordingSender } from './sender.ts';

export const leakConfig = () => botConfig({ profile: { ciiOperator: true, ciiProtectionDepartment: '行业主管部门', regulators: ['nfra'] } });

/** The bot and a ticker posting to a RecordingSender (or what `sender` makes); runUntil ticks every stepMinutes up to iso. */
export async function tickerChat(nowIso: string, opts: { store?: Store; sender?: (now: () => number) => RecordingSender; ticker?: Partial<TickerDeps> } = {}) {
  const config = leakConfig();
  const chat = await FakeChat.start(nowIso, { config, ...(opts.store ? { store: opts.store } : {}) });
  const sender = opts.sender?.(chat.clock.now) ?? new RecordingSender(chat.clock.now);
  const ticker = createTicker({ store: chat.store, config, sender, now: chat.clock.now, ...opts.ticker });
  const runUntil = async (iso: string, stepMinutes = 5) => {
    const end = parseIso(iso);
    while (chat.clock.ms < end) {
      chat.clock.ms = Math.min(end, chat.clock.ms + stepMinutes * 60_000);
      await ticker.tick();
    }
  };
  return { chat, sender, ticker, config, runUntil };
}

/** A leak of 120万 persons' information with a 1,200万元 loss, declared at 09:00 on Friday 2026-12-04. */
export async function leak(nowIso = '2026-12-04T09:00:00+08:00', opts: Parameters<typeof tickerChat>[1] = {}) {
  const t = await tickerChat(nowIso, opts);
  await t.chat.say('/incident new 客户信息泄露');
  for (const line of ['occurredAt 08:40', 'network 核心银行系统', 'disrupted 否', 'data.coreData 否', 'data.importantData 否', 'data.personalInfoIncident 是', 'personal 120万', 'cac.personalInfoPersons 120万', 'cac.directLossYuan 1200万元']) {
    await t.chat.say(`/incident set ${line}`);
  }
  return t;
}
