import { afterEach, describe, expect, it } from 'vitest';
import { unescapeMrkdwn } from '../../../adapters/slack/mrkdwn.ts';
import { messageViolation } from '../../limits/block-kit.ts';
import { narrative, squash } from '../../limits/long-text.ts';
import type { FakeMessage } from '../../fakes/slack-api.ts';
import { startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** What a reader sees of messages, in order: every block's text, Slack's entities and zero-width spaces gone. */
function seen(messages: readonly FakeMessage[]): string {
  return unescapeMrkdwn(messages.flatMap((m) => m.blocks).map((b) => {
    const x = b as { text?: { text?: string }; elements?: Array<{ text?: string }> };
    return [x.text?.text ?? '', ...(b.type === 'context' ? (x.elements ?? []).map((e) => e.text ?? '') : [])].join('\n');
  }).join('\n'));
}

describe('Slack: long report texts reach the channel whole, every message within Block Kit limits', () => {
  it('three 3,900-character narratives and the final-report draft: split across messages, nothing cut', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slackDriver: alice } = h;
    await alice.commandLine('new 核心系统中断');
    const texts = { rootCause: narrative('根因'), lessons: narrative('教训'), improvements: narrative('整改') };
    for (const [item, text] of Object.entries(texts)) {
      expect(text).toHaveLength(3900);
      expect((await alice.commandLine(`set report.${item} ${text}`)).status).toBe(200);
    }
    const before = api.messages.length;
    await alice.commandLine('draft final');
    const draft = api.messages.slice(before);
    expect(draft.length).toBeGreaterThan(1); // one message could not hold it
    const shown = squash(seen(draft));
    for (const text of Object.values(texts)) expect(shown).toContain(squash(text));
    // Every payload the bot sent in this run passed the limit schemas (the fake refuses any that does not).
    expect(api.limitViolations).toEqual([]);
    for (const m of draft) expect(messageViolation({ text: m.text, blocks: m.blocks })).toBeNull();
    for (const c of [...api.callsTo('chat.postMessage'), ...api.callsTo('chat.postEphemeral'), ...api.callsTo('response_url')]) {
      expect(messageViolation({ text: c.body.text, blocks: c.body.blocks })).toBeNull();
    }
    // The parts of the draft are channel messages, one after the other.
    expect(draft.every((m) => m.channel === 'C1' && m.ephemeralTo === null)).toBe(true);
  });
});
