import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { readSettings as readSlackSettings } from '../../../adapters/slack/settings.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../../fakes/slack-harness.ts';

interface Manifest {
  display_information: { name: string; description: string; long_description: string; background_color: string };
  features: { bot_user: { display_name: string }; slash_commands: Array<{ command: string; url: string; should_escape: boolean }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

const manifest = YAML.parse(readFileSync(new URL('../../../adapters/slack/manifest.yaml', import.meta.url), 'utf8')) as Manifest;

describe('the app manifest', () => {
  it('declares what the adapter uses: the default command, its scopes, interactivity, app_mention, one request URL', () => {
    const { command } = readSlackSettings({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([command]);
    expect(manifest.features.slash_commands[0]!.should_escape).toBe(false);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'chat:write.public', 'commands', 'files:write', 'groups:history']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_mention']);
    const urls = [manifest.features.slash_commands[0]!.url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url];
    expect(urls.every((u) => u.startsWith('https://') && u.endsWith('/slack/events'))).toBe(true);
    expect(typeof manifest.settings.socket_mode_enabled).toBe('boolean');
  });

  it('stays within Slack\'s manifest limits', () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description.length).toBeLessThanOrEqual(140);
    expect(d.long_description.length).toBeGreaterThanOrEqual(175);
    expect(d.long_description.length).toBeLessThanOrEqual(4000);
    expect(d.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
  });

  it('validates against Slack\'s published manifest JSON schema (the subset in test/fixtures, source named there)', () => {
    const schema = JSON.parse(readFileSync(new URL('../../fixtures/slack-manifest.schema.subset.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not a formality: a key Slack does not know, or a command without its slash, is refused.
    expect(validate({ ...manifest, settings: { ...manifest.settings, bogus: true } })).toBe(false);
    expect(validate({ ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'incident', description: 'x' }] } })).toBe(false);
  });
});
