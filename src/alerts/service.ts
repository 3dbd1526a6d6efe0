// Alerts in, incidents' outage times and proposal cards out. Talks to the Store and Sender ports only;
// the clock is injected (design.md: time is an argument).
import { createHash } from 'node:crypto';
import { loadIncident, metaOf, type Bot } from '../bot.ts';
import { t, type Lang } from '../i18n/index.ts';
import { buildCard } from '../conversation/card.ts';
import { formatShanghai } from '../conversation/parse.ts';
import type { BotConfig, ChatInput, Reply } from '../conversation/types.ts';
import { pendingRaises } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { fieldDef } from '../conversation/questions.ts';
import { apply, type IncidentState } from '../incident/state.ts';
import { nextWake } from '../reminders/planner.ts';
import type { Sender } from '../reminders/message.ts';
import { VersionConflictError, type Store } from '../store/types.ts';
import { linkAlert } from './outage.ts';
import { parseDecision, proposalReplies, type Proposal } from './proposal.ts';
import { routeAlert, type AlertsConfig } from './routes.ts';
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

/** Characters of an unmatched alert's labels written to the log. */
export const UNMATCHED_LOG_MAX = 500;
const cutLog = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s);

const KEEP_MS = 400 * 86_400_000; // links and proposals outlive any open incident's Art. 17 clocks
const CLAIM_MS = 60_000;
const MAX_PROPOSAL_SIGNALS = 50;
const linkKey = (s: AlertSignal) => `alert-link|${s.source}|${s.alertId}`;
const proposalKey = (id: string) => `alert-proposal|${id}`;
const pendingKey = (conversation: string, network: string) => `alert-proposal-net|${conversation}|${network}`;

export interface AlertService {
  receive(signals: readonly AlertSignal[]): Promise<ReceiveResult>;
  /** A proposal's button or `/incident alert ...`: replies, or null when the input is not about a proposal. */
  decide(input: ChatInput): Promise<Reply[] | null>;
  readonly counters: AlertCounters;
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { store, config, alerts, sender } = deps;
  const lang: Lang = config.institution.language;
  const counters: AlertCounters = { accepted: 0, duplicates: 0, unmatched: 0, unlinked: 0, proposals: 0 };
  const networkName = (id: string) => config.institution.networks.find((n) => n.id === id)?.name ?? id;

  /** Appends what `make` computes on the latest state, plus any grade raise it brings, and re-plans reminders. */
  async function appendFresh(id: string, make: (s: IncidentState) => IncidentEvent[]): Promise<{ state: IncidentState; events: IncidentEvent[] } | null> {
    for (let i = 0; i < 8; i++) {
      const s = await loadIncident(store, id);
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
        if (e instanceof VersionConflictError) continue;
        throw e;
      }
      // An alert that changed no fact (another alert inside the known interval) moves no reminder.
      if (events.some((e) => e.type !== 'alert')) {
        await store.setWake(id, nextWake(after, nowMs, config.assess)).catch((e: Error) => deps.log(`alerts: setWake ${id}: ${e.message}`));
      }
      return { state: after, events };
    }
    throw new Error(`alerts: ${id} kept changing`);
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

  /** Links the signal to network `index` of incident `id`; returns the replies to post, or null when nothing changed. */
  function link(id: string, signal: AlertSignal, index: number, network: string, routeIndex: number | null): Promise<{ state: IncidentState; replies: Reply[] } | null> {
    return inTurn(id, () => linkNow(id, signal, index, network, routeIndex));
  }

  async function linkNow(id: string, signal: AlertSignal, index: number, network: string, routeIndex: number | null): Promise<{ state: IncidentState; replies: Reply[] } | null> {
    const route = routeIndex === null ? null : alerts.routes[routeIndex] ?? null;
    let kept: ReturnType<typeof linkAlert>['kept'] = [];
    const r = await appendFresh(id, (s) => {
      const l = linkAlert(s, signal, index, network, route, deps.now(), config.assess);
      kept = l.kept;
      return l.events;
    });
    await store.setSession(linkKey(signal), { incidentId: id, network: index }, KEEP_MS, deps.now());
    if (!r || r.events.length === 0) return null;
    const source = SOURCE_NAME[signal.source];
    const from = t(lang, 'alert.from', { source });
    const what = signal.status === 'resolved' ? t(lang, 'alert.resolved', { end: formatShanghai(signal.endsAtMs!) }) : t(lang, 'alert.firing', { start: formatShanghai(signal.startsAtMs) });
    const lines = [t(lang, 'alert.linked', { id, name: signal.name, from, what })];
    for (const [path, value] of kept) {
      const by = r.state.valueBy[path]!;
      lines.push(t(lang, 'alert.kept', { source, field: fieldDef(path).label[lang], value: typeof value === 'number' ? formatShanghai(value) : String(value), actor: by.actor, reason: by.reason ?? '-' }));
    }
    // The card when a time or the grade changed; a line alone for one more alert inside the known interval.
    const changed = r.events.some((e) => e.type !== 'alert');
    const card: Reply[] = changed ? [{ type: 'card', card: buildCard(r.state, deps.now(), lang, config) }] : [];
    return { state: r.state, replies: [{ type: 'text', text: lines.join('\n') }, ...card] };
  }

  async function openIncidentFor(conversation: string, network: string): Promise<{ id: string; index: number } | null> {
    for (const meta of await store.listOpen(conversation)) {
      if (meta.drill) continue;
      const s = await loadIncident(store, meta.id);
      if (!s || s.resolvedAt !== null) continue;
      for (const [path, v] of Object.entries(s.values)) {
        const m = /^networks\.(\d+)\.ref$/.exec(path);
        if (m && v === network) return { id: s.id, index: Number(m[1]) };
      }
    }
    return null;
  }

  async function post(conversation: string, incidentId: string, replies: Reply[]): Promise<void> {
    await sender.send({ conversation, incidentId, replies, mentions: config.institution.responsible ?? [] });
  }

  async function propose(signal: AlertSignal, network: string, conversation: string, routeIndex: number): Promise<'accepted' | 'unlinked'> {
    const pendingId = (await store.getSession(pendingKey(conversation, network), deps.now())) as string | null;
    const pending = pendingId ? ((await store.getSession(proposalKey(pendingId), deps.now())) as Proposal | null) : null;
    if (pending && pending.status === 'pending') {
      const same = pending.signals.findIndex((x) => x.source === signal.source && x.alertId === signal.alertId && x.startsAtMs === signal.startsAtMs);
      // A flapping alert must not grow the proposal without bound: past MAX_PROPOSAL_SIGNALS only updates count.
      if (same < 0 && pending.signals.length >= MAX_PROPOSAL_SIGNALS) return 'accepted';
      const signals = same >= 0 ? pending.signals.map((x, i) => (i === same ? signal : x)) : [...pending.signals, signal];
      await store.setSession(proposalKey(pending.id), { ...pending, signals }, KEEP_MS, deps.now());
      if (same < 0) {
        const from = t(lang, 'alert.from', { source: SOURCE_NAME[signal.source] });
        await post(conversation, pending.id, [{ type: 'text', text: t(lang, 'alert.more', { name: signal.name, from, start: formatShanghai(signal.startsAtMs), id: pending.id }) }]);
      }
      return 'accepted';
    }
    if (signal.status === 'resolved') {
      deps.log(`alerts: ${signal.source} alert ${JSON.stringify(signal.name)} resolved with no incident or proposal for network ${network}`);
      return 'unlinked';
    }
    const id = `AL-${createHash('sha256').update(`${conversation}|${network}|${signalKey(signal)}`).digest('hex').slice(0, 8).toUpperCase()}`;
    const route = alerts.routes[routeIndex]!;
    const proposal: Proposal = {
      id, conversation, network, networkName: networkName(network), routeIndex, status: 'pending', signals: [signal],
      title: route.title ?? `${networkName(network)}：${signal.name}`,
    };
    await store.setSession(proposalKey(id), proposal, KEEP_MS, deps.now());
    await post(conversation, id, proposalReplies(proposal, lang));
    // Only once the card is out: a failed post is retried by the source and posts it then.
    await store.setSession(pendingKey(conversation, network), id, KEEP_MS, deps.now());
    counters.proposals++;
    return 'accepted';
  }

  async function process(signal: AlertSignal): Promise<'accepted' | 'unmatched' | 'unlinked'> {
    const routed = routeAlert(signal, alerts);
    if (!routed) {
      // Bounded: a sender's labels can be anything; the log keeps enough to write a route.
      deps.log(`alerts: unmatched ${signal.source} alert ${cutLog(JSON.stringify(signal.name), 200)} labels ${cutLog(JSON.stringify(signal.labels), UNMATCHED_LOG_MAX)}`);
      return 'unmatched';
    }
    const linked = (await store.getSession(linkKey(signal), deps.now())) as { incidentId: string; network: number } | null;
    const target = linked ? { id: linked.incidentId, index: linked.network } : await openIncidentFor(routed.conversation, routed.network);
    if (target) {
      const r = await link(target.id, signal, target.index, routed.network, routed.routeIndex);
      if (r) await post(r.state.conversation, r.state.id, r.replies);
      return 'accepted';
    }
    return propose(signal, routed.network, routed.conversation, routed.routeIndex);
  }

  async function decideProposal(id: string, choice: 'open' | 'ignore', input: ChatInput): Promise<Reply[]> {
    const nowMs = deps.now();
    const p = (await store.getSession(proposalKey(id), nowMs)) as Proposal | null;
    if (!p) return [{ type: 'error', text: t(lang, 'alert.noProposal', { id }) }];
    const outcome = (x: Proposal) => (x.status === 'opened' ? `${t(lang, 'alert.open')} ${x.incidentId ?? ''}` : t(lang, 'alert.ignore'));
    if (p.status !== 'pending') return [{ type: 'text', text: t(lang, 'alert.decided', { id, outcome: outcome(p) }) }];
    // One decision across replicas and double clicks.
    if (!(await store.claim(`alert-decide|${id}`, CLAIM_MS, nowMs))) return [{ type: 'text', text: t(lang, 'alert.decided', { id, outcome: '…' }) }];
    const user = input.userName ? `${input.user} (${input.userName})` : input.user;
    const names = [...new Set(p.signals.map((s) => s.name))].join('、');
    try {
      if (choice === 'ignore') {
        await store.setSession(proposalKey(id), { ...p, status: 'ignored', decidedBy: user }, KEEP_MS, nowMs);
        await store.deleteSession(pendingKey(p.conversation, p.network));
        return [{ type: 'text', text: t(lang, 'alert.ignored', { id, names, user }) }];
      }
      const base = { user: input.user, ...(input.userName ? { userName: input.userName } : {}), conversation: p.conversation };
      const created = await deps.bot.handle({ kind: 'command', text: `new ${p.title}`, ...base });
      const card = created.find((r) => r.type === 'card');
      if (!card || card.type !== 'card') return created;
      const incidentId = card.card.incidentId;
      await store.setSession(proposalKey(id), { ...p, status: 'opened', decidedBy: user, incidentId }, KEEP_MS, nowMs);
      await store.deleteSession(pendingKey(p.conversation, p.network));
      for (const s of [...p.signals].sort((a, b) => a.startsAtMs - b.startsAtMs)) await link(incidentId, s, 0, p.network, p.routeIndex);
      const status = await deps.bot.handle({ kind: 'command', text: `status ${incidentId}`, ...base });
      return [{ type: 'text', text: t(lang, 'alert.opened', { id, incident: incidentId, names }) }, ...status];
    } finally {
      await store.release(`alert-decide|${id}`);
    }
  }

  return {
    counters,
    async receive(signals) {
      const result: ReceiveResult = { accepted: 0, duplicates: 0, unmatched: 0, unlinked: 0 };
      for (const signal of signals) {
        const key = `alert:${signalKey(signal)}`;
        // Once across replicas and replays; released when processing fails, so the source's retry redoes it.
        if (!(await store.claim(key, CLAIM_MS, deps.now()))) {
          result.duplicates++;
          continue;
        }
        let outcome: Awaited<ReturnType<typeof process>>;
        try {
          outcome = await process(signal);
        } catch (e) {
          await store.release(key);
          throw e;
        }
        await store.markDone(key);
        result[outcome]++;
      }
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
