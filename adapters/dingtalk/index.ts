// DingTalk as the kit runs it: robot messages and card callbacks in over the Stream connection (no public URL);
// replies, cards, files and reminders out through the OpenAPI.
import type { PlatformDeclaration } from '../kit/platform.ts';
import { dingtalkMeta } from './meta.ts';
import { parse } from './parse.ts';
import { render, type DingtalkMessage, type DingtalkPayload } from './render.ts';
import { settings, type DingtalkSettings } from './settings.ts';
import type { Target } from './transport.ts';

export const dingtalk: PlatformDeclaration<DingtalkSettings, DingtalkPayload, Target, DingtalkMessage, Record<string, string>> = {
  ...dingtalkMeta,
  settings,
  parse,
  render,
  // The SDK is loaded only when DingTalk starts.
  transport: async (ctx) => (await import('./transport.ts')).dingtalkTransport(ctx),
  // Groups must be in DINGTALK_ALLOWED_CHATS; with only the chats listed, no one-to-one chat.
  directNeedsUserList: true,
};
