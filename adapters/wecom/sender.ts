import { randomUUID } from 'node:crypto';
import type { Lang } from '../../src/i18n/index.ts';
import type { Sender } from '../../src/reminders/message.ts';
import { pushReplies } from './deliver.ts';
import { ackCard, taskIdOf } from './cards.ts';
import { isAckCommand } from '../ack.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import { langOf } from './markdown.ts';
import type { Messenger } from './messenger.ts';

/**
 * The reminder ticker's Sender: pushes the reminder to the incident's chat (aibot_send_msg) as markdown that
 * mentions the responsible people (<@userid>). WeCom has no threads, so it goes to the chat itself. Throws when
 * WeCom did not take it: the ticker tries again later with its own backoff. `messenger` should not retry much
 * itself (app.ts gives it none): each wait here holds up the whole tick.
 */
export function wecomSender(deps: { messenger: Messenger; lang: Lang; log: (msg: string) => void }): Sender {
  return {
    async send(m) {
      if (!m.conversation.startsWith('wecom:')) throw new Error(`wecom sender: ${m.conversation} is not a WeCom chat`);
      const chatId = m.conversation.slice('wecom:'.length);
      const seed = m.key ?? randomUUID();
      await pushReplies(deps, chatId, m.replies, { lang: langOf(m.replies, deps.lang), group: true, seed, mentions: m.mentions });
      // The acknowledge button follows on a card of its own. The reminder itself went: a card WeCom refused is logged,
      // not thrown (a retry would post the reminder twice); the printed `/incident ack` line still works.
      if (m.ack && isAckCommand(m.ack.command)) {
        const title = renderText(m.replies).split('\n')[0] ?? '';
        await deps.messenger.sendCard(chatId, ackCard(title, m.incidentId, m.ack, taskIdOf(`${seed}:ack`)))
          .catch((e: Error) => deps.log(`wecom: the acknowledge button for ${m.key ?? m.incidentId} was not taken (${e.message})`));
      }
    },
  };
}
