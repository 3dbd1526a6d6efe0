// The escapers and parsers that run over text a user typed, on their worst inputs (a run of line breaks before a
// list marker for Feishu's escapeMd; unclosed `<` for Slack's unformat; split and cut), at 1k, 10k and 100k
// characters. Linear growth shows as a time per character that stays flat: the ratio column is time per
// character against the 1k run of the same function, measured in this run (1.0x = linear; 10x per step = quadratic).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { escapeMd } from '../adapters/feishu/render.ts';
import { escapeMd as escapeWecomMd } from '../adapters/wecom/render/markdown.ts';
import { escapeMrkdwn } from '../adapters/slack/render/mrkdwn.ts';
import { unformat } from '../adapters/slack/parse.ts';
import { splitText } from '../adapters/text.ts';
import type { BenchResult } from './run.ts';

const SIZES = [1_000, 10_000, 100_000];

const CASES: Array<{ name: string; input: (n: number) => string; run: (s: string) => unknown }> = [
  { name: 'Feishu escapeMd, line breaks then "-"', input: (n) => `${'\n'.repeat(n - 1)}-`, run: escapeMd },
  { name: 'Feishu escapeMd, "  \\n" runs', input: (n) => ' \n'.repeat(n / 2), run: escapeMd },
  { name: 'WeCom escapeMd, line breaks then "-"', input: (n) => `${'\n'.repeat(n - 1)}-`, run: escapeWecomMd },
  { name: 'WeCom escapeMd, " \\n" runs', input: (n) => ' \n'.repeat(n / 2), run: escapeWecomMd },
  { name: 'Slack unformat, unclosed "<@"', input: (n) => '<@'.repeat(n / 2), run: unformat },
  { name: 'Slack unformat, unclosed "<"', input: (n) => '<'.repeat(n), run: unformat },
  { name: 'Slack escapeMrkdwn, marks and entities', input: (n) => '*_&<'.repeat(n / 4), run: escapeMrkdwn },
  { name: 'splitText at 3,000, no line breaks', input: (n) => '事'.repeat(n), run: (s) => splitText(s, 3000) },
];

/** Median ms of `rounds` runs (after one warm-up). */
function median(f: () => unknown, rounds: number): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function benchEscapers(): Promise<BenchResult> {
  const rows: Array<Record<string, string | number>> = [];
  for (const c of CASES) {
    let base = 0;
    for (const n of SIZES) {
      const input = c.input(n);
      const ms = median(() => c.run(input), n >= 100_000 ? 7 : 21);
      const perChar = ms / input.length;
      if (n === SIZES[0]) base = perChar;
      rows.push({ function: c.name, characters: input.length, 'median ms': Number(ms.toFixed(3)), 'µs per char': Number((perChar * 1000).toFixed(4)), 'per char vs 1k': `${(perChar / base).toFixed(2)}x` });
      await new Promise((r) => setImmediate(r));
    }
  }
  return { name: 'escapers on worst-case input (linear growth: per-char ratio stays near 1x)', rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runBenches } = await import('./run.ts');
  await runBenches([benchEscapers]);
}
