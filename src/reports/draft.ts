// Report drafts (`/incident draft <kind>`): the Art. 17 and 19-22 items filled from the incident record,
// each missing one named with the command that fills it. Pure: the draft time is an argument.
import type { InstitutionConfig } from '../config/institution.ts';
import { t, type Lang } from '../i18n/index.ts';
import { CATEGORIES } from '../incident/fields.ts';
import { configuredNetwork, recordedNetworkName, type IncidentState } from '../incident/state.ts';
import { requiredItems, type ContentContext, type ItemId, type ReportContentKind } from '../regimes/pboc-2025-4/contents.ts';
import { atLeast } from '../regimes/pboc-2025-4/grades.ts';
import { gradeText, kindText, minute } from './format.ts';
import { categoryLabel } from './gbt20986.ts';
import { handlingHistoryText } from './history.ts';

/** The kinds `/incident draft` offers (immediate and revision drafts use the progress and final items). */
export const DRAFT_KINDS = ['brief', 'incident', 'progress', 'immediate', 'final', 'preliminary', 'revision'] as const satisfies readonly ReportContentKind[];
export type DraftKind = (typeof DRAFT_KINDS)[number];

export function isDraftKind(s: string): s is DraftKind {
  return (DRAFT_KINDS as readonly string[]).includes(s);
}

/** Where narrative items live: text facts set with `/incident set report.<itemId> <text>`. */
export const reportPath = (id: ItemId): string => `report.${id}`;

/** The GB/T 20986-2023 sub-category (slug or name, see gbt20986.ts), beside the top-level `category` fact. */
export const SUB_CATEGORY_PATH = 'subCategory';

export interface DraftItem {
  id: ItemId;
  label: string;
  value: string | null; // null: missing (or, for an optional item, never: it defaults to "none")
  article: number;
  fillCommand?: string; // what to send to fill or change it
  optional?: boolean;
  known?: string; // what is already known of a missing item, e.g. a network without its protection level
  assumedNone?: boolean; // an optional item not given: the draft says so; what is sent (DOCX, ledger) says only 无
}

export interface Draft {
  kind: DraftKind;
  lang: Lang;
  title: string;
  text: string;
  items: DraftItem[];
  missing: ItemId[]; // exactly the required items whose value is null, in report order
}

// Items whose value the record decides; a `report.<id>` text never overrides them.
const RECORD_ONLY: ReadonlySet<ItemId> = new Set(['initialGrade', 'latestGrade', 'finalGrade', 'occurredAt', 'category', 'reportingInstitution']);

/** The facts that decide which items a report needs (Art. 19 ¶1 attack analysis, Art. 20, Art. 21). */
export function contentContext(s: IncidentState): ContentContext {
  const v = s.values;
  const positive = (p: string) => typeof v[p] === 'number' && (v[p] as number) > 0;
  return {
    // No grade recorded yet: Art. 12 reads an undetermined grade as at least 较大, which also asks the most of a report.
    grade: s.grade ?? '较大',
    // Art. 20 with Art. 10(5)'s "可能发生": a leak answered 不确定 may have happened, so its items are asked for too.
    personalInfo: v['data.personalInfoIncident'] === true || s.unknowns.includes('data.personalInfoIncident') || positive('data.personalInfoRecords') || positive('data.sensitivePersonalInfoRecords'),
    networkAttack: v.networkAttack === true || v.category === 'attack' || v.ransomwareHarm === true,
  };
}

interface Resolved {
  value: string | null;
  fillCommand?: string;
  known?: string;
  hint?: string; // shown after the fill command in the text only
}

function textFact(s: IncidentState, path: string): string | null {
  const v = s.values[path];
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function networkIndexes(s: IncidentState): number[] {
  const seen = new Set<number>();
  for (const p of Object.keys(s.values)) {
    const m = /^networks\.(\d+)\./.exec(p);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Art. 19: affected networks with their protection level; any gap makes the item missing, with what is known. */
function networks(s: IncidentState, config: InstitutionConfig, lang: Lang): Resolved {
  const sep = t(lang, 'draft.sep');
  const choices = t(lang, 'draft.choices', { list: config.networks.map((n) => n.name).join(sep) });
  const idx = networkIndexes(s);
  if (idx.length === 0) return { value: null, fillCommand: `/incident set networks.0.ref ${t(lang, 'draft.arg.network')}`, hint: choices };
  const parts: string[] = [];
  let gap: Resolved | null = null;
  for (const i of idx) {
    const conf = configuredNetwork(s.values, i, config.networks);
    const ref = s.values[`networks.${i}.ref`];
    const name = recordedNetworkName(s.values, i, config.networks) ?? (ref === 'other' ? t(lang, 'draft.networkOther') : typeof ref === 'string' ? ref : null);
    const levelValue = s.values[`networks.${i}.protectionLevel`] ?? conf?.protectionLevel;
    const level = typeof levelValue === 'number' ? levelValue : null;
    if (name === null) {
      gap ??= { value: null, fillCommand: `/incident set networks.${i}.ref ${t(lang, 'draft.arg.network')}`, hint: choices };
      continue;
    }
    if (level === null) {
      gap ??= { value: null, fillCommand: `/incident set networks.${i}.protectionLevel ${t(lang, 'draft.arg.level')}` };
      parts.push(lang === 'en' ? `${name} (${t(lang, 'draft.levelUnknown')})` : `${name}（${t(lang, 'draft.levelUnknown')}）`);
      continue;
    }
    const lv = t(lang, 'draft.protectionLevel', { level });
    parts.push(lang === 'en' ? `${name} (${lv})` : `${name}（${lv}）`);
  }
  if (gap) return { ...gap, ...(parts.length > 0 ? { known: parts.join(sep) } : {}) };
  return { value: parts.join(sep) };
}

function dataCentres(s: IncidentState, config: InstitutionConfig, lang: Lang): Resolved {
  const fill = `/incident set ${reportPath('dataCentres')} ${t(lang, 'draft.arg.dataCentres')}`;
  const set = new Set<string>();
  for (const i of networkIndexes(s)) for (const dc of configuredNetwork(s.values, i, config.networks)?.dataCentres ?? []) set.add(dc);
  return set.size > 0 ? { value: [...set].join(t(lang, 'draft.sep')), fillCommand: fill } : { value: null, fillCommand: fill };
}

function resolve(id: ItemId, s: IncidentState, nowMs: number, config: InstitutionConfig, lang: Lang): Resolved {
  const setText = `/incident set ${reportPath(id)} ${t(lang, 'draft.arg.text')}`;
  const override = RECORD_ONLY.has(id) ? null : textFact(s, reportPath(id));
  if (override !== null) {
    const fillCommand = id === 'networks' || id === 'reporter' || id === 'signer' || id === 'committedDate' ? resolveFill(id, lang) : setText;
    return { value: override, fillCommand };
  }
  const gradeCommand = t(lang, 'draft.gradeCommand');
  switch (id) {
    case 'initialGrade': {
      // The grade first determined when the incident became reportable (较大 and above); else the first one recorded.
      const first = s.gradeHistory.find((g) => atLeast(g.to, '较大')) ?? s.gradeHistory[0];
      return first ? { value: t(lang, 'draft.gradeAt', { grade: gradeText(first.to, lang), at: minute(first.at) }) } : { value: null, fillCommand: gradeCommand };
    }
    case 'latestGrade': {
      const last = s.gradeHistory[s.gradeHistory.length - 1];
      if (s.grade === null) return { value: null, fillCommand: gradeCommand };
      return { value: last ? t(lang, 'draft.gradeAt', { grade: gradeText(s.grade, lang), at: minute(last.at) }) : gradeText(s.grade, lang) };
    }
    case 'finalGrade':
      return s.grade === null ? { value: null, fillCommand: gradeCommand } : { value: gradeText(s.grade, lang) };
    case 'occurredAt': {
      const v = s.values.occurredAt;
      const fillCommand = `/incident set occurredAt ${t(lang, 'draft.arg.time')}`;
      if (typeof v === 'number') return { value: minute(v), fillCommand };
      return typeof v === 'string' && v.trim() !== '' ? { value: v.trim(), fillCommand } : { value: null, fillCommand };
    }
    case 'category': {
      const v = s.values.category;
      const fillCommand = `/incident set category ${t(lang, 'draft.arg.category')}`;
      const label = typeof v === 'string' ? categoryLabel(v, textFact(s, SUB_CATEGORY_PATH) ?? undefined, lang) ?? v : null;
      const hint = t(lang, 'draft.choices', { list: CATEGORIES.map((c) => (lang === 'en' ? c.en : c.zh)).join(t(lang, 'draft.sep')) });
      return label === null ? { value: null, fillCommand, hint } : { value: label, fillCommand };
    }
    case 'networks':
      return networks(s, config, lang);
    case 'dataCentres':
      return dataCentres(s, config, lang);
    case 'reportingInstitution':
      return { value: t(lang, 'draft.reportedAt', { institution: config.institution.name, at: minute(nowMs) }) };
    case 'reporter': {
      const r = config.reporter;
      return { value: r ? t(lang, 'draft.reporter', { name: r.name, ...(r.phone ? { phone: r.phone } : {}) }) : null, fillCommand: resolveFill(id, lang) };
    }
    case 'handlingHistory': {
      const text = handlingHistoryText(s, lang, config.networks);
      return { value: text === '' ? null : text, fillCommand: setText };
    }
    case 'committedDate': {
      const prelim = [...s.reports].reverse().find((r) => r.kind === 'preliminary' && r.committedDate);
      return { value: prelim?.committedDate ?? null, fillCommand: resolveFill(id, lang) };
    }
    case 'signer':
      return { value: null, fillCommand: resolveFill(id, lang) };
    default:
      return { value: null, fillCommand: setText };
  }
}

function resolveFill(id: ItemId, lang: Lang): string {
  switch (id) {
    case 'reporter': return `/incident set ${reportPath(id)} ${t(lang, 'draft.arg.reporter')}`;
    case 'signer': return `/incident set ${reportPath(id)} ${t(lang, 'draft.arg.signer')}`;
    case 'committedDate': return `/incident set ${reportPath(id)} ${t(lang, 'draft.arg.date')}`;
    default: return `/incident set ${reportPath(id)} ${t(lang, 'draft.arg.text')}`;
  }
}

const CN_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 -> 一, 12 -> 十二, 20 -> 二十 (enough for any report's item count). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_NUM[n] ?? String(n);
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CN_NUM[tens] ?? ''}十${CN_NUM[n % 10] ?? ''}`;
}

/** The items of a draft, resolved against the record. Shared by the text draft and the DOCX. */
export function draftItems(kind: DraftKind, s: IncidentState, nowMs: number, config: InstitutionConfig, lang: Lang): Array<DraftItem & { hint?: string }> {
  return requiredItems(kind, contentContext(s)).map((req) => {
    const r = resolve(req.id, s, nowMs, config, lang);
    const optionalNone = req.optional === true && r.value === null;
    return {
      id: req.id,
      label: req.label[lang],
      value: optionalNone ? t(lang, 'draft.noneAssumed') : r.value, // never filled in silently: it says it was not given
      article: req.article,
      ...(r.fillCommand ? { fillCommand: r.fillCommand } : {}),
      ...(req.optional ? { optional: true } : {}),
      ...(optionalNone ? { assumedNone: true } : {}),
      ...(r.known !== undefined && r.value === null ? { known: r.known } : {}),
      ...(r.hint !== undefined && r.value === null ? { hint: r.hint } : {}),
    };
  });
}

/** The title a report of `kind` carries, e.g. 示例城市商业银行关于“核心系统中断”网络安全事件的事发简要报告. */
export function draftTitle(kind: DraftKind, s: IncidentState, config: InstitutionConfig, lang: Lang): string {
  // A drill's every draft, DOCX and ledger content says so in its title.
  const title = `${s.drill ? t(lang, 'card.drill') : ''}${t(lang, 'draft.title', { institution: config.institution.name, title: s.title || s.id, kind: kindText(kind, lang) })}`;
  if (kind !== 'progress') return title;
  return `${title}${t(lang, 'draft.progressNo', { n: s.reports.filter((r) => r.kind === 'progress').length + 1 })}`;
}

/** Drafts a report of `kind` from the incident record at nowMs, in lang (zh-CN is the language of record). */
export function draftReport(kind: DraftKind, s: IncidentState, nowMs: number, config: InstitutionConfig, lang: Lang = 'zh-CN'): Draft {
  const resolved = draftItems(kind, s, nowMs, config, lang);
  const items: DraftItem[] = resolved.map(({ hint: _hint, ...item }) => item);
  const missing = items.filter((i) => i.value === null).map((i) => i.id);
  const title = draftTitle(kind, s, config, lang);
  const colon = lang === 'en' ? ': ' : '：';
  const indent = lang === 'en' ? '   ' : '　　';
  const lines = [title, t(lang, 'draft.subtitle', { id: s.id, at: minute(nowMs) }), ''];
  resolved.forEach((item, n) => {
    const num = lang === 'en' ? `${n + 1}. ` : `${chineseNumber(n + 1)}、`;
    let body: string;
    if (item.value !== null) body = item.value;
    else {
      const command = item.fillCommand ?? '';
      body = item.known !== undefined ? t(lang, 'draft.todoKnown', { known: item.known, command }) : t(lang, 'draft.todo', { command });
      if (item.hint !== undefined) body += item.hint;
    }
    const [first = '', ...rest] = body.split('\n');
    lines.push(rest.length > 0 ? `${num}${item.label}${colon.trimEnd()}` : `${num}${item.label}${colon}${first}`);
    if (rest.length > 0) for (const l of [first, ...rest]) lines.push(`${indent}${l}`);
  });
  lines.push('');
  const sep = t(lang, 'draft.sep');
  lines.push(missing.length === 0
    ? t(lang, 'draft.complete')
    : t(lang, 'draft.missing', { n: missing.length, labels: items.filter((i) => i.value === null).map((i) => i.label).join(sep), kind }));
  lines.push(t(lang, 'draft.footer'));
  return { kind, lang, title, text: lines.join('\n'), items, missing };
}
