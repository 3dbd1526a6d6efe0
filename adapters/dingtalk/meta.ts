// DingTalk as the registry knows it before it starts (adapters/platforms.ts): names, the variable that turns it on
// and its conversation ids, apart from the declaration so that a run without DingTalk loads none of its code.
import type { PlatformMeta } from '../kit/platform.ts';

export const dingtalkMeta = {
  id: 'dingtalk',
  title: 'DingTalk',
  envPrefix: 'DINGTALK',
  enabledBy: 'DINGTALK_CLIENT_ID',
  conversation: 'dingtalk:[A-Za-z0-9_.:@-]+',
  closeFirst: true,
} as const satisfies PlatformMeta;
