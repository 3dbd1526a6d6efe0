// The per-incident read model behind the compliance page: each incident's folded state and what sorting and
// filtering need (grade, next deadline, waiting confirmations), kept per replica and keyed on the incident's
// event-log version. Every read asks the store for the log's version (one cheap query for a whole page); an entry
// is reused only while the log has not grown and nothing time-driven has fallen due (a live-outage escalation, a
// deadline passing), so no replica ever shows a state older than the log.
import { assess } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { awaitingConfirmation, fold, type IncidentState } from '../incident/state.ts';
import type { AssessContext } from '../incident/assess.ts';
import type { Grade } from '../regimes/pboc-2025-4/grades.ts';
import type { IncidentMeta, Store } from '../store/types.ts';
import type { BotConfig } from '../conversation/types.ts';
import type { Lang } from '../i18n/index.ts';
import { nowIncident, regimesOf, type NowIncident } from './model.ts';
import type { RegimeId } from '../regimes/port.ts';
import { recordObligations, type RegimeConfig } from './regime-obligations.ts';

export interface IncidentView {
  meta: IncidentMeta;
  version: number; // the number of events in its log
  state: IncidentState;
  events: IncidentEvent[];
  grade: Grade | null; // the grade in force (recorded, or computed when higher)
  nextDueMs: number | null; // the earliest obligation not yet met
  overdue: boolean; // some obligation past due and not met
  awaiting: number; // email/fax reports awaiting Art. 18 confirmation
  regimes: RegimeId[]; // the regimes it has obligations under (the page's regime filter)
}

interface Entry {
  view: IncidentView;
  validUntilMs: number; // the next moment time alone changes the assessment (an escalation of a live outage)
}

const YIELD_EVERY = 100;

export interface ReadModel {
  /** One incident as the log has it now (null when unknown). */
  get(id: string, nowMs: number): Promise<IncidentView | null>;
  /** These incidents, in the order given. */
  many(metas: readonly IncidentMeta[], nowMs: number): Promise<IncidentView[]>;
  /** The incident's Now-page card in this language at nowMs, reused while its version is the same and no minute count has ticked. */
  card(v: IncidentView, nowMs: number, lang: Lang, config: BotConfig): NowIncident;
  /** Entries reused / rebuilt since start (for the bench and tests). */
  stats(): { hits: number; misses: number };
}

/** rc: the institution's profile and regime settings (regimeConfigOf), deciding which regimes bind it. */
export function createReadModel(store: Store, ctx: AssessContext, rc: RegimeConfig = {}): ReadModel {
  const cache = new Map<string, Entry>();
  const cards = new Map<string, { version: number; fromMs: number; untilMs: number; entry: NowIncident }>();
  let hits = 0;
  let misses = 0;

  function build(meta: IncidentMeta, events: IncidentEvent[], nowMs: number): Entry {
    const state = fold(events);
    const a = assess(state, nowMs, ctx);
    const all = [...a.deadlines.immediate, ...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : [])];
    const obligations = recordObligations(state, nowMs, ctx.calendar, rc, a);
    // PBoC's clocks as the assessment gives them, and the other regimes' that have a fixed time.
    const open = [...all, ...obligations.filter((o) => o.regime !== 'pboc' && o.dueAtMs !== null).map((o) => ({ status: o.status, dueAtMs: o.dueAtMs! }))]
      .filter((d) => d.status !== 'met');
    const later = a.escalations.map((e) => e.atMs).filter((t) => t > nowMs);
    return {
      view: {
        meta, version: events.length, state, events, grade: a.grade,
        nextDueMs: open.length ? Math.min(...open.map((d) => d.dueAtMs)) : null,
        overdue: open.some((d) => d.dueAtMs <= nowMs),
        awaiting: awaitingConfirmation(state).length,
        regimes: regimesOf(obligations),
      },
      validUntilMs: Math.min(Number.MAX_SAFE_INTEGER, ...later, ...open.map((d) => d.dueAtMs).filter((t) => t > nowMs)),
    };
  }

  function reuse(id: string, version: number, nowMs: number): IncidentView | null {
    const hit = cache.get(id);
    if (hit && version > 0 && hit.view.version === version && nowMs >= hit.view.state.createdAt && nowMs < hit.validUntilMs) {
      hits++;
      return hit.view;
    }
    return null;
  }

  async function load(meta: IncidentMeta | null, id: string, nowMs: number): Promise<IncidentView | null> {
    const stored = await store.load(id);
    if (!stored) return null;
    const again = reuse(id, stored.events.length, nowMs);
    if (again) return again;
    misses++;
    const entry = build(meta ?? stored.meta, stored.events.map((e) => e.event as IncidentEvent), nowMs);
    cache.set(id, entry);
    return entry.view;
  }

  return {
    async get(id, nowMs) {
      const [version] = await store.versions([id]);
      return reuse(id, version ?? 0, nowMs) ?? load(null, id, nowMs);
    },
    async many(metas, nowMs) {
      const versions = await store.versions(metas.map((m) => m.id));
      const out: IncidentView[] = [];
      let rebuilt = 0;
      for (const [i, m] of metas.entries()) {
        const hit = reuse(m.id, versions[i] ?? 0, nowMs);
        if (hit) { out.push(hit); continue; }
        if (++rebuilt % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r)); // thousands must not hold up other requests
        const v = await load(m, m.id, nowMs);
        if (v) out.push(v);
      }
      return out;
    },
    card(v, nowMs, lang, config) {
      const key = `${v.meta.id}|${lang}`;
      const c = cards.get(key);
      if (c && c.version === v.version && nowMs >= c.fromMs && nowMs < c.untilMs) return c.entry;
      const built = nowIncident(v.state, nowMs, lang, config);
      cards.set(key, { version: v.version, fromMs: nowMs, untilMs: built.sameUntilMs, entry: built.entry });
      return built.entry;
    },
    stats: () => ({ hits, misses }),
  };
}
