import { expect, it } from 'vitest';
import type { Outgoing } from '../fakes/wecom-server.ts';
import { squash } from '../limits/long-text.ts';
import { limitCases, longDraft, platformContract } from './contract.ts';
import { wecomDriver } from './drivers/wecom.ts';

platformContract(wecomDriver);

limitCases('WeCom limits: markdown messages of at most 20,480 bytes each', (start) => {

  it('a draft of three 3,900-character narratives: several markdown messages, none over 20,480 bytes, in order, nothing cut', async () => {
    const s = await start(wecomDriver);
    const { texts, before } = await longDraft(s.p);
    const sent = s.p.payloads() as Outgoing[];
    for (const m of sent) if (m.markdown !== null) expect(Buffer.byteLength(m.markdown)).toBeLessThanOrEqual(20_480);
    for (const m of sent) if (m.markdown !== null) expect(m.markdown).not.toMatch(/[\uD800-\uDBFF]$/);
    // The first part on the command's req_id, the rest pushed to the chat after it.
    const draft = s.p.said().slice(before);
    expect(draft.length).toBeGreaterThan(1);
    const shown = squash(draft.join('\n'));
    const at = texts.map((t) => shown.indexOf(squash(t)));
    for (const i of at) expect(i).toBeGreaterThanOrEqual(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
