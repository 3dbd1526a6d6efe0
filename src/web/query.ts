// The compliance page's list parameters (paging, filters, search, ledger period) and who may see what.
// Pure: a bad parameter is a message in the reader's language, never a silent default.
import type { Lang } from '../i18n/index.ts';
import { GRADES, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import { isValidDate } from '../calendar/working-days.ts';
import { wt } from './messages.ts';
import { REGIME_IDS, type RegimeId } from '../regimes/port.ts';
import { regimeText } from '../reports/regime-words.ts';
import type { IncidentView } from './read-model.ts';

export const PAGE_SIZE = 50;

/** What a person may see: every conversation (a compliance officer), or the conversations they asked from. */
export type Scope = { all: true } | { all: false; conversations: ReadonlySet<string> };

export function scopeOf(user: string, conversations: readonly string[], officers: readonly string[] | undefined): Scope {
  return officers?.includes(user) ? { all: true } : { all: false, conversations: new Set(conversations) };
}

export function inScope(scope: Scope, conversation: string): boolean {
  return scope.all || scope.conversations.has(conversation);
}

export const STATUSES = ['overdue', 'awaiting', 'due'] as const;
export type StatusFilter = (typeof STATUSES)[number];
/** The regime filter's values: the registry's ids (pboc, cac, nfra, csrc, police, pipl), any case. */
export const REGIMES = REGIME_IDS;

export interface ListQuery {
  page: number; // 1-based
  grade: Grade | null;
  status: StatusFilter | null;
  conversation: string | null;
  regime: RegimeId | null; // only incidents with obligations under it, and only its obligations shown
  q: string | null; // title or id contains, case-insensitive
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

type Params = (name: string) => string | undefined;

function pageOf(get: Params, lang: Lang): Parsed<number> {
  const raw = get('page');
  if (raw === undefined || raw === '') return { ok: true, value: 1 };
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) return { ok: false, message: wt(lang, 'web.bad.page', { value: raw.slice(0, 40) }) };
  return { ok: true, value: Number(raw) };
}

/** /now's parameters: page, grade, status, conversation, regime, q. */
export function parseListQuery(get: Params, lang: Lang): Parsed<ListQuery> {
  const page = pageOf(get, lang);
  if (!page.ok) return page;
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());
  const grade = blank(get('grade'));
  if (grade !== null && !(GRADES as readonly string[]).includes(grade)) return { ok: false, message: wt(lang, 'web.bad.grade', { value: grade.slice(0, 40), allowed: GRADES.join('、') }) };
  const status = blank(get('status'));
  if (status !== null && !(STATUSES as readonly string[]).includes(status)) return { ok: false, message: wt(lang, 'web.bad.status', { value: status.slice(0, 40), allowed: STATUSES.join(', ') }) };
  const regimeRaw = blank(get('regime'));
  const regime = regimeRaw?.toLowerCase() ?? null;
  // A filter that silently showed everything would read as "no CAC clock anywhere": a bad value is refused, naming the good ones.
  if (regimeRaw !== null && !(REGIMES as readonly string[]).includes(regime!)) {
    return { ok: false, message: wt(lang, 'web.bad.regime', { value: regimeRaw.slice(0, 40), allowed: REGIMES.map((r) => (lang === 'en' ? `${r} (${regimeText(r, lang)})` : `${r}（${regimeText(r, lang)}）`)).join(lang === 'en' ? ', ' : '、') }) };
  }
  const q = blank(get('q'));
  if (q !== null && q.length > 100) return { ok: false, message: wt(lang, 'web.bad.q') };
  return {
    ok: true,
    value: { page: page.value, grade: grade as Grade | null, status: status as StatusFilter | null, conversation: blank(get('conversation')), regime: regime as ListQuery['regime'], q },
  };
}

export function matches(v: IncidentView, q: ListQuery): boolean {
  if (q.grade !== null && v.grade !== q.grade) return false;
  if (q.status === 'overdue' && !v.overdue) return false;
  if (q.status === 'awaiting' && v.awaiting === 0) return false;
  if (q.status === 'due' && v.nextDueMs === null) return false;
  if (q.conversation !== null && v.meta.conversation !== q.conversation) return false;
  if (q.q !== null) {
    const needle = q.q.toLowerCase();
    if (!v.state.title.toLowerCase().includes(needle) && !v.meta.id.toLowerCase().includes(needle)) return false;
  }
  // Every incident is under PBoC's regime (PBoC always binds); another regime, only where it gives an obligation.
  if (q.regime !== null && q.regime !== 'pboc' && !v.regimes.includes(q.regime)) return false;
  return true;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

export function paginate<T>(all: readonly T[], page: number): Paged<T> {
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  return { items: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), page, pages, total: all.length };
}

export type LedgerBy = 'occurrence' | 'report';

export interface LedgerQuery {
  from: string;
  to: string;
  by: LedgerBy;
  page: number;
  conversation: string | null;
  q: string | null;
}

/** /ledger's parameters: from, to (Shanghai dates, both included; default this quarter so far), by, page, conversation, q. */
export function parseLedgerQuery(get: Params, lang: Lang, today: string): Parsed<LedgerQuery> {
  const [y, mo] = today.split('-').map(Number) as [number, number];
  const quarterStart = `${y}-${String(Math.floor((mo - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  const from = get('from') || quarterStart;
  const to = get('to') || today;
  if (!isValidDate(from) || !isValidDate(to) || from > to) return { ok: false, message: wt(lang, 'web.ledger.badDates') };
  const by = get('by') || 'report';
  if (by !== 'occurrence' && by !== 'report') return { ok: false, message: wt(lang, 'web.bad.by', { value: by.slice(0, 40) }) };
  const page = pageOf(get, lang);
  if (!page.ok) return page;
  const list = parseListQuery((n) => (n === 'page' ? undefined : get(n)), lang);
  if (!list.ok) return list;
  return { ok: true, value: { from, to, by, page: page.value, conversation: list.value.conversation, q: list.value.q } };
}
