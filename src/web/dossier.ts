import { t } from '../i18n/index.ts';
// The inspection dossier of one incident (Art. 26 检查; Art. 25 台账): one ZIP with the timeline as HTML, every
// report's content as sent (PBoC's and the other regimes'), every regime's obligations, confirmations, corrections
// with their reasons, reminders sent and acknowledgements, the ledger rows, the DOCX drafts, the whole event log,
// and a manifest with each file's SHA-256.
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import type { Lang } from '../i18n/index.ts';
import type { IncidentEvent } from '../incident/events.ts';
import type { IncidentState } from '../incident/state.ts';
import type { BotConfig } from '../config/bot-config.ts';
import { formatShanghai } from '../conversation/parse.ts';
import { toCsv } from '../ledger/export.ts';
import { ledgerRows } from '../ledger/ledger.ts';
import { contentAsSent } from '../reports/as-sent.ts';
import { finalReportDocx } from '../reports/docx.ts';
import { isDraftKind } from '../reports/draft.ts';
import { cacInitialDraft } from '../reports/cac-draft.ts';
import { cacInitialDocx } from '../reports/cac-docx.ts';
import { anyChannelText, channelText, kindText } from '../reports/format.ts';
import { timelineModel, type TimelineModel } from './model.ts';
import { isoShanghai } from '../calendar/time.ts';
import { regimeKindText, regimeText } from '../reports/regime-words.ts';
import { unverifiedText } from './regime-obligations.ts';

export interface DossierFile {
  path: string;
  bytes: number;
  sha256: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The timeline as a self-contained HTML file (no script, every user text escaped). */
function timelineHtml(s: IncidentState, m: TimelineModel, nowMs: number, lang: Lang): string {
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><title>${escape(t(lang, 'web.timeline.head', { id: s.id }))}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}</style></head>
<body>
<h1>${escape(t(lang, 'web.timeline.head', { id: s.id }))}</h1>
<p>${escape(s.title)} · ${escape(m.card.gradeText)} · ${escape(m.card.status)}</p>
<p>${escape(t(lang, 'web.now.asOf', { at: formatShanghai(nowMs) }))}</p>
<h2>${escape(t(lang, 'web.timeline.deadlines'))}</h2>
<table><tr><th>${escape(t(lang, 'web.col.obligation'))}</th><th>${escape(t(lang, 'web.col.due'))}</th><th>${escape(t(lang, 'web.col.left'))}</th></tr>
${rows(m.deadlines.map((d) => [d.label, d.due, d.left]))}</table>
<h2>${escape(t(lang, 'web.dossier.obligations'))}</h2>
<table><tr><th>${escape(t(lang, 'web.col.regime'))}</th><th>${escape(t(lang, 'web.col.obligation'))}</th><th>${escape(t(lang, 'web.col.article'))}</th><th>${escape(t(lang, 'web.col.recipient'))}</th><th>${escape(t(lang, 'web.col.due'))}</th><th>${escape(t(lang, 'web.col.status'))}</th></tr>
${rows(m.obligations.map((o) => [o.regimeText, [o.title, unverifiedText(o, lang)].filter(Boolean).join(' '), o.article, o.recipient, o.due, [o.statusText, o.left].filter(Boolean).join(' · ')]))}</table>
<h2>${escape(t(lang, 'web.timeline.grades'))}</h2>
<table>${rows(m.grades.map((g) => [formatShanghai(g.atMs), g.text]))}</table>
<h2>${escape(t(lang, 'web.timeline.log'))}</h2>
<table><tr><th>${escape(t(lang, 'web.col.time'))}</th><th>${escape(t(lang, 'web.col.who'))}</th><th>${escape(t(lang, 'web.col.what'))}</th></tr>
${rows(m.log.map((r) => [r.at, r.who, r.what]))}</table>
</body></html>
`;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
/** Event types that correct the record (a correction, a lowering, a voided or amended report): each carries its reason. */
const isCorrection = (e: IncidentEvent) => e.type === 'corrected' || e.type === 'grade-lowered' || /void|amend|correct/i.test(e.type) || 'reason' in e;
const isReminder = (e: IncidentEvent) => e.type === 'reminder-sent' || /ack|remind/i.test(e.type);

/** The dossier's files (path -> content), before zipping: what the manifest lists. */
export async function dossierFiles(s: IncidentState, events: readonly IncidentEvent[], nowMs: number, lang: Lang, config: BotConfig): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const put = (path: string, content: string | Buffer) => files.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  const m = timelineModel(s, events, nowMs, lang, config);
  put('timeline.html', timelineHtml(s, m, nowMs, lang));
  for (const r of s.reports) {
    const sent = r.summary ?? (isDraftKind(r.kind) ? contentAsSent(r.kind, s, r.at, config.institution, lang).text : kindText(r.kind, lang));
    put(`reports/${r.reportId}.txt`, [
      `${r.reportId} ${kindText(r.kind, lang)} · ${channelText(r.channel, lang)} → ${r.recipient}`,
      `${formatShanghai(r.at)}${r.contact ? ` · ${r.contact}` : ''}`,
      '',
      sent,
      '',
    ].join('\n'));
  }
  // Reports under the other regimes (CAC, NFRA, CSRC, police, PIPL), each as recorded, its regime and kind in words.
  for (const r of s.regimeReports ?? []) {
    put(`reports/${r.reportId}.txt`, [
      `${r.reportId} ${regimeText(r.regime, lang)} ${regimeKindText(r.regime, r.kind, lang)} · ${anyChannelText(r.channel, lang)} → ${r.recipient}`,
      `${formatShanghai(r.at)}${r.contact ? ` · ${r.contact}` : ''}${r.voided ? ` · ${t(lang, 'ledger.status.void')}: ${r.voided.reason}` : ''}`,
      '',
      r.summary ?? `${regimeText(r.regime, lang)} ${regimeKindText(r.regime, r.kind, lang)}`,
      '',
    ].join('\n'));
  }
  // Every recorded version of each report's submission events, PBoC's and the other regimes' (voided or amended ones included), as recorded.
  put('reports/submissions.json', json(events.filter((e) => /^(regime-)?report-/.test(e.type))));
  // Every regime's obligations at the dossier's time: due (ISO, +08:00), status, article, recipient, whether its values are verified.
  put('obligations.json', json(m.obligations.map((o) => ({
    regime: o.regime, regimeText: o.regimeText, kind: o.kind, title: o.title, article: o.article, recipient: o.recipient,
    dueAt: o.dueMs === null ? null : isoShanghai(o.dueMs), due: o.due, status: o.status, verified: o.verified,
    ...(o.unverifiedKeys.length ? { unverifiedKeys: o.unverifiedKeys } : {}), ...(o.basis ? { basis: o.basis } : {}),
  }))));
  put('confirmations.json', json(s.reports.filter((r) => r.confirmation).map((r) => ({ reportId: r.reportId, ...r.confirmation, confirmedAtText: formatShanghai(r.confirmation!.confirmedAt) }))));
  put('corrections.json', json(events.filter(isCorrection)));
  put('reminders.json', json(events.filter(isReminder)));
  put('ledger.csv', toCsv(ledgerRows([s], lang), lang));
  put('events.json', json(events));
  // Where CAC's clock runs, its initial report draft (Art. 7 items) as text and DOCX.
  if (m.obligations.some((o) => o.regime === 'cac')) {
    const cac = cacInitialDraft(s, nowMs, config, lang);
    put('drafts/cac-initial.txt', `${cac.text}\n`);
    put('drafts/cac-initial.docx', await cacInitialDocx(cac, config.institution.institution.name, s.id, lang));
  }
  try {
    put('drafts/final.docx', await finalReportDocx(s, nowMs, config.institution, lang));
  } catch (e) {
    put('drafts/final.docx.error.txt', `${t(lang, 'web.dossier.docxFailed')}: ${(e as Error).message}\n`);
  }
  return files;
}

export function manifestOf(files: ReadonlyMap<string, Buffer>): DossierFile[] {
  return [...files].map(([path, b]) => ({ path, bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') }));
}

/** The dossier as a ZIP: the files plus manifest.json and manifest.txt (sha256sum format, checkable with `sha256sum -c`). */
export async function dossierZip(s: IncidentState, events: readonly IncidentEvent[], nowMs: number, lang: Lang, config: BotConfig): Promise<Buffer> {
  const files = await dossierFiles(s, events, nowMs, lang, config);
  const manifest = manifestOf(files);
  const zip = new JSZip();
  const date = new Date(nowMs);
  for (const [path, content] of files) zip.file(path, content, { date });
  zip.file('manifest.json', json({ incident: s.id, title: s.title, generatedAt: formatShanghai(nowMs), files: manifest }), { date });
  zip.file('manifest.txt', manifest.map((f) => `${f.sha256}  ${f.path}\n`).join(''), { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
