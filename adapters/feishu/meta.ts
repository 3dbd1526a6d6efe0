// Feishu as the registry knows it before it starts (adapters/platforms.ts): names, the variable that turns it on
// and its conversation ids, apart from the declaration so that a run without Feishu loads none of its code.
import type { PlatformMeta } from '../kit/platform.ts';

export const feishuMeta = {
  id: 'feishu',
  title: 'Feishu',
  envPrefix: 'FEISHU',
  enabledBy: 'FEISHU_APP_ID',
  conversation: 'feishu:oc_[A-Za-z0-9_-]+',
  closeFirst: true,
} as const satisfies PlatformMeta;
