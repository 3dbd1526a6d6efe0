import { expect, it } from 'vitest';
import { unescapeMrkdwn } from '../../adapters/slack/render/mrkdwn.ts';
import type { FakeMessage } from '../fakes/slack-api.ts';
import { squash } from '../limits/long-text.ts';
import { limitCases, longDraft, platformContract } from './contract.ts';
import { slackDriver } from './drivers/slack.ts';

platformContract(slackDriver);

limitCases('Slack limits: 50 blocks a message, 3,000 characters a text', (start) => {

  /** Every text object of a message's blocks: section texts and fields, context elements, headers. */
  const texts = (m: FakeMessage): string[] => m.blocks.flatMap((b) => {
    const x = b as { text?: { text?: string }; fields?: Array<{ text: string }>; elements?: Array<{ text?: string }> };
    return [x.text?.text, ...(x.fields ?? []).map((f) => f.text), ...(b.type === 'context' ? (x.elements ?? []).map((e) => e.text) : [])].filter((t): t is string => typeof t === 'string');
  });

  it('a draft of three 3,900-character narratives: several channel messages, none over 50 blocks or 3,000 characters a text, nothing cut', async () => {
    const s = await start(slackDriver);
    const before = (s.p.payloads() as FakeMessage[]).length;
    const { texts: narratives } = await longDraft(s.p);
    const all = s.p.payloads() as FakeMessage[];
    const draft = all.slice(before).filter((m) => m.channel === 'C1' && m.ephemeralTo === null).slice(1); // after the new incident's card
    expect(draft.length).toBeGreaterThan(1); // one message could not hold it
    for (const m of all) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      for (const t of texts(m)) expect(t.length).toBeLessThanOrEqual(3000);
    }
    const shown = squash(unescapeMrkdwn(draft.flatMap(texts).join('\n')));
    for (const n of narratives) expect(shown).toContain(squash(n));
  });
});
