import { afterEach, describe, expect, it } from 'vitest';
import { feishuMessageViolation } from '../../limits/feishu-card.ts';
import { narrative, squash } from '../../limits/long-text.ts';
import { FeishuUser, Harness, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('Feishu: long report texts reach the chat whole, every card within Feishu\'s limits', () => {
  it('three 3,900-character narratives and the final-report draft: several cards under 30 KB, and the draft as a file too', async () => {
    h = await Harness.start();
    const alice = new FeishuUser(h);
    await alice.say('/incident new 核心系统中断');
    const texts = { rootCause: narrative('根因'), lessons: narrative('教训'), improvements: narrative('整改') };
    for (const [item, text] of Object.entries(texts)) await alice.sayAll(`/incident set report.${item} ${text}`);
    const sent = await alice.sayAll('/incident draft final');
    const cards = sent.filter((m) => m.msgType === 'interactive');
    expect(cards.length).toBeGreaterThan(1); // one 30 KB card could not hold it
    const shown = squash(cards.map(textOf).join('\n'));
    for (const text of Object.values(texts)) expect(shown).toContain(squash(text));
    // Every message of the run was within the limit schemas (the fake refuses any that is not).
    expect(h.api.limitViolations).toEqual([]);
    for (const m of h.api.sent) if (m.op !== 'patch') expect(feishuMessageViolation(m.msgType, JSON.stringify(m.content))).toBeNull();
    // The later cards reply under the first; the draft also arrives as a text file, whole.
    for (const m of cards.slice(1)) expect(m.target).toBe(cards[0]!.messageId);
    const files = sent.filter((m) => m.msgType === 'file');
    expect(files).toHaveLength(1);
    const upload = h.api.uploads.at(-1)!;
    expect(upload.fileName).toMatch(/^INC-20261130-01-text-\d+\.txt$/);
    const fileText = Buffer.from(upload.data).toString('utf8');
    for (const text of Object.values(texts)) expect(squash(fileText)).toContain(squash(text)); // the draft indents continued lines
  });
});
