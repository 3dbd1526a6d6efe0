// `npm run bench`: runs every bench below in turn and prints one table per bench, after the machine it ran on.
// A bench measures its own baseline in the same run and reports ratios against it (team rule), so the
// tables compare across machines; no test asserts on timings.
import os from 'node:os';
import { pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  rows: Array<Record<string, string | number>>;
}
export type Bench = () => Promise<BenchResult>;

/** Every bench `npm run bench` runs, in order. Add new ones here. Loaded lazily, so that a bench module
 *  can import this one to run itself standalone without an import cycle. */
export const BENCHES: Bench[] = [
  async () => (await import('./grading.ts')).benchGrading(),
  async () => (await import('./ticker.ts')).benchTicker(),
  async () => (await import('./ticker-slow-send.ts')).benchTickerSlowSend(),
  async () => (await import('./core.ts')).benchCore(),
  async () => (await import('./adapters-slack.ts')).benchSlack(),
  async () => (await import('./adapters-feishu.ts')).benchFeishu(),
  async () => (await import('./crash.ts')).benchCrashFeishu(),
  async () => (await import('./crash.ts')).benchCrashSlack(),
  async () => (await import('./load-slack.ts')).benchLoadSlack(),
  async () => (await import('./adapters-wecom.ts')).benchWecom(),
  async () => (await import('./adapters-dingtalk.ts')).benchDingtalk(),
  async () => (await import('./alerts.ts')).benchAlerts(),
  async () => (await import('./web.ts')).benchWeb(),
  async () => (await import('./startup.ts')).benchStartup(),
  async () => (await import('./lateness.ts')).benchLateness(),
  async () => (await import('./escapers.ts')).benchEscapers(),
  async () => (await import('./chain.ts')).benchChain(),
];

export function machineInfo(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return [
    `cpu:  ${model}, ${cpus.length} cores`,
    `node: ${process.version} (${process.platform} ${process.arch}, V8 ${process.versions.v8})`,
    `mem:  ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  ].join('\n');
}

/** A plain-text table over the union of the rows' keys; numbers right-aligned with thousands separators. */
export function formatTable(rows: ReadonlyArray<Record<string, string | number>>): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en') : v);
  const numeric = columns.map((c) => rows.every((r) => r[c] === undefined || typeof r[c] === 'number'));
  // String widths by code point, counting CJK characters as two columns (grade names are Chinese).
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = columns.map((c) => Math.max(width(c), ...rows.map((r) => width(cell(r[c])))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i]! - width(s));
    return numeric[i] ? fill + s : s + fill;
  };
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  return [line(columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

export async function runBenches(benches: readonly Bench[] = BENCHES): Promise<void> {
  console.log(machineInfo());
  for (const bench of benches) {
    const result = await bench();
    console.log(`\n${result.name}\n${formatTable(result.rows)}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runBenches();
}
