// Feishu (Lark) as the kit runs it: message events and card callbacks in, over the HTTP callbacks on the one HTTP
// server or the long connection; replies under the message answered (each incident's root kept for its reminders and
// files), card callbacks answered within Feishu's 3 s, files uploaded before the card that names them.
import type { PlatformDeclaration } from '../kit/platform.ts';
import { feishuMeta } from './meta.ts';
import { refusal } from '../kit/refusals.ts';
import { parse, type FeishuPayload } from './parse.ts';
import { render, type FeishuMessage, type FeishuUpdate } from './render.ts';
import { settings, type FeishuSettings } from './settings.ts';
import type { FeishuTarget } from './transport/send.ts';

export const feishu: PlatformDeclaration<FeishuSettings, FeishuPayload, FeishuTarget, FeishuMessage, FeishuUpdate> = {
  ...feishuMeta,
  settings,
  parse,
  render,
  // The SDK is loaded only when Feishu starts.
  transport: async (ctx) => (await import('./transport/index.ts')).feishuTransport(ctx),
  // A card callback is answered within 3 s: past this the toast says "working" and the card is patched when ready.
  cardUpdateBudgetMs: 2500,
  updatesAfterWorking: true,
  // Which list refused, by its own variable.
  notAllowed: (by) => refusal(by === 'chat' ? 'refused.chat' : 'refused.user', { setting: by === 'chat' ? 'FEISHU_ALLOWED_CHATS' : 'FEISHU_ALLOWED_USERS' }),
};
