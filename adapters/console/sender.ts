import { renderText } from '../../src/conversation/render-text.ts';
import type { Outbound, Sender } from '../../src/reminders/message.ts';
import { formatShanghaiMinute } from '../../src/calendar/time.ts';
import { inert } from './inert.ts';

/** Reminders and escalations printed to the terminal, stamped with the (possibly simulated) time. */
export function consoleSender(write: (s: string) => void, now: () => number, drill: boolean): Sender {
  return {
    async send(m: Outbound) {
      const who = m.mentions.length ? `\n${m.mentions.map((x) => `@${x}`).join(' ')}` : '';
      write(`[${drill ? 'drill ' : ''}${formatShanghaiMinute(now())}] ${inert(renderText(m.replies))}${inert(who)}\n\n`);
    },
  };
}
