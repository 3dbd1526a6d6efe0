import { expect, it } from 'vitest';
import type { SentMessage } from '../fakes/dingtalk-api.ts';
import { squash } from '../limits/long-text.ts';
import { limitCases, longDraft, platformContract } from './contract.ts';
import { dingtalkDriver } from './drivers/dingtalk.ts';
import { textOf } from './dingtalk/harness.ts';

platformContract(dingtalkDriver);

limitCases('DingTalk limits: a text message of at most 5,000 characters', (start) => {

  it('a draft of three 3,900-character narratives: several text messages, none over 5,000 characters, nothing cut', async () => {
    const s = await start(dingtalkDriver);
    const before = s.p.payloads().length;
    const { texts } = await longDraft(s.p);
    const sent = (s.p.payloads() as SentMessage[]).slice(before);
    for (const m of sent) if (m.msgKey === 'sampleText') expect(String(m.content.content).length).toBeLessThanOrEqual(5000);
    const draft = sent.filter((m) => m.msgKey === 'sampleText').slice(1); // after the new incident's answer
    expect(draft.length).toBeGreaterThan(2);
    const shown = squash(draft.map(textOf).join('\n'));
    for (const t of texts) expect(shown).toContain(squash(t));
  });
});
