import { expect, it } from 'vitest';
import type { SentMessage } from '../fakes/feishu-api.ts';
import { CARD_BYTES_MAX } from '../limits/feishu-card.ts';
import { squash } from '../limits/long-text.ts';
import { limitCases, longDraft, platformContract } from './contract.ts';
import { feishuDriver } from './drivers/feishu.ts';
import { textOf } from './feishu/harness.ts';

platformContract(feishuDriver);

limitCases('Feishu limits: a card of at most 30 KB', (start) => {

  it('a draft of three 3,900-character narratives: several cards, each under 30 KB, nothing cut', async () => {
    const s = await start(feishuDriver);
    const { texts } = await longDraft(s.p);
    const sent = s.p.payloads() as SentMessage[];
    const cards = sent.filter((m) => m.msgType === 'interactive' && m.op !== 'patch');
    for (const c of cards) expect(Buffer.byteLength(JSON.stringify(c.content))).toBeLessThanOrEqual(CARD_BYTES_MAX);
    const draft = cards.filter((c) => textOf(c).includes('根因'));
    expect(draft.length).toBeGreaterThan(1); // one 30 KB card could not hold it
    const shown = squash(draft.map(textOf).join('\n'));
    for (const t of texts) expect(shown).toContain(squash(t));
  });
});
