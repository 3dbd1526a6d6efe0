// WeCom as the kit runs it: the smart robot's messages, card clicks and enter_chat in over its long connection (no
// public URL); answers on each callback's req_id while it is live, pushes, card updates and files over the same one.
import type { PlatformDeclaration } from '../kit/platform.ts';
import { wecomMeta } from './meta.ts';
import { parse, type WecomPayload, type WecomTarget } from './parse.ts';
import { render, type WecomCardUpdate, type WecomMessage } from './render/index.ts';
import { settings, type WecomSettings } from './settings.ts';

export const wecom: PlatformDeclaration<WecomSettings, WecomPayload, WecomTarget, WecomMessage, WecomCardUpdate> = {
  ...wecomMeta,
  settings,
  parse,
  render,
  // The SDK is loaded only when WeCom starts.
  transport: async (ctx) => (await import('./transport.ts')).wecomTransport(ctx),
  // WeCom never sends a callback again: a full inbox is said on the callback's req_id (or, for a click, in its chat).
  neverResends: true,
  // WeCom takes a card update only within 5 s of the click.
  cardUpdateBudgetMs: 3000,
};
