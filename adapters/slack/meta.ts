// Slack as the registry knows it before it starts (adapters/platforms.ts): names, the variable that turns it on
// and its conversation ids, apart from the declaration so that a run without Slack loads none of its code.
import type { PlatformMeta } from '../kit/platform.ts';

export const slackMeta = {
  id: 'slack',
  title: 'Slack',
  envPrefix: 'SLACK',
  enabledBy: 'SLACK_BOT_TOKEN',
  conversation: 'slack:[TE][A-Z0-9]+:[CGD][A-Z0-9]+',
} as const satisfies PlatformMeta;
