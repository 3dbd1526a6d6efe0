import { randomUUID } from 'node:crypto';
import type { Lang } from '../../src/i18n/index.ts';
import type { Sender } from '../../src/reminders/message.ts';
import type { Store } from '../../src/store/types.ts';
import { ACK_VALUE, deliver, outTrackIdOf, rememberAckCard } from './deliver.ts';
import { isAckCommand } from '../ack.ts';
import type { OpenApi } from './openapi.ts';
import { targetOf } from './parse.ts';
import { cardParams, chunks, mentionIds, reminderText } from './render.ts';

/**
 * The reminder ticker's Sender, through the robot OpenAPI (the sessionWebhook of a message expires after about
 * 90 minutes, so it cannot carry a reminder due hours later). Reminders and escalations go as text ending in the
 * responsible people as `@name`; with a card template configured, as a card carrying the acknowledge button (its one
 * option) and, in a group, pinging the `dingtalk:<userId>` entries among them through atUserIds (the robot's text send API has no mention field). Anything with a card
 * goes as a card. Throws when DingTalk did not take it: the ticker tries again later with its own backoff.
 */
export function dingtalkSender(deps: { api: OpenApi; store: Store; now: () => number; lang: Lang; log: (msg: string) => void; cardTemplateId: string | null }): Sender {
  return {
    async send(m) {
      const to = targetOf(m.conversation);
      if (!to) throw new Error(`dingtalk sender: ${m.conversation} is not a DingTalk chat`);
      const plain = m.replies.every((r) => r.type === 'text' || r.type === 'error');
      if (!plain) {
        await deliver(deps, to, m.conversation, m.replies, deps.lang, `out:${m.key ?? randomUUID()}`);
        return;
      }
      const ids = to.kind === 'group' ? mentionIds(m.mentions) : [];
      const ack = m.ack && isAckCommand(m.ack.command) ? m.ack : null;
      if (deps.cardTemplateId && (ids.length || ack)) {
        const outTrackId = outTrackIdOf(`remind:${m.key ?? randomUUID()}`);
        const params = { ...cardParams([], deps.lang), body: reminderText(m.replies, m.mentions), ...(ack ? { options: JSON.stringify([{ label: ack.label, value: ACK_VALUE }]) } : {}) };
        // The card's record first: a click can come as soon as the card is there.
        if (ack) await rememberAckCard(deps.store, outTrackId, { conversation: m.conversation, lang: deps.lang, incidentId: m.incidentId, label: ack.label, command: ack.command }, deps.now());
        await deps.api.createCard(to, { templateId: deps.cardTemplateId, outTrackId, params, ...(ids.length ? { atUserIds: ids } : {}) });
        return;
      }
      for (const text of chunks(reminderText(m.replies, m.mentions))) await deps.api.send(to, { msgKey: 'sampleText', msgParam: { content: text } });
    },
  };
}
