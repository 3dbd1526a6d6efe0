// WeCom as the registry knows it before it starts (adapters/platforms.ts): names, the variable that turns it on
// and its conversation ids, apart from the declaration so that a run without WeCom loads none of its code.
import type { PlatformMeta } from '../kit/platform.ts';

export const wecomMeta = {
  id: 'wecom',
  title: 'WeCom',
  envPrefix: 'WECOM',
  enabledBy: 'WECOM_BOT_ID',
  conversation: 'wecom:[A-Za-z0-9_.:@-]+',
} as const satisfies PlatformMeta;
