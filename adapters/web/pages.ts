// The three pages' content: Now, Timeline, Ledger (and the sign-in notice). Rendering only: the models
// come from src/web/model.ts and the ledger rows from src/ledger.
import { html } from 'hono/html';
import type { Lang } from '../../src/i18n/index.ts';
import { articleRef } from '../../src/conversation/card.ts';
import type { DeadlineView } from '../../src/conversation/types.ts';
import { columnHeader, LEDGER_COLUMNS, type LedgerRow } from '../../src/ledger/ledger.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { formatShanghai } from '../../src/conversation/parse.ts';
import type { AwaitingRow, NowIncident, NowModel, TimelineModel } from '../../src/web/model.ts';
import { REGIMES, STATUSES, type LedgerQuery, type ListQuery } from '../../src/web/query.ts';
import { GRADES } from '../../src/regimes/pboc-2025-4/grades.ts';
import { raw } from 'hono/html';
import { wt } from '../../src/web/messages.ts';
import { href, type Html } from './layout.ts';
import { CHART_HEIGHT, CHART_WIDTH } from './chart.ts';
import type { RegimeId } from '../../src/regimes/port.ts';
import { regimeText } from '../../src/reports/regime-words.ts';
import { unverifiedText, type ObligationRow } from '../../src/web/regime-obligations.ts';

const colon = (l: Lang) => (l === 'en' ? ': ' : '：');

/** A deadline met only by a submission still awaiting PBoC's receipt confirmation is shown amber, not green (Art. 18). */
function stateOf(status: string, kind: string, awaitingKinds: readonly string[]): string {
  return status === 'met' && awaitingKinds.includes(kind) ? 'awaiting' : status;
}

function deadlineRows(deadlines: readonly DeadlineView[], l: Lang, awaitingKinds: readonly string[]): Html {
  return html`${deadlines.map((d) => {
    const live = d.status !== 'met' && d.kind !== 'immediate';
    const state = stateOf(d.status, d.kind, awaitingKinds);
    return html`<tr class="deadline ${state}" data-kind="${d.kind}">
<td>${d.label}${d.provisional ? html` <span class="provisional">${wt(l, 'web.provisional')}</span>` : ''}</td>
<td>${articleRef(l, d.article, null)}</td>
<td>${d.dueText}</td>
<td>${live ? html`<span data-due="${String(parseIso(d.dueAt))}">${d.leftText}</span>` : state === 'awaiting' ? html`${d.leftText} · <span class="awaiting-state">${wt(l, 'web.awaitingState')}</span>` : d.leftText}</td>
</tr>`;
  })}`;
}

export interface PageNav { page: number; pages: number; total: number }

/** "Page 2 of 3" with previous/next links that keep every other parameter. */
function pager(path: string, query: Record<string, string | null>, nav: PageNav, l: Lang): Html {
  const link = (p: number) => {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== null && k !== 'page') params[k] = v;
    if (p > 1) params.page = String(p);
    return href(path, l, params);
  };
  return html`<nav class="pager" data-page="${String(nav.page)}" data-pages="${String(nav.pages)}">
${nav.page > 1 ? html`<a id="prev-page" href="${link(nav.page - 1)}">${wt(l, 'web.page.prev')}</a>` : ''}
<span>${wt(l, 'web.page.of', nav)}</span>
${nav.page < nav.pages ? html`<a id="next-page" href="${link(nav.page + 1)}">${wt(l, 'web.page.next')}</a>` : ''}
</nav>`;
}

export function messageContent(title: string, body: string, id: string): Html {
  return html`<h1>${title}</h1><p id="${id}" class="message">${body}</p>`;
}

/** Obligations under the regimes, one row each: regime, obligation, article, recipient, due, status (未核实 where a value is unverified). */
function obligationsTable(rows: readonly ObligationRow[], l: Lang, id?: string): Html {
  return html`<table class="regime-obligations"${id ? html` id="${id}"` : ''}><thead><tr><th>${wt(l, 'web.col.regime')}</th><th>${wt(l, 'web.col.obligation')}</th><th>${wt(l, 'web.col.article')}</th><th>${wt(l, 'web.col.recipient')}</th><th>${wt(l, 'web.col.due')}</th><th>${wt(l, 'web.col.status')}</th></tr></thead>
<tbody>${rows.map((o) => html`<tr class="obligation ${o.status}" data-regime="${o.regime}" data-obligation="${o.kind}">
<td>${o.regimeText}</td>
<td>${o.title}${o.verified ? '' : html` <span class="unverified">${unverifiedText(o, l)}</span>`}${o.basis ? html`<div class="note">${o.basis}</div>` : ''}</td>
<td>${o.article}</td><td>${o.recipient}</td><td>${o.due}</td>
<td>${o.statusText}${o.left ? html` · ${o.status !== 'met' && o.dueMs !== null && o.status !== 'overdue' ? html`<span data-due="${String(o.dueMs)}">${o.left}</span>` : o.left}` : ''}</td>
</tr>`)}</tbody></table>`;
}

/** Links that filter by regime, one per regime present (with how many incidents), and "all"; the current one marked. */
function regimeLinks(path: string, present: ReadonlyArray<{ regime: RegimeId; count?: number }>, current: RegimeId | null, l: Lang, keep: Record<string, string | null> = {}): Html {
  const link = (r: RegimeId | null) => {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(keep)) if (v !== null && k !== 'page' && k !== 'regime') params[k] = v;
    if (r !== null) params.regime = r;
    return href(path, l, params);
  };
  // The regime asked for stays in the list (marked) even where nothing falls under it, so the reader sees what is filtered.
  if (current !== null && !present.some((p) => p.regime === current)) present = [...present, { regime: current, ...(present.some((p) => p.count !== undefined) ? { count: 0 } : {}) }];
  const item = (r: RegimeId | null, label: string) => (r === current ? html`<strong aria-current="true" data-regime="${r ?? ''}">${label}</strong>` : html`<a data-regime="${r ?? ''}" href="${link(r)}">${label}</a>`);
  return html`<nav class="regime-links" id="regime-links">${wt(l, 'web.regimes.links')}${colon(l)}${item(null, wt(l, 'web.regimes.all'))}${present.map((p) => html` · ${item(p.regime, `${regimeText(p.regime, l)}${p.count !== undefined ? ` (${p.count})` : ''}`)}`)}</nav>`;
}

/** What an incident shows under a regime filter: PBoC's deadline table unless another regime is chosen; the others' obligations. */
function regimeRows(rows: readonly ObligationRow[], regime: RegimeId | null): ObligationRow[] {
  return rows.filter((o) => (regime === null ? o.regime !== 'pboc' : o.regime === regime && regime !== 'pboc'));
}

function incidentSection(e: NowIncident, l: Lang, regime: RegimeId | null = null): Html {
  const c = e.card;
  const showPboc = regime === null || regime === 'pboc';
  const others = regimeRows(e.obligations, regime);
  return html`<section class="incident${c.drill ? ' drill' : ''}" id="${c.incidentId}" data-incident="${c.incidentId}">
<h3>${c.drill ? html`<span class="badge drill">${wt(l, 'web.drill')}</span> ` : ''}<a href="${href(`/incidents/${encodeURIComponent(c.incidentId)}`, l)}">${c.incidentId}</a> ${c.title}
<span class="badge grade-${String(c.level)}">${c.gradeText}</span> <span class="note">${c.status}</span></h3>
<div class="note">${wt(l, 'web.basis')}</div>
<ul class="basis">${c.basis.map((b) => html`<li>${b}</li>`)}</ul>
${showPboc && c.deadlines.length ? html`<table class="deadlines"><thead><tr><th>${wt(l, 'web.col.obligation')}</th><th>${wt(l, 'web.col.article')}</th><th>${wt(l, 'web.col.due')}</th><th>${wt(l, 'web.col.left')}</th></tr></thead>
<tbody>${deadlineRows(c.deadlines, l, e.awaitingKinds)}</tbody></table>` : ''}
${others.length ? html`<div class="note">${wt(l, regime === null ? 'web.regimes.other' : 'web.regimes.head')}${colon(l)}</div>${obligationsTable(others, l)}` : ''}
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

export interface NowOptions {
  paged: PageNav;
  query: ListQuery;
  path: string;
  conversations: readonly string[]; // what the conversation filter offers (those in the viewer's scope)
  scopeNote: string;
  regimesPresent?: ReadonlyArray<{ regime: RegimeId; count: number }>; // regimes with obligations among the incidents in scope
}

function option(value: string, label: string, current: string | null): Html {
  return html`<option value="${value}"${value === (current ?? '') ? raw(' selected') : ''}>${label}</option>`;
}

function filters(o: NowOptions, l: Lang): Html {
  const q = o.query;
  return html`<form class="filters" method="get" action="/now">
<label>${wt(l, 'web.filter.grade')}<select name="grade">${option('', wt(l, 'web.filter.any'), q.grade)}${GRADES.map((g) => option(g, g, q.grade))}</select></label>
<label>${wt(l, 'web.filter.status')}<select name="status">${option('', wt(l, 'web.filter.any'), q.status)}${STATUSES.map((s) => option(s, wt(l, `web.status.${s}`), q.status))}</select></label>
<label>${wt(l, 'web.filter.conversation')}<select name="conversation">${option('', wt(l, 'web.filter.any'), q.conversation)}${o.conversations.map((c) => option(c, c, q.conversation))}</select></label>
<label>${wt(l, 'web.filter.regime')}<select name="regime">${option('', wt(l, 'web.filter.any'), q.regime)}${REGIMES.map((r) => option(r, regimeText(r, l), q.regime))}</select></label>
<label>${wt(l, 'web.filter.q')}<input type="search" name="q" maxlength="100" value="${q.q ?? ''}"></label>
${l === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<button type="submit">${wt(l, 'web.filter.apply')}</button>
</form>`;
}

export function nowContent(m: NowModel, nowMs: number, l: Lang, o: NowOptions): Html {
  const q = o.query;
  const query = { grade: q.grade, status: q.status, conversation: q.conversation, regime: q.regime, q: q.q };
  return html`<h1>${wt(l, 'web.now.head')}</h1>
<p class="note">${wt(l, 'web.now.asOf', { at: formatShanghai(nowMs) })} · ${wt(l, 'web.readOnly')}</p>
<p class="note scope" id="scope">${o.scopeNote}</p>
${filters(o, l)}
${regimeLinks(o.path, o.regimesPresent ?? [], q.regime, l, query)}
<h2>${wt(l, 'web.now.awaitingHead')}</h2>
${awaitingTable(m.awaiting, l, 'awaiting')}
${pager(o.path, query, o.paged, l)}
<div id="incidents">${m.incidents.length ? m.incidents.map((e) => incidentSection(e, l, q.regime)) : html`<p class="note">${wt(l, 'web.now.none')}</p>`}</div>
${o.paged.pages > 1 ? pager(o.path, query, o.paged, l) : ''}
${m.drills.length ? html`<h2 class="drill-head"><span class="badge drill">${wt(l, 'web.drill')}</span> ${wt(l, 'web.now.drillHead')}</h2>
<div id="drills">${awaitingTable(m.drillAwaiting, l, 'drill-awaiting')}${m.drills.map((e) => incidentSection(e, l, q.regime))}</div>` : ''}`;
}

export function timelineContent(m: TimelineModel, l: Lang, regime: RegimeId | null = null): Html {
  const c = m.card;
  const path = `/incidents/${encodeURIComponent(c.incidentId)}`;
  const present = [...new Set(m.obligations.map((o) => o.regime))].map((r) => ({ regime: r }));
  const shown = m.obligations.filter((o) => regime === null || o.regime === regime);
  return html`<h1>${c.drill ? html`<span class="badge drill">${wt(l, 'web.drill')}</span> ` : ''}${wt(l, 'web.timeline.head', { id: c.incidentId })}</h1>
<p>${c.title} <span class="badge grade-${String(c.level)}">${c.gradeText}</span> <span class="note">${c.status}</span></p>
<p><a class="button" id="dossier" href="${href(`/incidents/${encodeURIComponent(c.incidentId)}/dossier.zip`, l)}" download>${wt(l, 'web.dossier')}</a></p>
<img class="chart" src="${href(`/incidents/${encodeURIComponent(c.incidentId)}/chart.svg`, l)}" alt="${wt(l, 'web.timeline.chartAlt')}" width="${String(CHART_WIDTH)}" height="${String(CHART_HEIGHT)}">
${regime === null || regime === 'pboc' ? html`<h2>${wt(l, 'web.timeline.deadlines')}</h2>
<table id="deadlines"><thead><tr><th>${wt(l, 'web.col.obligation')}</th><th>${wt(l, 'web.col.article')}</th><th>${wt(l, 'web.col.due')}</th><th>${wt(l, 'web.col.left')}</th></tr></thead>
<tbody>${m.deadlines.map((d) => html`<tr class="${stateOf(d.status, d.kind, m.awaitingKinds)}" data-kind="${d.kind}"><td>${d.label}${d.provisional ? html` <span class="provisional">${wt(l, 'web.provisional')}</span>` : ''}</td><td>${articleRef(l, d.article, null)}</td><td>${d.due}</td><td>${d.left}${stateOf(d.status, d.kind, m.awaitingKinds) === 'awaiting' ? html` · <span class="awaiting-state">${wt(l, 'web.awaitingState')}</span>` : ''}</td></tr>`)}</tbody></table>` : ''}
<h2>${wt(l, 'web.regimes.head')}</h2>
${regimeLinks(path, present, regime, l)}
${shown.length ? obligationsTable(shown, l, 'obligations') : html`<p class="note" id="obligations-none">${wt(l, 'web.regimes.none')}</p>`}
<h2>${wt(l, 'web.timeline.grades')}</h2>
<table id="grades"><tbody>${m.grades.map((g) => html`<tr><td>${formatShanghai(g.atMs)}</td><td>${g.text}</td></tr>`)}</tbody></table>
<h2>${wt(l, 'web.timeline.log')}</h2>
<table id="log"><thead><tr><th>${wt(l, 'web.col.time')}</th><th>${wt(l, 'web.col.who')}</th><th>${wt(l, 'web.col.what')}</th></tr></thead>
<tbody>${m.log.map((r) => html`<tr><td>${r.at}</td><td>${r.who}</td><td>${r.what}</td></tr>`)}</tbody></table>`;
}

/** Whatever else the ledger model gives a row (a status such as voided or amended, notes): shown as it comes. */
function extra(r: LedgerRow): Record<string, unknown> {
  return r as unknown as Record<string, unknown>;
}
function rowExtras(r: LedgerRow): Html {
  const status = extra(r).status;
  return typeof status === 'string' && status ? html` data-status="${status}" class="status-${status}"` : html``;
}
function rowNotes(r: LedgerRow): Html {
  const known = new Set<string>(LEDGER_COLUMNS);
  const more = Object.entries(extra(r)).filter(([k, v]) => !known.has(k) && typeof v === 'string' && v !== '');
  return more.length ? html`<dl class="row-notes">${more.map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>` : html``;
}

const TIMES: ReadonlySet<string> = new Set(['occurredAt', 'reportedAt', 'confirmedAt']);
const WRAP: ReadonlySet<string> = new Set(['title', 'recipient', 'pbocContact']);
/** 2026-11-30T09:25:00+08:00 -> 2026-11-30 09:25 (the page says Beijing time; the downloads keep ISO). */
const minuteOf = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function ledgerContent(rows: readonly LedgerRow[], lq: LedgerQuery, l: Lang, nav: PageNav, scopeNote: string): Html {
  const cols = LEDGER_COLUMNS.filter((c) => c !== 'summary');
  const { from, to } = lq;
  const q = { from, to, by: lq.by, ...(lq.conversation ? { conversation: lq.conversation } : {}), ...(lq.q ? { q: lq.q } : {}) };
  return html`<h1>${wt(l, 'web.ledger.head', { from, to })}</h1>
<p class="note scope" id="scope">${scopeNote}</p>
<form class="period" method="get" action="/ledger">
<label>${wt(l, 'web.ledger.from')}<input type="date" name="from" value="${from}"></label>
<label>${wt(l, 'web.ledger.to')}<input type="date" name="to" value="${to}"></label>
<label>${wt(l, 'web.ledger.by')}<select name="by" id="by">${option('report', wt(l, 'web.ledger.byReport'), lq.by)}${option('occurrence', wt(l, 'web.ledger.byOccurrence'), lq.by)}</select></label>
<label>${wt(l, 'web.filter.q')}<input type="search" name="q" maxlength="100" value="${lq.q ?? ''}"></label>
${l === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<button type="submit">${wt(l, 'web.ledger.show')}</button>
</form>
${pager('/ledger', q, nav, l)}
<p><a class="button" id="csv" href="${href('/ledger.csv', l, q)}" download>${wt(l, 'web.ledger.csv')}</a><a class="button" id="xlsx" href="${href('/ledger.xlsx', l, q)}" download>${wt(l, 'web.ledger.xlsx')}</a></p>
${rows.length ? html`<div class="ledger-wrap"><table id="ledger"><thead><tr>${cols.map((c) => html`<th class="col-${c}">${columnHeader(c, l)}</th>`)}</tr>
<tr><th colspan="${String(cols.length)}" class="col-summary">${wt(l, 'web.ledger.contents')}</th></tr></thead>
${rows.map((r) => html`<tbody class="ledger-row" data-incident="${r.incidentId}" data-report="${r.reportId}"${rowExtras(r)}><tr>${cols.map((c) => html`<td class="col-${c}${WRAP.has(c) ? ' wrap' : ''}">${TIMES.has(c) ? minuteOf(r[c]) : r[c]}</td>`)}</tr>
<tr class="content-row"><td colspan="${String(cols.length)}" class="col-summary"><div class="summary">${r.summary}</div>${rowNotes(r)}</td></tr></tbody>`)}</table></div>`
    : html`<p class="note">${wt(l, 'web.ledger.none')}</p>`}`;
}

export function authContent(l: Lang, reason: 'none' | 'expired' | 'used' | 'invalid'): Html {
  const key = reason === 'none' ? 'web.auth.body' : reason === 'expired' ? 'web.auth.expired' : reason === 'used' ? 'web.auth.used' : 'web.auth.invalid';
  return html`<h1>${wt(l, 'web.auth.title')}</h1><p id="auth-reason" data-reason="${reason}">${wt(l, key)}</p><p class="note">${wt(l, 'web.readOnly')}</p>`;
}
