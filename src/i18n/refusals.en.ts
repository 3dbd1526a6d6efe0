// en texts of refusals.zh-CN.ts.
import type { zhRefusals } from './refusals.zh-CN.ts';

export const enRefusals: typeof zhRefusals = {
  'refused.storeDown.message': 'Storage is unavailable right now: this message was not taken and nothing was recorded. Send the same message again shortly; everything recorded before is safe.',
  'refused.storeDown.command': 'Storage is unavailable right now: this command was not taken and nothing was recorded. Send the same command again shortly; everything recorded before is safe.',
  'refused.busy.message': 'The bot is busy: this message was not taken and nothing was recorded. Send the same message again in a moment.',
  'refused.busy.command': 'The bot is busy (its queue of commands is full): this command was not taken and nothing was recorded. Try again in a moment.',
  'refused.tooLong': 'The message is too long (over 20,000 characters): it was not handled and nothing was recorded. Send it in parts, or set each item with /incident set.',
  'refused.channel': (p) => `This channel is not allowed to use the incident bot (${p.setting}). Use an authorised incident channel, or ask your administrator.`,
  'refused.chat': (p) => `The incident bot is not enabled in this chat (${p.setting})`,
  'refused.chatOrUser': (p) => `The incident bot is not enabled in this chat or for this account (${p.setting}).`,
  'refused.user': (p) => `You are not allowed to use the incident bot (${p.setting}). Ask your administrator.`,
  'toast.storeDown': 'Storage is unavailable: this answer was not recorded. Try again shortly.',
  'toast.busy': 'The bot is busy: this answer was not recorded. Try again in a moment.',
};
