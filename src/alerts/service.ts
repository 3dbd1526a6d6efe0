// Alerts in, incidents' outage times and proposal cards out. Talks to the Store and Sender ports only;
// the clock is injected (design.md: time is an argument).
import { createHash } from 'node:crypto';
import type { Bot } from '../bot.ts';
import { loadIncident, metaOf } from '../incident/stored.ts';
import { retryOnConflict } from '../store/retry-on-conflict.ts';
import { t, type Lang } from '../i18n/index.ts';
import { buildCard } from '../conversation/card.ts';
import { formatShanghai } from '../conversation/parse.ts';
import type { BotConfig } from '../config/bot-config.ts';
import type { ChatInput, Reply } from '../conversation/types.ts';
import { pendingRaises } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { fieldDef } from '../conversation/questions.ts';
import { apply, type IncidentState } from '../incident/state.ts';
import { nextWake } from '../reminders/planner.ts';
import type { Sender } from '../reminders/message.ts';
import { VersionConflictError, type Store } from '../store/types.ts';
import { linkAlerts, type AlertLink, type LinkItem } from './outage.ts';
import { parseDecision, proposalReplies, type Proposal } from './proposal.ts';
import { routeAlert, type AlertsConfig, type RoutedAlert } from './routes.ts';
import { signalKey, SOURCE_NAME, type AlertSignal } from './signal.ts';

export interface AlertServiceDeps {
  store: Store;
  config: BotConfig;
  alerts: AlertsConfig;
  bot: Bot; // a person's "open an incident" runs `/incident new` as that person
  sender: Sender; // the conversation's platform (console included)
  now: () => number;
  log: (msg: string) => void;
}

export interface ReceiveResult {
  accepted: number; // recorded on an incident or a proposal
  duplicates: number; // replays of what was already processed
  unmatched: number; // no route: counted and logged, never an incident
  unlinked: number; // resolved alerts with neither incident nor proposal
}

export interface AlertCounters extends ReceiveResult {
  proposals: number;
}

/** Characters of an unmatched alert's labels written to the log, and unmatched alerts logged per notification. */
export const UNMATCHED_LOG_MAX = 500;
const UNMATCHED_LOGGED = 5;
const cutLog = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s);

const KEEP_MS = 400 * 86_400_000; // links and proposals outlive any open incident's Art. 17 clocks
const CLAIM_MS = 60_000;
/** Signals a proposal keeps (the first ones); later ones for the same network only count. */
const MAX_PROPOSAL_SIGNALS = 50;
/** Posts about an open incident's alerts: at most this many a minute; the rest wait in a digest for the next one. */
export const ALERT_POSTS_PER_MINUTE = 3;
/** Alert names a post or the card lists; the others are counted. */
export const ALERT_NAMES_SHOWN = 5;
/** Snapshots of incidents kept in memory (the newest used), so a notification does not re-read the whole log. */
const SNAPSHOTS_MAX = 64;
const linkKey = (s: AlertSignal) => `alert-link|${s.source}|${s.alertId}`;
const doneKey = (s: AlertSignal) => `alert:${signalKey(s)}`;
const proposalKey = (id: string) => `alert-proposal|${id}`;
const statusKey = (id: string) => `alert-proposal-status|${id}`;
const slotKey = (id: string, n: number) => `alert-proposal-slot|${id}|${n}`;
const genKey = (conversation: string, network: string) => `alert-proposal-gen|${conversation}|${network}`;
const cardKey = (id: string) => `alert-proposal-card|${id}`;
const digestKey = (id: string) => `alert-digest|${id}`;

export interface AlertService {
  receive(signals: readonly AlertSignal[]): Promise<ReceiveResult>;
  /** A proposal's button or `/incident alert ...`: replies, or null when the input is not about a proposal. */
  decide(input: ChatInput): Promise<Reply[] | null>;
  readonly counters: AlertCounters;
}

/** Counts by alert name and state, the earliest start and the latest restoration: what a post about many alerts says. */
export interface AlertDigest {
  total: number;
  byName: Record<string, { firing: number; resolved: number }>;
  otherNames: number; // names beyond the ones kept (bounded), counted
  earliestStart: number | null;
  latestEnd: number | null;
  changed: boolean; // a time or the grade changed
}

const NAMES_KEPT = 50;

export function addToDigest(d: AlertDigest | null, signals: readonly AlertSignal[], changed: boolean): AlertDigest {
  const out: AlertDigest = d ? { ...d, byName: { ...d.byName } } : { total: 0, byName: {}, otherNames: 0, earliestStart: null, latestEnd: null, changed: false };
  out.changed ||= changed;
  for (const sig of signals) {
    out.total++;
    const c = out.byName[sig.name] ?? (Object.keys(out.byName).length < NAMES_KEPT ? (out.byName[sig.name] = { firing: 0, resolved: 0 }) : null);
    if (c) c[sig.status]++;
    else out.otherNames++;
    out.earliestStart = out.earliestStart === null ? sig.startsAtMs : Math.min(out.earliestStart, sig.startsAtMs);
    if (sig.endsAtMs !== null) out.latestEnd = out.latestEnd === null ? sig.endsAtMs : Math.max(out.latestEnd, sig.endsAtMs);
  }
  return out;
}

export function digestText(id: string, d: AlertDigest, lang: Lang): string {
  const names = Object.entries(d.byName).sort((a, b) => b[1].firing + b[1].resolved - (a[1].firing + a[1].resolved));
  const shown = names.slice(0, ALERT_NAMES_SHOWN).map(([name, c]) => t(lang, 'alert.digestName', { name, firing: c.firing, resolved: c.resolved }));
  const more = names.length - shown.length + (d.otherNames > 0 ? 1 : 0);
  return t(lang, 'alert.digest', {
    id, total: d.total, names: shown.join(t(lang, 'alert.listSep')), more,
    start: d.earliestStart === null ? '-' : formatShanghai(d.earliestStart), end: d.latestEnd === null ? t(lang, 'alert.notRestored') : formatShanghai(d.latestEnd),
  });
}

interface Target {
  id: string;
  index: number;
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { store, config, alerts, sender } = deps;
  const lang: Lang = config.institution.language;
  const counters: AlertCounters = { accepted: 0, duplicates: 0, unmatched: 0, unlinked: 0, proposals: 0 };
  const networkName = (id: string) => config.institution.networks.find((n) => n.id === id)?.name ?? id;

  // The latest state of incidents this replica touched, by id: an append states the version it was computed on, so
  // a snapshot another writer moved past fails with VersionConflictError and is read again. Bounded; insertion order
  // is the recency order.
  const snapshots = new Map<string, IncidentState>();
  function remember(s: IncidentState): void {
    snapshots.delete(s.id);
    snapshots.set(s.id, s);
    if (snapshots.size > SNAPSHOTS_MAX) snapshots.delete(snapshots.keys().next().value!);
  }
  async function latest(id: string, fresh: boolean): Promise<IncidentState | null> {
    const cached = fresh ? undefined : snapshots.get(id);
    if (cached) return cached;
    const s = await loadIncident(store, id);
    if (s) remember(s);
    else snapshots.delete(id);
    return s;
  }

  /** Appends what `make` computes on the latest state, plus any grade raise it brings, and re-plans reminders. */
  async function appendFresh(id: string, make: (s: IncidentState) => IncidentEvent[]): Promise<{ state: IncidentState; events: IncidentEvent[] } | null> {
    try {
      return await retryOnConflict(async (i) => {
        const s = await latest(id, i > 0);
        if (!s) return null;
        const made = make(s);
        if (made.length === 0) return { state: s, events: [] };
        const nowMs = deps.now();
        const mid = made.reduce(apply, s);
        const events = [...made, ...pendingRaises(mid, nowMs, config.assess, 'bot')];
        const after = events.reduce(apply, s);
        try {
          await store.append(id, s.version, events, metaOf(after));
        } catch (e) {
          snapshots.delete(id);
          throw e;
        }
        remember(after);
        // An alert that changed no fact (another alert inside the known interval) moves no reminder.
        if (events.some((e) => e.type !== 'alert')) {
          await store.setWake(id, nextWake(after, nowMs, config.assess, config.reminders)).catch((e: Error) => deps.log(`alerts: setWake ${id}: ${e.message}`));
        }
        return { state: after, events };
      });
    } catch (e) {
      if (e instanceof VersionConflictError) throw new Error(`alerts: ${id} kept changing`);
      throw e;
    }
  }

  // Alerts for one incident arrive in bursts: in this process they take turns instead of racing to append
  // (another replica's append still retries on VersionConflictError).
  const turns = new Map<string, Promise<unknown>>();
  function inTurn<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (turns.get(key) ?? Promise.resolve()).then(fn, fn);
    const settled = run.catch(() => undefined);
    turns.set(key, settled);
    void settled.then(() => { if (turns.get(key) === settled) turns.delete(key); });
    return run;
  }

  /** Whether this post about incident `id`'s alerts may go out now: at most ALERT_POSTS_PER_MINUTE a minute, across replicas. */
  async function mayPost(id: string): Promise<boolean> {
    const nowMs = deps.now();
    const minute = Math.floor(nowMs / 60_000);
    for (let k = 0; k < ALERT_POSTS_PER_MINUTE; k++) if (await store.claim(`alert-post|${id}|${minute}|${k}`, 120_000, nowMs)) return true;
    return false;
  }

  /**
   * Links a notification's signals for one incident: one append, and at most one post. Returns the replays (no
   * event). A post held back by the rate is kept in a digest and said with the next one; the card always has it all.
   */
  function linkBatch(target: Target, items: readonly LinkItem[], requireOpen = false): Promise<number | 'gone'> {
    return inTurn(target.id, async () => {
      let kept: AlertLink['kept'] = [];
      let replays = 0;
      let gone = false;
      const r = await appendFresh(target.id, (s) => {
        // Found as the network's open incident on a snapshot: if it has ended since, the alerts look for another home.
        // (A stale snapshot cannot hide that: an append on it conflicts, and this runs again on the stored state.)
        gone = requireOpen && s.resolvedAt !== null;
        if (gone) return [];
        const l = linkAlerts(s, items, deps.now(), config.assess);
        kept = l.kept;
        replays = l.replays;
        return l.events;
      });
      if (!r) return items.length;
      if (gone) return 'gone';
      const nowMs = deps.now();
      // The links last: after the post. A failure anywhere is answered 5xx; the source's retry finds the alerts in the
      // log (no event, no second post) and writes what is missing.
      const writeLinks = async () => {
        for (const { signal } of items) await store.setSession(linkKey(signal), { incidentId: target.id, network: target.index }, KEEP_MS, nowMs);
      };
      // Replays here are alerts with no done-marker: an earlier attempt recorded them and failed before it finished,
      // maybe before its post. They are announced (at worst a second time), never silently dropped.
      const linked = r.events.length === 0
        ? items.map((i) => i.signal)
        : items.filter(({ signal }) => r.events.some((e) => e.type === 'alert' && e.source === signal.source && e.alertId === signal.alertId && e.startsAt === signal.startsAtMs)).map((i) => i.signal);
      const changed = r.events.some((e) => e.type !== 'alert');
      const held = (await store.getSession(digestKey(target.id), nowMs)) as AlertDigest | null;
      if (!(await mayPost(target.id))) {
        await store.setSession(digestKey(target.id), addToDigest(held, linked, changed), KEEP_MS, nowMs);
        deps.log(`alerts: ${target.id}: ${linked.length} alerts linked; the post waits (over ${ALERT_POSTS_PER_MINUTE} a minute)`);
        await writeLinks();
        return replays;
      }
      const lines: string[] = [];
      if (!held && linked.length === 1) {
        const signal = linked[0]!;
        const from = t(lang, 'alert.from', { source: SOURCE_NAME[signal.source] });
        const what = signal.status === 'resolved' ? t(lang, 'alert.resolved', { end: formatShanghai(signal.endsAtMs!) }) : t(lang, 'alert.firing', { start: formatShanghai(signal.startsAtMs) });
        lines.push(t(lang, 'alert.linked', { id: target.id, name: signal.name, from, what }));
      } else {
        lines.push(digestText(target.id, addToDigest(held, linked, changed), lang));
      }
      for (const [path, value] of kept) {
        const by = r.state.valueBy[path]!;
        const source = SOURCE_NAME[linked[0]!.source];
        lines.push(t(lang, 'alert.kept', { source, field: fieldDef(path).label[lang], value: typeof value === 'number' ? formatShanghai(value) : String(value), actor: by.actor, reason: by.reason ?? '-' }));
      }
      // The card when a time or the grade changed; a line alone for more alerts inside the known interval.
      const card: Reply[] = changed || held?.changed ? [{ type: 'card', card: buildCard(r.state, nowMs, lang, config) }] : [];
      await post(r.state.conversation, r.state.id, [{ type: 'text', text: lines.join('\n') }, ...card]);
      if (held) await store.deleteSession(digestKey(target.id));
      await writeLinks();
      return replays;
    });
  }

  async function openIncidentFor(conversation: string, network: string): Promise<Target | null> {
    const metas = (await store.listOpen(conversation)).filter((m) => !m.drill);
    // Snapshots first (a found incident is checked again on append); on a miss, the stored state, since a person
    // may have named the network since the snapshot was taken.
    const cached = new Set(metas.filter((m) => snapshots.has(m.id)).map((m) => m.id));
    for (const fresh of [false, true]) {
      for (const meta of metas) {
        if (fresh && !cached.has(meta.id)) continue; // read from the store in the first pass already
        const s = await latest(meta.id, fresh);
        if (!s || s.resolvedAt !== null) continue;
        for (const [path, v] of Object.entries(s.values)) {
          const m = /^networks\.(\d+)\.ref$/.exec(path);
          if (m && v === network) return { id: s.id, index: Number(m[1]) };
        }
      }
    }
    return null;
  }

  async function post(conversation: string, incidentId: string, replies: Reply[]): Promise<void> {
    await sender.send({ conversation, incidentId, replies, mentions: config.institution.responsible ?? [] });
  }

  // ---- proposals: one per network at a time, across replicas ----
  // The id is a function of (conversation, network, generation); a decision moves the generation on. Every replica
  // computes the same id, adds its signals in numbered slots each taken by an atomic claim, and the card is posted
  // by the one that claims it. No read-modify-write of a shared record: nothing for two replicas to overwrite.

  const proposalIdOf = (conversation: string, network: string, gen: number) => `AL-${createHash('sha256').update(`${conversation}|${network}|${gen}`).digest('hex').slice(0, 8).toUpperCase()}`;

  async function currentProposalId(conversation: string, network: string): Promise<string> {
    const gen = ((await store.getSession(genKey(conversation, network), deps.now())) as number | null) ?? 0;
    return proposalIdOf(conversation, network, gen);
  }

  type Status = { status: 'opened' | 'ignored'; incidentId?: string; decidedBy?: string };

  /** The proposal's signals, from its slots, replays merged (the latest state of an occurrence wins). */
  async function proposalSignals(id: string): Promise<AlertSignal[]> {
    const out = new Map<string, AlertSignal>();
    for (let n = 1; n <= MAX_PROPOSAL_SIGNALS; n++) {
      const sig = (await store.getSession(slotKey(id, n), deps.now())) as AlertSignal | null;
      if (sig) out.set(`${sig.source}|${sig.alertId}|${sig.startsAtMs}`, sig); // empty: taken by an attempt that failed
    }
    return [...out.values()];
  }

  async function loadProposal(id: string): Promise<Proposal | null> {
    const base = (await store.getSession(proposalKey(id), deps.now())) as Proposal | null;
    if (!base) return null;
    const st = (await store.getSession(statusKey(id), deps.now())) as Status | null;
    const signals = await proposalSignals(id);
    return { ...base, ...(st ?? {}), signals: signals.length > 0 ? signals : base.signals };
  }

  async function propose(signals: readonly AlertSignal[], network: string, conversation: string, routeIndex: number): Promise<{ accepted: number; unlinked: number }> {
    const nowMs = deps.now();
    const id = await currentProposalId(conversation, network);
    const st = (await store.getSession(statusKey(id), nowMs)) as Status | null;
    const base = (await store.getSession(proposalKey(id), nowMs)) as Proposal | null;
    const firing = signals.filter((x) => x.status === 'firing');
    if (!base && firing.length === 0) {
      deps.log(`alerts: ${signals.length} resolved alerts (${signals[0]!.source} ${cutLog(JSON.stringify(signals[0]!.name), 200)}...) with no incident or proposal for network ${network}`);
      return { accepted: 0, unlinked: signals.length };
    }
    const first = [...(base ? signals : firing)].sort((a, b) => a.startsAtMs - b.startsAtMs)[0]!;
    const route = alerts.routes[routeIndex]!;
    if (!base) {
      const proposal: Proposal = {
        id, conversation, network, networkName: networkName(network), routeIndex, status: 'pending', signals: [first],
        title: route.title ?? `${networkName(network)}：${first.name}`,
      };
      await store.setSession(proposalKey(id), proposal, KEEP_MS, nowMs);
    }
    // Each signal in its own slot: the first MAX_PROPOSAL_SIGNALS are kept, a flapping alert only counts after that.
    // A slot is taken by an atomic claim of its number (not nextSequence: its counters are the incident ids'
    // high-water mark). An attempt that fails between the claim and the write leaves an empty slot, skipped on read.
    const added = base ? signals : [first, ...signals.filter((x) => x !== first)];
    let n = 1;
    for (const sig of added) {
      while (n <= MAX_PROPOSAL_SIGNALS && !(await store.claim(slotKey(id, n), KEEP_MS, nowMs))) n++;
      if (n > MAX_PROPOSAL_SIGNALS) break;
      await store.setSession(slotKey(id, n), sig, KEEP_MS, nowMs);
    }
    if (st?.status === 'opened' && st.incidentId) {
      // Decided while these were on their way: they belong to the incident it opened.
      await linkBatch({ id: st.incidentId, index: 0 }, signals.map((signal) => ({ signal, index: 0, networkId: network, route })));
      return { accepted: signals.length, unlinked: 0 };
    }
    if (st) return { accepted: signals.length, unlinked: 0 }; // ignored: recorded with it
    // The card: posted once, by the replica that claims it; a failed post is released and the source's retry posts it.
    if (await store.claim(cardKey(id), CLAIM_MS, nowMs)) {
      try {
        const p = (await loadProposal(id))!;
        await post(conversation, id, proposalReplies({ ...p, signals: [first, ...p.signals] }, lang));
      } catch (e) {
        await store.release(cardKey(id)).catch(() => undefined);
        throw e;
      }
      await store.markDone(cardKey(id));
      counters.proposals++;
      return { accepted: signals.length, unlinked: 0 };
    }
    if (!(await store.isDone(cardKey(id)))) {
      // Another replica is posting the card right now (or failed and its claim has not run out): the source retries.
      throw new AlertRetryError(`alerts: proposal ${id}: its card is being posted; retry`);
    }
    // Joins are said at most ALERT_POSTS_PER_MINUTE a minute too; the proposal keeps the alerts either way.
    if (!(await mayPost(id))) {
      deps.log(`alerts: proposal ${id}: ${signals.length} more alerts joined; not said (over ${ALERT_POSTS_PER_MINUTE} posts a minute)`);
      return { accepted: signals.length, unlinked: 0 };
    }
    const from = t(lang, 'alert.from', { source: SOURCE_NAME[first.source] });
    const names = [...new Set(signals.map((x) => x.name))];
    const name = names.length > 1 ? t(lang, 'alert.andMore', { name: names[0]!, n: signals.length }) : names[0]!;
    await post(conversation, id, [{ type: 'text', text: t(lang, 'alert.more', { name, from, start: formatShanghai(first.startsAtMs), id }) }]);
    return { accepted: signals.length, unlinked: 0 };
  }

  async function decideProposal(id: string, choice: 'open' | 'ignore', input: ChatInput): Promise<Reply[]> {
    const nowMs = deps.now();
    const p = await loadProposal(id);
    if (!p) return [{ type: 'error', text: t(lang, 'alert.noProposal', { id }) }];
    const outcome = (x: Proposal) => (x.status === 'opened' ? `${t(lang, 'alert.open')} ${x.incidentId ?? ''}` : t(lang, 'alert.ignore'));
    if (p.status !== 'pending') return [{ type: 'text', text: t(lang, 'alert.decided', { id, outcome: outcome(p) }) }];
    // One decision across replicas and double clicks.
    if (!(await store.claim(`alert-decide|${id}`, CLAIM_MS, nowMs))) return [{ type: 'text', text: t(lang, 'alert.decided', { id, outcome: '…' }) }];
    const user = input.userName ? `${input.user} (${input.userName})` : input.user;
    const names = [...new Set(p.signals.map((s) => s.name))].join('、');
    const nextGen = async () => {
      const gen = ((await store.getSession(genKey(p.conversation, p.network), nowMs)) as number | null) ?? 0;
      if (proposalIdOf(p.conversation, p.network, gen) === id) await store.setSession(genKey(p.conversation, p.network), gen + 1, KEEP_MS, nowMs);
    };
    try {
      if (choice === 'ignore') {
        await store.setSession(statusKey(id), { status: 'ignored', decidedBy: user } satisfies Status, KEEP_MS, nowMs);
        await nextGen();
        return [{ type: 'text', text: t(lang, 'alert.ignored', { id, names, user }) }];
      }
      const base = { user: input.user, ...(input.userName ? { userName: input.userName } : {}), conversation: p.conversation };
      const created = await deps.bot.handle({ kind: 'command', text: `new ${p.title}`, ...base });
      const card = created.find((r) => r.type === 'card');
      if (!card || card.type !== 'card') return created;
      const incidentId = card.card.incidentId;
      // The status first, then the generation, then the slots: a signal added meanwhile is either read here or sees the status.
      await store.setSession(statusKey(id), { status: 'opened', decidedBy: user, incidentId } satisfies Status, KEEP_MS, nowMs);
      await nextGen();
      const signals = (await proposalSignals(id)).sort((a, b) => a.startsAtMs - b.startsAtMs);
      const route = alerts.routes[p.routeIndex] ?? null;
      await inTurn(incidentId, () => appendFresh(incidentId, (s) => linkAlerts(s, signals.map((signal) => ({ signal, index: 0, networkId: p.network, route })), deps.now(), config.assess).events));
      for (const signal of signals) await store.setSession(linkKey(signal), { incidentId, network: 0 }, KEEP_MS, nowMs);
      const status = await deps.bot.handle({ kind: 'command', text: `status ${incidentId}`, ...base });
      return [{ type: 'text', text: t(lang, 'alert.opened', { id, incident: incidentId, names }) }, ...status];
    } finally {
      await store.release(`alert-decide|${id}`);
    }
  }

  /** Alerts without a route: counted; the first few logged within a bound. */
  function unmatched(list: readonly AlertSignal[]): void {
    for (const signal of list.slice(0, UNMATCHED_LOGGED)) {
      // Bounded: a sender's labels can be anything; the log keeps enough to write a route.
      deps.log(`alerts: unmatched ${signal.source} alert ${cutLog(JSON.stringify(signal.name), 200)} labels ${cutLog(JSON.stringify(signal.labels), UNMATCHED_LOG_MAX)}`);
    }
    if (list.length > UNMATCHED_LOGGED) deps.log(`alerts: ${list.length - UNMATCHED_LOGGED} more unmatched alerts in this notification`);
  }

  return {
    counters,
    async receive(signals) {
      const result: ReceiveResult = { accepted: 0, duplicates: 0, unmatched: 0, unlinked: 0 };
      // No claim is taken: linking is idempotent against the incident's log (a replay adds no event), so a failed
      // attempt leaves nothing behind that could make its retry look like a duplicate. The done-marker, written only
      // after success, is a shortcut for replays, never the only guard.
      const fresh: AlertSignal[] = [];
      for (const signal of signals) {
        if (await store.isDone(doneKey(signal))) result.duplicates++;
        else fresh.push(signal);
      }
      const noRoute: AlertSignal[] = [];
      const toIncident = new Map<string, { target: Target & { found?: true }; items: LinkItem[]; routed: RoutedAlert[] }>();
      const toProposal = new Map<string, { network: string; conversation: string; routeIndex: number; signals: AlertSignal[] }>();
      const toProposalOf = (signal: AlertSignal, routed: RoutedAlert) => {
        const k = `${routed.conversation}|${routed.network}`;
        const g = toProposal.get(k) ?? { network: routed.network, conversation: routed.conversation, routeIndex: routed.routeIndex, signals: [] };
        g.signals.push(signal);
        toProposal.set(k, g);
      };
      const openCache = new Map<string, Target | null>();
      for (const signal of fresh) {
        const routed = routeAlert(signal, alerts);
        if (!routed) {
          noRoute.push(signal);
          continue;
        }
        const linked = (await store.getSession(linkKey(signal), deps.now())) as { incidentId: string; network: number } | null;
        let target: (Target & { found?: true }) | null = linked ? { id: linked.incidentId, index: linked.network } : null;
        if (!target) {
          const k = `${routed.conversation}|${routed.network}`;
          if (!openCache.has(k)) openCache.set(k, await openIncidentFor(routed.conversation, routed.network));
          const found = openCache.get(k);
          target = found ? { ...found, found: true } : null;
        }
        if (target) {
          const g = toIncident.get(`${target.id}|${target.found ? 'open' : 'linked'}`) ?? { target, items: [], routed: [] };
          g.items.push({ signal, index: target.index, networkId: routed.network, route: routed.route });
          g.routed.push(routed);
          toIncident.set(`${target.id}|${target.found ? 'open' : 'linked'}`, g);
        } else {
          toProposalOf(signal, routed);
        }
      }
      result.unmatched = noRoute.length;
      unmatched(noRoute);
      for (const { target, items, routed } of toIncident.values()) {
        const replays = await linkBatch(target, items, target.found === true);
        if (replays === 'gone') {
          items.forEach((item, i) => toProposalOf(item.signal, routed[i]!));
          continue;
        }
        result.duplicates += replays;
        result.accepted += items.length - replays;
      }
      for (const g of toProposal.values()) {
        const r = await propose(g.signals, g.network, g.conversation, g.routeIndex);
        result.accepted += r.accepted;
        result.unlinked += r.unlinked;
      }
      for (const signal of fresh) await store.markDone(doneKey(signal));
      for (const k of ['accepted', 'duplicates', 'unmatched', 'unlinked'] as const) counters[k] += result[k];
      return result;
    },
    async decide(input) {
      const d = parseDecision(input);
      if (!d) return null;
      if ('usage' in d) return [{ type: 'error', text: t(lang, 'alert.usage') }];
      return decideProposal(d.id, d.choice, input);
    },
  };
}

/** A notification that cannot be taken right now but will be (another replica is posting its proposal card): 503. */
export class AlertRetryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertRetryError';
  }
}

/** The bot every adapter talks to, with proposal buttons and `/incident alert ...` answered by the alert service. */
export function withAlertDecisions(bot: Bot, service: () => AlertService | null): Bot {
  return {
    load: (id) => bot.load(id),
    async handle(input) {
      const s = service();
      return (s ? await s.decide(input) : null) ?? bot.handle(input);
    },
  };
}
