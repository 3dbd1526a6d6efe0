// Slack as the kit runs it: slash commands, interactions and mentions in through Bolt's receivers (HTTP on the one
// HTTP server, or Socket Mode); cards in the incident's thread, private answers ephemeral, files and reminders out
// through the Web API.
import type { PlatformDeclaration } from '../kit/platform.ts';
import { slackMeta } from './meta.ts';
import { refusal } from '../kit/refusals.ts';
import { parse, type Destination, type SlackPayload } from './parse.ts';
import { render, type SlackOut } from './render/index.ts';
import { settings, type SlackSettings } from './settings.ts';

export const slack: PlatformDeclaration<SlackSettings, SlackPayload, Destination, SlackOut, null> = {
  ...slackMeta,
  settings,
  parse,
  render,
  // Bolt is loaded only when Slack starts.
  transport: async (ctx) => (await import('./transport/index.ts')).slackTransport(ctx),
  // Slash commands, answers and mentions are all commands to the bot.
  noun: 'command',
  // Its channels are SLACK_ALLOWED_CHANNELS: the refusal names the channel or the person, and the variable.
  notAllowed: (by) => (by === 'chat' ? refusal('refused.channel', { setting: 'SLACK_ALLOWED_CHANNELS' }) : refusal('refused.user', { setting: 'SLACK_ALLOWED_USERS' })),
};
