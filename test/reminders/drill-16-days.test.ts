// A 重大 incident left with an unconfirmed email report and no incident report, resolved after 6 hours, then 16 days
// of drill time: the channel hears each overdue obligation climb the escalation ladder once, then one digest per
// working day slot, never at night, and still hears of the post-incident report before it falls due. Runs the
// compiled build (`npm start -- --drill`), as a user would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drillPosts, runDrill } from '../fakes/drill.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-drill16-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the 16-day drill (compiled build)', () => {
  it('at most 100 posts, none at night after the first day; every overdue obligation climbs the ladder; the post-incident report is still reminded of', async () => {
    const r = await runDrill(dir, [
      '/drill at 2026-12-04T09:00+08:00',
      '/incident new 勒索病毒攻击',
      '/incident set ransomwareHarm yes',
      '/incident report brief via email contact 王五',
      '/incident set data.importantData yes',
      '/drill advance 6h',
      '/incident resolve',
      '/drill advance 16d',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('演练时间 2026-12-20 15:00');
    const all = drillPosts(r.stdout);
    expect(all.length).toBeGreaterThan(10);
    expect(all.length).toBeLessThanOrEqual(100);
    const hour = (p: { at: string }) => Number(p.at.slice(11, 13));
    const night = all.filter((p) => p.at.slice(0, 10) > '2026-12-04' && (hour(p) >= 22 || hour(p) < 8));
    expect(night).toEqual([]);
    // Each overdue obligation: the three rungs of the bundled ladder, in order, each once.
    for (const [what, ack] of [['事发报告', 'incident'], ['R1', 'R1'], ['事中进展报告', 'progress']] as const) {
      // Its acknowledge line names it, alone or in a post with others falling due in the same minute (`incident,police.report`).
      const names = (p: { text: string }) => /\/incident ack (\S+) DRILL-/.exec(p.text)?.[1]?.split(',') ?? [];
      const rungs = all.filter((p) => names(p).includes(ack) && p.text.includes('⬆ 升级至'));
      expect(rungs.map((p) => /升级至(\S+?)（/.exec(p.text)?.[1]), what).toEqual(['值班负责人', '分管领导', '主管网络安全的领导班子成员']);
    }
    // After the ladder: digests, one per slot, on working days only.
    const digests = all.filter((p) => p.text.startsWith('📋'));
    expect(digests.length).toBeGreaterThan(0);
    expect(new Set(digests.map((p) => p.at)).size).toBe(digests.length);
    for (const d of digests) expect(['09:00', '14:00']).toContain(d.at.slice(11));
    expect(digests.map((p) => p.at.slice(0, 10))).not.toContain('2026-12-05'); // a Saturday
    expect(digests.map((p) => p.at.slice(0, 10))).not.toContain('2026-12-13'); // a Sunday
    // Handling ended at 15:00: no progress report reminders after it.
    expect(all.filter((p) => p.at > '2026-12-04 15:00' && p.text.includes('事中进展报告截止'))).toEqual([]);
    // The post-incident report (due 2026-12-18 24:00) is reminded of before it falls due.
    const final = all.filter((p) => p.text.includes('事后调查总结报告截止 2026-12-18 24:00'));
    expect(final.length).toBeGreaterThan(0);
    expect(final.every((p) => p.at < '2026-12-19')).toBe(true);
  }, 120_000);
});
