import { t } from '../../src/i18n/index.ts';
// The incident's timeline as an SVG chart, rendered on the server by ECharts (no browser script).
// Every time is shown in Asia/Shanghai whatever the process time zone: instants are shifted by +8 h and
// the chart runs in UTC mode, so ECharts never consults the local zone.
// Readable: the time axis spans the incident's active window (from its first fact to its last deadline or
// report), not "until now"; every deadline is inside it; deadline labels are laid out in lanes so that no two overlap.
import * as echarts from 'echarts';
import type { Lang } from '../../src/i18n/index.ts';
import { LEVEL, GRADES } from '../../src/regimes/pboc-2025-4/grades.ts';
import { SHANGHAI_OFFSET_MS } from '../../src/calendar/time.ts';
import type { TimelineModel } from '../../src/web/model.ts';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 440;
const GRID = { left: 84, right: 40, top: 44, bottom: 56 };
const FONT_SIZE = 11;
const LANE = 1; // y units between two label lanes
const LANE_TOP = 0.55; // the first lane, just under 一般 (1)

const pad = (n: number) => String(n).padStart(2, '0');
/** "11-30 10:15" of a shifted instant (already Shanghai wall time, read in UTC). */
function label(shifted: number): string {
  const d = new Date(shifted);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A text's width in pixels, generously: CJK characters a full em, others 0.62 em. */
export function textWidth(text: string, size = FONT_SIZE): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffff]/.test(ch) ? size : size * 0.62;
  return w;
}

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"; // single quotes: the SVG puts it in a double-quoted attribute

/** The active window [start, end] in real instants: first grade or fact to the last deadline, report or event, with a margin. */
export function activeWindow(m: TimelineModel): { startMs: number; endMs: number; nowInside: boolean } {
  const times = [
    ...m.grades.map((g) => g.atMs), ...m.deadlines.map((d) => d.dueMs), ...m.deadlines.flatMap((d) => (d.metMs === null ? [] : [d.metMs])),
    ...m.log.map((r) => r.atMs),
  ];
  let start = Math.min(...times);
  let end = Math.max(...times);
  // "Now" belongs in the window while the incident is live (something still due after it or close to it).
  const pending = m.deadlines.some((d) => d.status !== 'met');
  if (pending && m.nowMs > end) end = m.nowMs;
  if (m.nowMs >= start && m.nowMs <= end) { /* inside already */ }
  const span = Math.max(end - start, 3600_000);
  start -= span * 0.06;
  end += span * 0.1;
  return { startMs: start, endMs: end, nowInside: m.nowMs >= start && m.nowMs <= end };
}

interface Placed { name: string; text: string; x: number; lane: number; dueMs: number }

/** Greedy lanes: each label goes in the highest lane where it clears the previous label by 10 px. */
function lanes(m: TimelineModel, startMs: number, endMs: number, plotWidth: number): Placed[] {
  const xOf = (ms: number) => GRID.left + ((ms - startMs) / (endMs - startMs)) * plotWidth;
  const right: number[] = [];
  return [...m.deadlines].sort((a, b) => a.dueMs - b.dueMs).map((d) => {
    const text = `${d.label}\n${label(d.dueMs + SHANGHAI_OFFSET_MS)}`;
    const w = Math.max(...text.split('\n').map((t) => textWidth(t))) + 4;
    const x = xOf(d.dueMs);
    let lane = right.findIndex((r) => r + 10 <= x - w / 2);
    if (lane === -1) { lane = right.length; right.push(0); }
    right[lane] = x + w / 2;
    return { name: d.label, text, x, lane, dueMs: d.dueMs };
  });
}

/** The grade as a step line, each deadline as a labelled triangle on its due time, each report as a point when it was met. */
export function timelineSvg(m: TimelineModel, lang: Lang, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const sh = (ms: number) => ms + SHANGHAI_OFFSET_MS;
  const { startMs, endMs, nowInside } = activeWindow(m);
  const placed = lanes(m, startMs, endMs, width - GRID.left - GRID.right);
  const laneCount = Math.max(1, ...placed.map((p) => p.lane + 1));
  const yOfLane = (lane: number) => LANE_TOP - lane * LANE;
  const yMin = Math.floor(yOfLane(laneCount - 1) - 0.4); // whole numbers, so that the grade ticks fall on 1..4
  // Grade levels as a number: 一般 1 ... 特别重大 4 (higher is worse).
  const y = (g: (typeof GRADES)[number]) => 5 - LEVEL[g];
  const gradeName = GRADES.reduce<Record<number, string>>((acc, g) => ({ ...acc, [y(g)]: g }), {});
  const steps = m.grades.map((g) => [sh(Math.max(g.atMs, startMs)), y(g.grade)] as [number, number]);
  const last = steps[steps.length - 1];
  if (last) steps.push([sh(Math.min(endMs, Math.max(m.nowMs, last[0] - SHANGHAI_OFFSET_MS))), last[1]]);
  const laneOf = new Map(placed.map((p) => [p.name + p.dueMs, p.lane]));
  const due = placed.map((p) => ({ value: [sh(p.dueMs), yOfLane(p.lane)], name: p.text }));
  const met = m.deadlines.filter((d) => d.metMs !== null && d.metMs >= startMs && d.metMs <= endMs)
    .map((d) => ({ value: [sh(d.metMs!), yOfLane(laneOf.get(d.label + d.dueMs) ?? 0)], name: d.label }));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    useUTC: true,
    textStyle: { fontFamily: FONT },
    legend: { top: 6, data: [t(lang, 'web.chart.grade'), t(lang, 'web.chart.due'), t(lang, 'web.chart.met')] },
    grid: GRID,
    xAxis: { type: 'time', min: sh(startMs), max: sh(endMs), axisLabel: { formatter: (v: number) => label(v), hideOverlap: true, fontSize: FONT_SIZE } },
    yAxis: {
      type: 'value', min: yMin, max: 4.5, interval: 1, splitLine: { show: false },
      axisLabel: { formatter: (v: number) => gradeName[Math.round(v)] !== undefined && Math.abs(v - Math.round(v)) < 1e-9 ? gradeName[Math.round(v)]! : '', fontSize: FONT_SIZE },
    },
    series: [
      {
        name: t(lang, 'web.chart.grade'), type: 'line', step: 'end', data: steps, symbol: 'none', lineStyle: { width: 3, color: '#b3261e' }, itemStyle: { color: '#b3261e' },
        markLine: nowInside
          ? { symbol: 'none', silent: true, lineStyle: { color: '#1f2a44', type: 'dashed' }, label: { formatter: t(lang, 'web.chart.now'), position: 'insideEndTop', fontSize: FONT_SIZE }, data: [{ xAxis: sh(m.nowMs) }] }
          : undefined,
      },
      {
        name: t(lang, 'web.chart.due'), type: 'scatter', data: due, symbol: 'triangle', symbolSize: 11, itemStyle: { color: '#e8710a' },
        label: { show: true, position: 'top', distance: 4, fontSize: FONT_SIZE, lineHeight: 16, formatter: (p: { name: string }) => p.name },
      },
      { name: t(lang, 'web.chart.met'), type: 'scatter', data: met, symbol: 'circle', symbolSize: 9, itemStyle: { color: '#188038' } },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
