// A personal-information leak at a CII bank that NFRA regulates, driven through the real bot and ticker on a fake
// clock: PBoC's brief report, CAC's initial report and PIPL's three 立即 duties all fall due at 10:00.
import { botConfig } from './chat.ts';
import { tickedChat, type TickedChatOptions } from './ticked-chat.ts';

export const leakConfig = () => botConfig({ profile: { ciiOperator: true, ciiProtectionDepartment: '行业主管部门', regulators: ['nfra'] } });

/** The bot and a ticker posting to a RecordingSender (or what `sender` makes); runUntil ticks every 5 minutes by default. */
export function tickerChat(nowIso: string, opts: TickedChatOptions = {}) {
  return tickedChat(nowIso, leakConfig(), 5, opts);
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
