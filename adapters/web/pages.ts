// The three pages' content: Now, Timeline, Ledger (and the sign-in notice). Rendering only: the models
// come from src/web/model.ts and the ledger rows from src/ledger.
import { html } from 'hono/html';
import type { Lang } from '../../src/i18n/index.ts';
import { articleRef } from '../../src/conversation/card.ts';
import type { DeadlineView } from '../../src/conversation/types.ts';
import { columnHeader, LEDGER_COLUMNS, type LedgerRow } from '../../src/ledger/ledger.ts';
import { parseIso } from '../../src/rules/time.ts';
import { formatShanghai } from '../../src/conversation/parse.ts';
import type { AwaitingRow, NowIncident, NowModel, TimelineModel } from '../../src/web/model.ts';
import { wt } from '../../src/web/messages.ts';
import { href, type Html } from './layout.ts';

const colon = (l: Lang) => (l === 'en' ? ': ' : '：');

function deadlineRows(deadlines: readonly DeadlineView[], l: Lang): Html {
  return html`${deadlines.map((d) => {
    const live = d.status !== 'met' && d.kind !== 'immediate';
    return html`<tr class="deadline ${d.status}" data-kind="${d.kind}">
<td>${d.label}${d.provisional ? html` <span class="provisional">${wt(l, 'web.provisional')}</span>` : ''}</td>
<td>${articleRef(l, d.article, null)}</td>
<td>${d.dueText}</td>
<td>${live ? html`<span data-due="${String(parseIso(d.dueAt))}">${d.leftText}</span>` : d.leftText}</td>
</tr>`;
  })}`;
}

function incidentSection(e: NowIncident, l: Lang): Html {
  const c = e.card;
  return html`<section class="incident${c.drill ? ' drill' : ''}" id="${c.incidentId}" data-incident="${c.incidentId}">
<h3>${c.drill ? html`<span class="badge drill">${wt(l, 'web.drill')}</span> ` : ''}<a href="${href(`/incidents/${encodeURIComponent(c.incidentId)}`, l)}">${c.incidentId}</a> ${c.title}
<span class="badge grade-${String(c.level)}">${c.gradeText}</span> <span class="note">${c.status}</span></h3>
<div class="note">${wt(l, 'web.basis')}</div>
<ul class="basis">${c.basis.map((b) => html`<li>${b}</li>`)}</ul>
${c.deadlines.length ? html`<table class="deadlines"><thead><tr><th>${wt(l, 'web.col.obligation')}</th><th>${wt(l, 'web.col.article')}</th><th>${wt(l, 'web.col.due')}</th><th>${wt(l, 'web.col.left')}</th></tr></thead>
<tbody>${deadlineRows(c.deadlines, l)}</tbody></table>` : ''}
${c.awaiting.length ? html`<div class="awaiting">${wt(l, 'web.awaiting')}${colon(l)}${c.awaiting.join(l === 'en' ? '; ' : '；')}</div>` : ''}
${c.parallel.length ? html`<div class="note">${wt(l, 'web.parallel')}${colon(l)}</div><ul class="basis">${c.parallel.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
</section>`;
}

function awaitingTable(rows: readonly AwaitingRow[], l: Lang, id: string): Html {
  if (!rows.length) return html`<p class="note" id="${id}">${wt(l, 'web.now.awaitingNone')}</p>`;
  return html`<table id="${id}"><thead><tr><th>${wt(l, 'web.col.report')}</th><th>${wt(l, 'web.col.sentAt')}</th><th>${wt(l, 'web.col.waited')}</th></tr></thead><tbody>
${rows.map((r) => html`<tr class="awaiting-row" data-report="${r.incidentId}/${r.reportId}">
<td><a href="${href(`/incidents/${encodeURIComponent(r.incidentId)}`, l)}">${r.incidentId}</a> ${r.reportId} ${r.kind}${l === 'en' ? ` (${r.channel}) ` : `（${r.channel}）`}${r.title}</td>
<td>${r.sentAt}</td><td>${r.since}</td></tr>`)}
</tbody></table>`;
}

export function nowContent(m: NowModel, nowMs: number, l: Lang): Html {
  return html`<h1>${wt(l, 'web.now.head')}</h1>
<p class="note">${wt(l, 'web.now.asOf', { at: formatShanghai(nowMs) })} · ${wt(l, 'web.readOnly')}</p>
<h2>${wt(l, 'web.now.awaitingHead')}</h2>
${awaitingTable(m.awaiting, l, 'awaiting')}
<div id="incidents">${m.incidents.length ? m.incidents.map((e) => incidentSection(e, l)) : html`<p class="note">${wt(l, 'web.now.none')}</p>`}</div>
${m.drills.length ? html`<h2 class="drill-head"><span class="badge drill">${wt(l, 'web.drill')}</span> ${wt(l, 'web.now.drillHead')}</h2>
<div id="drills">${awaitingTable(m.drillAwaiting, l, 'drill-awaiting')}${m.drills.map((e) => incidentSection(e, l))}</div>` : ''}`;
}

export function timelineContent(m: TimelineModel, l: Lang): Html {
  const c = m.card;
  return html`<h1>${c.drill ? html`<span class="badge drill">${wt(l, 'web.drill')}</span> ` : ''}${wt(l, 'web.timeline.head', { id: c.incidentId })}</h1>
<p>${c.title} <span class="badge grade-${String(c.level)}">${c.gradeText}</span> <span class="note">${c.status}</span></p>
<img class="chart" src="${href(`/incidents/${encodeURIComponent(c.incidentId)}/chart.svg`, l)}" alt="${wt(l, 'web.timeline.chartAlt')}" width="900" height="320">
<h2>${wt(l, 'web.timeline.deadlines')}</h2>
<table id="deadlines"><thead><tr><th>${wt(l, 'web.col.obligation')}</th><th>${wt(l, 'web.col.article')}</th><th>${wt(l, 'web.col.due')}</th><th>${wt(l, 'web.col.left')}</th></tr></thead>
<tbody>${m.deadlines.map((d) => html`<tr class="${d.status}"><td>${d.label}${d.provisional ? html` <span class="provisional">${wt(l, 'web.provisional')}</span>` : ''}</td><td>${articleRef(l, d.article, null)}</td><td>${d.due}</td><td>${d.left}</td></tr>`)}</tbody></table>
<h2>${wt(l, 'web.timeline.grades')}</h2>
<table id="grades"><tbody>${m.grades.map((g) => html`<tr><td>${formatShanghai(g.atMs)}</td><td>${g.text}</td></tr>`)}</tbody></table>
<h2>${wt(l, 'web.timeline.log')}</h2>
<table id="log"><thead><tr><th>${wt(l, 'web.col.time')}</th><th>${wt(l, 'web.col.who')}</th><th>${wt(l, 'web.col.what')}</th></tr></thead>
<tbody>${m.log.map((r) => html`<tr><td>${r.at}</td><td>${r.who}</td><td>${r.what}</td></tr>`)}</tbody></table>`;
}

const TIMES: ReadonlySet<string> = new Set(['occurredAt', 'reportedAt', 'confirmedAt']);
const WRAP: ReadonlySet<string> = new Set(['title', 'recipient']);
/** 2026-11-30T09:25:00+08:00 -> 2026-11-30 09:25 (the page says Beijing time; the downloads keep ISO). */
const minuteOf = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function ledgerContent(rows: readonly LedgerRow[], from: string, to: string, l: Lang, error: string | null): Html {
  const cols = LEDGER_COLUMNS.filter((c) => c !== 'summary');
  const q = { from, to };
  return html`<h1>${wt(l, 'web.ledger.head', { from, to })}</h1>
<form class="period" method="get" action="/ledger">
<label>${wt(l, 'web.ledger.from')}<input type="date" name="from" value="${from}"></label>
<label>${wt(l, 'web.ledger.to')}<input type="date" name="to" value="${to}"></label>
${l === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<button type="submit">${wt(l, 'web.ledger.show')}</button>
</form>
${error ? html`<p class="error">${error}</p>` : ''}
<p><a class="button" id="csv" href="${href('/ledger.csv', l, q)}" download>${wt(l, 'web.ledger.csv')}</a><a class="button" id="xlsx" href="${href('/ledger.xlsx', l, q)}" download>${wt(l, 'web.ledger.xlsx')}</a></p>
${rows.length ? html`<table id="ledger"><thead><tr>${cols.map((c) => html`<th>${columnHeader(c, l)}</th>`)}<th>${wt(l, 'web.ledger.contents')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr>${cols.map((c) => html`<td class="${WRAP.has(c) ? 'wrap' : ''}">${TIMES.has(c) ? minuteOf(r[c]) : r[c]}</td>`)}<td><pre class="summary">${r.summary}</pre></td></tr>`)}</tbody></table>`
    : html`<p class="note">${wt(l, 'web.ledger.none')}</p>`}`;
}

export function authContent(l: Lang, reason: 'none' | 'expired' | 'used' | 'invalid'): Html {
  const key = reason === 'none' ? 'web.auth.body' : reason === 'expired' ? 'web.auth.expired' : reason === 'used' ? 'web.auth.used' : 'web.auth.invalid';
  return html`<h1>${wt(l, 'web.auth.title')}</h1><p id="auth-reason" data-reason="${reason}">${wt(l, key)}</p><p class="note">${wt(l, 'web.readOnly')}</p>`;
}
