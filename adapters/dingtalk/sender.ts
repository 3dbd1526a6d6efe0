import { randomUUID } from 'node:crypto';
import type { Lang } from '../../src/i18n/index.ts';
import type { Sender } from '../../src/reminders/message.ts';
import type { Store } from '../../src/store/types.ts';
import { deliver, outTrackIdOf } from './deliver.ts';
import type { OpenApi } from './openapi.ts';
import { targetOf } from './parse.ts';
import { cardParams, chunks, mentionIds, reminderText } from './render.ts';

/**
 * The reminder ticker's Sender, through the robot OpenAPI (the sessionWebhook of a message expires after about
 * 90 minutes, so it cannot carry a reminder due hours later). Reminders and escalations go as text ending in the
 * responsible people as `@name`; with a card template configured and `dingtalk:<userId>` entries among them, as a
 * card whose atUserIds ping those people (the robot's text send API has no mention field). Anything with a card
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
      const ids = mentionIds(m.mentions);
      if (deps.cardTemplateId && ids.length && to.kind === 'group') {
        const params = { ...cardParams([], deps.lang), body: reminderText(m.replies, m.mentions) };
        await deps.api.createCard(to, { templateId: deps.cardTemplateId, outTrackId: outTrackIdOf(`remind:${m.key ?? randomUUID()}`), params, atUserIds: ids });
        return;
      }
      for (const text of chunks(reminderText(m.replies, m.mentions))) await deps.api.send(to, { msgKey: 'sampleText', msgParam: { content: text } });
    },
  };
}
