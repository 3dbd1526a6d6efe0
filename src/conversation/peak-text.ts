import { t, type Lang } from '../i18n/index.ts';
import type { DayKind, PeakWindow } from '../regimes/pboc-2025-4/outage-clock.ts';
import type { PeakDerivation } from '../regimes/pboc-2025-4/peak-profile.ts';

interface NetworkPeaks {
  name: string;
  peakWindows?: readonly PeakWindow[];
  peakDerivation?: readonly PeakDerivation[];
}

/**
 * A volume with thousands separators and at most two decimals, as Intl.NumberFormat formats it in both languages
 * (740,000; 952.2). Written out: these lines are logged at every start, and building an Intl formatter loads ICU
 * data (tens of ms).
 */
function fmt(_lang: Lang, n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = Math.abs(Math.round(n * 100) / 100).toFixed(2).split('.') as [string, string];
  const decimals = frac.replace(/0+$/, '');
  return `${n < 0 && (int !== '0' || decimals !== '') ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${decimals ? `.${decimals}` : ''}`;
}

function daysText(lang: Lang, w: PeakWindow): string {
  const parts = [
    ...(w.days ?? []).map((d) => t(lang, `peak.days.${d}` as 'peak.days.workdays')),
    ...(w.weekdays ? [t(lang, 'peak.weekdays', { list: w.weekdays.join(lang === 'en' ? ', ' : '、') })] : []),
    ...(w.dates ?? []),
  ];
  return parts.length > 0 ? parts.join(lang === 'en' ? ', ' : '、') : t(lang, 'peak.everyDay');
}

const span = (w: PeakWindow) => `${w.start}-${w.end}`;

/** Each network's peak hours and how they were found (Art. 31(3)): for /incident help rules and the start-up log. */
export function peakLines(lang: Lang, networks: readonly NetworkPeaks[]): string[] {
  const sep = lang === 'en' ? ', ' : '、';
  const lines = [t(lang, 'peak.head')];
  for (const n of networks) {
    if (n.peakDerivation && n.peakDerivation.length > 0) {
      const kinds = n.peakDerivation.map((d) => t(lang, 'peak.derived', {
        days: t(lang, `peak.days.${d.days satisfies DayKind}` as 'peak.days.workdays'),
        total: fmt(lang, d.dailyVolume),
        threshold: fmt(lang, d.thresholdVolume),
        windows: d.windows.length > 0 ? d.windows.map(span).join(sep) : t(lang, 'peak.noneAbove'),
      }));
      lines.push(t(lang, 'peak.profileNetwork', { name: n.name, kinds: kinds.join(lang === 'en' ? '; ' : '；') }));
    } else if (n.peakWindows && n.peakWindows.length > 0) {
      const byDays = new Map<string, string[]>();
      for (const w of n.peakWindows) byDays.set(daysText(lang, w), [...(byDays.get(daysText(lang, w)) ?? []), span(w)]);
      const windows = [...byDays].map(([days, spans]) => `${days} ${spans.join(sep)}`).join(lang === 'en' ? '; ' : '；');
      lines.push(t(lang, 'peak.ownMethod', { name: n.name, windows }));
    } else {
      lines.push(t(lang, 'peak.notConfigured', { name: n.name }));
    }
  }
  return lines;
}
