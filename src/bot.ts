import { t, type Lang } from './i18n/index.ts';
import { apply, emptyState, type IncidentState } from './incident/state.ts';
import { appliesAfterClose, asksWhich, recordsOnIncident, resolveTarget, step, toCommand, WHICH_INCIDENT } from './conversation/step.ts';
import type { BotConfig } from './config/bot-config.ts';
import { newSession, type ChatInput, type Reply, type Session } from './conversation/types.ts';
import { CONVERSATION_LANG_TTL_MS, conversationLangKey, nextWake } from './reminders/planner.ts';
import { endOfShanghaiDate, formatShanghaiMinute, shanghaiDate, startOfShanghaiDate } from './calendar/time.ts';
import { isValidDate } from './calendar/working-days.ts';
import { ledgerFromStore } from './ledger/ledger.ts';
import { revokeWebSessions } from './web/sessions.ts';
import { AlreadyRecordedError, StoreReplacedError, VersionConflictError, type Store } from './store/types.ts';
import { loadIncident, metaOf, ONCE_RETAIN_MS } from './incident/stored.ts';
import { retryOnConflict } from './store/retry-on-conflict.ts';

export interface BotDeps {
  store: Store;
  config: BotConfig;
  now: () => number; // the clock, injected (a drill runs on a simulated one)
  drill?: boolean; // drill incidents are kept apart from the real ledger
  log?: (msg: string) => void;
  /** `/incident web`: a single-use sign-in link to the compliance page for this user; absent when the page is off. */
  webLink?: (who: { user: string; lang: Lang; conversation?: string }) => string;
  /** How long a sign-in link lasts, for the reply's wording. */
  webLinkTtlMs?: number;
}

export interface Bot {
  handle(input: ChatInput): Promise<Reply[]>;
  load(id: string): Promise<IncidentState | null>;
}

const SESSION_TTL_MS = 7 * 86_400_000;
const channelKey = (conversation: string) => `${conversation}|*`;
const RESUMED_NOTE_AFTER_MS = 60_000;
const LEDGER_CHAT_ROWS = 30;
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The one entry every adapter calls: plain input in, plain replies out. */
export function createBot(deps: BotDeps): Bot {
  const { store, config } = deps;
  const defaultLang: Lang = config.institution.language;

  async function allocateId(nowMs: number): Promise<string> {
    const prefix = `${deps.drill ? 'DRILL' : 'INC'}-${shanghaiDate(nowMs).replaceAll('-', '')}`;
    const n = await store.nextSequence(prefix);
    return `${prefix}-${String(n).padStart(2, '0')}`;
  }

  async function attempt(input: ChatInput, asked: Session, sessionKey: string): Promise<Reply[]> {
    const realNow = deps.now();
    const nowMs = input.receivedAtMs !== undefined ? Math.min(input.receivedAtMs, realNow) : realNow;
    const parsed = toCommand(input, asked);
    if (!parsed.ok) return [parsed.reply];
    // A "which incident?" question is answered by this input, or left behind by a new command.
    const session: Session = asked.pending?.questionId === WHICH_INCIDENT ? { ...asked, pending: null } : asked;
    const cmd = parsed.command;
    if (cmd.name === 'ledger') return ledgerReplies(cmd.from, cmd.to, nowMs, session.lang, input);
    if (cmd.name === 'web') return cmd.revoke ? webRevoke(input, cmd.revoke, session.lang, nowMs) : webReplies(input, session.lang);
    // help and lang touch no incident: they need not list the channel's open ones.
    const needsOpen = cmd.name !== 'help' && cmd.name !== 'lang';
    const openMetas = needsOpen ? (await store.listOpen(input.conversation)).filter((m) => (m.drill ?? false) === (deps.drill ?? false)) : [];
    const openIds = openMetas.map((m) => m.id);
    const loadAll = async (ids: readonly string[]) => (await Promise.all(ids.map((id) => loadIncident(store, id)))).filter((s): s is IncidentState => s !== null);
    // Several incidents here, none named, and this user chose none: ask which, never guess.
    if (cmd.name !== 'new' && asksWhich(cmd, input, session, openIds, parsed.target)) return askWhich(input, session, sessionKey, await loadAll(openIds), nowMs);
    let targetId = cmd.name === 'new' ? null : resolveTarget(cmd, input, session, openIds, parsed.target);
    // Feedback can come weeks after the final report, when the session has expired: the one closed incident here.
    if (targetId === null && openIds.length === 0 && appliesAfterClose(cmd) && cmd.name !== 'status') {
      const closed = await recentlyClosed(input.conversation, nowMs, 90);
      if (closed.length === 1) targetId = closed[0]!;
    }
    const incident = targetId ? await loadIncident(store, targetId) : null;
    // `list` shows every open incident; `new` only needs to know whether the one this user was on is still open
    // (so creating the thousandth incident here does not fold the other 999).
    const open = cmd.name === 'list' ? await loadAll(openIds) : cmd.name === 'new' ? await loadAll(openIds.filter((id) => id === session.active)) : [];
    const recent = cmd.name === 'list' ? await loadAll(await recentlyClosed(input.conversation, nowMs)) : [];
    const newId = cmd.name === 'new' ? await allocateId(nowMs) : undefined;
    const result = step({ input, session, incident, open, recent, nowMs, config, parsed, ...(newId ? { newId } : {}) });
    // Several incidents here and none named: say which one the command acted on.
    const implicit = !parsed.target && cmd.name !== 'use' && !(cmd.name === 'status' && cmd.id) && input.kind === 'command';
    const others = openIds.filter((id) => id !== result.incidentId);
    if (implicit && incident && result.incidentId === incident.id && others.length > 0) {
      const key = recordsOnIncident(cmd) ? 'note.actedOnChosen' : 'note.actedOn';
      result.replies.unshift({ type: 'text', text: t(session.lang, key, { id: incident.id, ids: [incident.id, ...others].join(', ') }) });
    }
    // Naming an incident chooses it: this user's unnamed commands go to it from now on.
    if (parsed.target && incident && result.incidentId === parsed.target && !result.replies.some((r) => r.type === 'error')) {
      result.session = { ...result.session, active: parsed.target, chosen: parsed.target };
    }
    // Resumed after a restart: say when it was received, which is the time it is recorded at.
    if (realNow - nowMs > RESUMED_NOTE_AFTER_MS) {
      result.replies.unshift({ type: 'text', text: t(session.lang, 'note.resumed', { at: formatShanghaiMinute(nowMs), text: input.text.slice(0, 80) }) });
    }
    if (result.events.length > 0 && result.incidentId) {
      const events = deps.drill && newId ? result.events.map((e) => (e.type === 'created' ? { ...e, drill: true } : e)) : result.events;
      const state = events.reduce(apply, incident ?? emptyState());
      const once = input.onceKey ? { once: { key: input.onceKey, nowMs, retainMs: ONCE_RETAIN_MS } } : undefined;
      await store.append(result.incidentId, incident?.version ?? 0, events, metaOf(state), once);
      // Recorded. What follows is bookkeeping: a failure there must not tell the user nothing was recorded.
      // The ticker's reindex at start-up rebuilds a lost wake-up.
      await store.setWake(result.incidentId, nextWake(state, nowMs, config.assess, config.reminders)).catch((e: Error) => deps.log?.(`setWake ${result.incidentId}: ${e.message}`));
    }
    await store.setSession(sessionKey, result.session, SESSION_TTL_MS, nowMs).catch((e: Error) => {
      if (result.events.length === 0) throw e;
      deps.log?.(`setSession: ${e.message}`);
    });
    // `/incident lang` sets the language of the reminders posted in this conversation too (the ticker reads it).
    if (cmd.name === 'lang' && result.replies.every((r) => r.type !== 'error')) {
      await store.setSession(conversationLangKey(input.conversation), result.session.lang, CONVERSATION_LANG_TTL_MS, nowMs);
    }
    for (const a of result.attachments ?? []) {
      const s = incident!;
      // The DOCX library is loaded on the first report that needs it, not at start-up.
      const { finalReportDocx } = await import('./reports/docx.ts');
      const kind = a.kind === 'revision-docx' ? 'revision' : 'final';
      const data = await finalReportDocx(s, nowMs, config.institution, a.lang, kind);
      const date = shanghaiDate(nowMs).replaceAll('-', '');
      const title = t(a.lang, kind === 'revision' ? 'file.revisionDocx' : 'file.finalDocx', { id: s.id });
      result.replies.push({ type: 'file', filename: `${s.id}-${kind}-${date}.docx`, mimeType: DOCX_MIME, data, title, incidentId: s.id });
    }
    // The channel's current question: the one the bot asked last, whoever it asked.
    if (result.session.pending) await store.setSession(channelKey(input.conversation), result.session.pending, SESSION_TTL_MS, nowMs).catch(() => undefined);
    else if (session.pending && input.kind !== 'command') await store.deleteSession(channelKey(input.conversation)).catch(() => undefined);
    return result.replies;
  }

  /** Asks which incident a recording command is for; the command waits in this user's session for the answer. */
  async function askWhich(input: ChatInput, session: Session, sessionKey: string, open: IncidentState[], nowMs: number): Promise<Reply[]> {
    const lang = session.lang;
    const ids = open.map((s) => s.id);
    await store.setSession(sessionKey, { ...session, pending: { incidentId: '', questionId: WHICH_INCIDENT, path: ids.join(','), command: input.text } }, SESSION_TTL_MS, nowMs);
    return [{
      type: 'question',
      question: {
        // incidentId: the incidents offered (platforms show it beside the question); the answer is read by the question id.
        id: WHICH_INCIDENT, incidentId: ids.join(' / '), path: '', prompt: t(lang, 'which.prompt', { ids: ids.join(', ') }), answerType: 'choice',
        options: open.map((s) => ({ value: s.id, label: `${s.id} ${s.title}`.slice(0, 60) })), allowUnknown: false, hint: t(lang, 'which.hint'),
      },
    }];
  }

  /** Incidents of this conversation created in the last 30 days and closed (still addressable by id). */
  async function recentlyClosed(conversation: string, nowMs: number, days = 30): Promise<string[]> {
    const metas = await store.listInRange(nowMs - days * 86_400_000, nowMs + 86_400_000, { includeDrill: deps.drill ?? false });
    return metas.filter((m) => m.conversation === conversation && !m.open && (m.drill ?? false) === (deps.drill ?? false)).map((m) => m.id);
  }

  /**
   * `/incident ledger [from] [to]`: the Art. 25 ledger in chat, only to the asker (ephemeral where the platform
   * allows): the incidents of this conversation, or every incident for the institution file's ledgerAdmins.
   * The CLI exports it whole.
   */
  async function ledgerReplies(from: string | undefined, to: string | undefined, nowMs: number, lang: Lang, input: ChatInput): Promise<Reply[]> {
    const toDate = to ?? shanghaiDate(nowMs);
    const fromDate = from ?? shanghaiDate(nowMs - 30 * 86_400_000);
    if (!isValidDate(fromDate) || !isValidDate(toDate) || fromDate > toDate) return [{ type: 'error', text: t(lang, 'err.ledgerDates') }];
    const admin = config.institution.ledgerAdmins.includes(input.user);
    // Every incident in range is read (yielding as it goes), so the counts are right; only LEDGER_CHAT_ROWS are shown.
    // A drill's ledger is the drill's own reports; the real ledger never shows a drill.
    const scope = { conversation: admin ? null : input.conversation, drill: deps.drill ?? false };
    const rows = await ledgerFromStore(store, startOfShanghaiDate(fromDate), endOfShanghaiDate(toDate), lang, scope);
    const note = admin ? [] : [t(lang, 'ledger.scope')];
    if (rows.length === 0) return [{ type: 'text', ephemeral: true, text: [t(lang, 'ledger.none', { from: fromDate, to: toDate }), ...note].join('\n') }];
    const shown = rows.slice(0, LEDGER_CHAT_ROWS).map((r) => t(lang, 'ledger.row', {
      id: r.incidentId, title: r.title, occurred: r.occurredAt.slice(0, 16).replace('T', ' '), grade: r.grade,
      // A voided, amended or corrected row says so (作废, 原记录, 修改后, 更正), as the export does.
      kind: `${r.reportKind || '-'}${r.recordStatus ? ` · ${r.recordStatus}` : ''}`, at: r.reportedAt.slice(0, 16).replace('T', ' ') || '-', channel: r.channel || '-', contact: r.pbocContact || '-',
    }));
    const more = rows.length > LEDGER_CHAT_ROWS ? [t(lang, 'ledger.more', { n: rows.length - LEDGER_CHAT_ROWS })] : [];
    return [{ type: 'text', ephemeral: true, text: [t(lang, 'ledger.head', { from: fromDate, to: toDate, n: rows.length }), ...note, ...shown, ...more].join('\n') }];
  }

  /** `/incident web revoke <person>`: a compliance officer (complianceOfficers) ends that person's page sessions on every replica. */
  async function webRevoke(input: ChatInput, who: string, lang: Lang, nowMs: number): Promise<Reply[]> {
    if (!(deps.config.institution.complianceOfficers ?? []).includes(input.user)) return [{ type: 'error', text: t(lang, 'err.webRevokeNotOfficer') }];
    const had = await revokeWebSessions(store, who, nowMs);
    return [{ type: 'text', ephemeral: true, text: t(lang, had ? 'ok.webRevoked' : 'ok.webRevokedNone', { user: who }) }];
  }

  /** `/incident web`: the link goes only to the user who asked (the adapters' allow-lists already let them in). */
  function webReplies(input: ChatInput, lang: Lang): Reply[] {
    if (!deps.webLink) return [{ type: 'error', text: t(lang, 'err.webOff') }];
    const url = deps.webLink({ user: input.user, lang, conversation: input.conversation });
    const minutes = Math.round((deps.webLinkTtlMs ?? 600_000) / 60_000);
    return [{ type: 'text', text: t(lang, 'ok.webLink', { url, minutes }), ephemeral: true, private: true }];
  }

  let replacedLogged = false; // a replaced store is logged once, however many users it refuses
  return {
    async handle(input) {
      const sessionKey = `${input.conversation}|${input.user}`;
      let lang = defaultLang;
      let langKnown = false; // the user's language lives in the store: unread, the refusal says it in both
      try {
        let session = ((await store.getSession(sessionKey, deps.now())) as Session | null) ?? newSession(defaultLang);
        lang = session.lang;
        langKnown = true;
        // In a shared channel a typed answer goes to the question the bot asked last there, whoever it asked.
        if (input.kind === 'message' && session.pending?.questionId !== WHICH_INCIDENT) {
          const shared = (await store.getSession(channelKey(input.conversation), deps.now())) as Session['pending'];
          if (shared) session = { ...session, pending: shared, active: shared.incidentId };
        }
        // Another replica or user appended first: recompute on the new state (after a pause; see retryOnConflict).
        return await retryOnConflict(() => attempt(input, session, sessionKey));
      } catch (e) {
        if (e instanceof VersionConflictError) return [{ type: 'error', text: t(lang, 'err.conflict'), notRecorded: true }];
        if (e instanceof StoreReplacedError) {
          if (!replacedLogged) deps.log?.(`STORE REPLACED: ${e.message}. Check the store and restart the bot.`);
          replacedLogged = true;
          return [{ type: 'error', text: t(lang, 'err.storeReplaced'), notRecorded: true }];
        }
        // Resumed after a restart, this command had already reached the ledger before it: nothing is recorded twice.
        if (e instanceof AlreadyRecordedError) return [{ type: 'text', text: t(lang, 'note.alreadyRecorded') }];
        deps.log?.(`handle failed: ${(e as Error).message}`);
        const text = langKnown ? t(lang, 'err.storeDown') : `${t('zh-CN', 'err.storeDown')}\n${t('en', 'err.storeDown')}`;
        return [{ type: 'error', text, notRecorded: true }];
      }
    },
    load: (id) => loadIncident(store, id),
  };
}
