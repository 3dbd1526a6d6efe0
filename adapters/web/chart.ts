// The incident's timeline as an SVG chart, rendered on the server by ECharts (no browser script).
// Every time is shown in Asia/Shanghai whatever the process time zone: instants are shifted by +8 h and
// the chart runs in UTC mode, so ECharts never consults the local zone.
import * as echarts from 'echarts';
import type { Lang } from '../../src/i18n/index.ts';
import { LEVEL, GRADES } from '../../src/rules/grades.ts';
import { SHANGHAI_OFFSET_MS } from '../../src/rules/time.ts';
import type { TimelineModel } from '../../src/web/model.ts';
import { wt } from '../../src/web/messages.ts';

const pad = (n: number) => String(n).padStart(2, '0');
/** "11-30 10:15" of a shifted instant (already Shanghai wall time, read in UTC). */
function label(shifted: number): string {
  const d = new Date(shifted);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"; // single quotes: the SVG puts it in a double-quoted attribute

/** The grade as a step line, each deadline as a point on its due time and each report as a point when it was met. */
export function timelineSvg(m: TimelineModel, lang: Lang, width = 900, height = 320): string {
  const sh = (ms: number) => ms + SHANGHAI_OFFSET_MS;
  // Grade levels as a number: 一般 1 ... 特别重大 4 (higher is worse).
  const y = (g: (typeof GRADES)[number]) => 5 - LEVEL[g];
  const gradeName = GRADES.reduce<Record<number, string>>((acc, g) => ({ ...acc, [y(g)]: g }), {});
  const steps = m.grades.map((g) => [sh(g.atMs), y(g.grade)] as [number, number]);
  const last = steps[steps.length - 1];
  const end = Math.max(m.nowMs, ...m.deadlines.map((d) => Math.min(d.dueMs, m.nowMs + 2 * 86_400_000)));
  if (last) steps.push([sh(end), last[1]]);
  const due = m.deadlines.filter((d) => d.dueMs <= m.nowMs + 2 * 86_400_000).map((d) => ({ value: [sh(d.dueMs), 0.5], name: d.label }));
  const met = m.deadlines.filter((d) => d.metMs !== null).map((d) => ({ value: [sh(d.metMs!), 0.5], name: d.label }));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    useUTC: true,
    textStyle: { fontFamily: FONT },
    legend: { top: 4, data: [wt(lang, 'web.chart.grade'), wt(lang, 'web.chart.due'), wt(lang, 'web.chart.met')] },
    grid: { left: 70, right: 30, top: 40, bottom: 60 },
    xAxis: { type: 'time', axisLabel: { formatter: (v: number) => label(v), hideOverlap: true, rotate: 20 } },
    yAxis: { type: 'value', min: 0, max: 4.5, interval: 1, axisLabel: { formatter: (v: number) => gradeName[v] ?? '' } },
    series: [
      {
        name: wt(lang, 'web.chart.grade'), type: 'line', step: 'end', data: steps, symbol: 'none', lineStyle: { width: 3, color: '#b3261e' }, itemStyle: { color: '#b3261e' },
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#1f2a44', type: 'dashed' }, label: { formatter: wt(lang, 'web.chart.now') }, data: [{ xAxis: sh(m.nowMs) }] },
      },
      {
        name: wt(lang, 'web.chart.due'), type: 'scatter', data: due, symbol: 'triangle', symbolSize: 12, itemStyle: { color: '#e8710a' },
        label: { show: true, position: 'top', fontSize: 10, formatter: (p: { name: string; value: [number, number] }) => `${p.name}\n${label(p.value[0])}` },
      },
      { name: wt(lang, 'web.chart.met'), type: 'scatter', data: met, symbol: 'circle', symbolSize: 9, itemStyle: { color: '#188038' } },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
