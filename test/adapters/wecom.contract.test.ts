import { expect, it } from 'vitest';
import type { Outgoing } from '../fakes/wecom-server.ts';
import { squash } from '../limits/long-text.ts';
import { limitCases, longDraft, platformContract } from './contract.ts';
import { wecomDriver } from './drivers/wecom.ts';
import { readable } from './wecom/harness.ts';

platformContract(wecomDriver);

limitCases('WeCom limits: a markdown reply of at most 20,480 bytes', (start) => {

  it('a draft of three 3,900-character narratives is one reply cut to 20,480 bytes on a character boundary, marked …', async () => {
    const s = await start(wecomDriver);
    const { texts } = await longDraft(s.p);
    const sent = s.p.payloads() as Outgoing[];
    for (const m of sent) if (m.markdown !== null) expect(Buffer.byteLength(m.markdown)).toBeLessThanOrEqual(20_480);
    const draft = sent.filter((m) => m.markdown !== null && readable(m.markdown).includes('根因'));
    expect(draft).toHaveLength(1);
    expect(Buffer.byteLength(draft[0]!.markdown!)).toBeGreaterThan(20_000); // cut near the limit, not far below it
    expect(draft[0]!.markdown).not.toMatch(/[\uD800-\uDBFF]$/);
    const shown = squash(readable(draft[0]!.markdown));
    expect(shown).toContain(squash(texts[0]!));
    expect(shown).toContain('…');
  });
});
