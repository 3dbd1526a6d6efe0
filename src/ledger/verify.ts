// `pboc-incident verify`: the checks a ledger must pass before anyone relies on it (Art. 25 keeps it three years).
// Pure: it reads a LedgerSnapshot (the live store's, or a backup file's) and names every problem it finds.
import { fold } from '../incident/state.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { chainGenesis, chainLink } from '../store/chain.ts';
import { splitIncidentId, type IncidentMeta, type LedgerSnapshot, type RawIncident } from '../store/types.ts';

export interface LedgerProblem {
  /** identity, meta, versions, event, fold, chain, chain-start, unchained, report-id, high-water, sequence */
  check: string;
  incident?: string;
  seq?: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  incidents: number;
  events: number;
  /** Incidents whose events all predate the chain and were not appended to since (no chain-start record yet). */
  unchainedIncidents: number;
  problems: LedgerProblem[];
}

/** Every check over one snapshot. expectedIdentity: the identity (or its first 8+ characters) the ledger must carry. */
export function verifyLedger(snap: LedgerSnapshot, expectedIdentity?: string): VerifyResult {
  const problems: LedgerProblem[] = [];
  if (!snap.identity) problems.push({ check: 'identity', message: 'the store has no identity record (never opened by the bot, or it was removed)' });
  else if (expectedIdentity !== undefined && !snap.identity.id.startsWith(expectedIdentity.toLowerCase())) {
    problems.push({ check: 'identity', message: `the store's identity is ${snap.identity.id.slice(0, 8)}, not ${expectedIdentity}: this is another ledger` });
  }
  const reportIds = new Map<string, string>(); // reportId -> where it was first seen
  let events = 0;
  let unchainedIncidents = 0;
  for (const inc of snap.incidents) {
    events += inc.events.length;
    const meta = checkMeta(inc, problems);
    if (meta && meta.drill !== true) checkHighWater(inc.id, snap, problems);
    else if (meta) checkSequence(inc.id, snap, problems);
    if (!checkVersions(inc, problems)) continue;
    const parsed = checkEvents(inc, problems);
    if (parsed) {
      for (const [i, e] of parsed.entries()) {
        if (e.type !== 'report-submitted') continue;
        const where = `${inc.id} event ${inc.events[i]!.seq}`;
        const first = reportIds.get(e.reportId);
        if (first !== undefined) problems.push({ check: 'report-id', incident: inc.id, seq: inc.events[i]!.seq, message: `report id ${e.reportId} is used twice: ${first} and ${where}` });
        else reportIds.set(e.reportId, where);
      }
    }
    if (inc.chainStart === null && inc.events.every((e) => e.chain === null)) unchainedIncidents++;
    else checkChain(inc, snap.identity?.id ?? '', problems);
  }
  return { ok: problems.length === 0, incidents: snap.incidents.length, events, unchainedIncidents, problems };
}

function checkMeta(inc: RawIncident, problems: LedgerProblem[]): IncidentMeta | null {
  if (inc.metaJson === '') {
    problems.push({ check: 'meta', incident: inc.id, message: `${inc.id} has events but no incident record` });
    return null;
  }
  try {
    const meta = JSON.parse(inc.metaJson) as IncidentMeta;
    if (meta.id !== inc.id) problems.push({ check: 'meta', incident: inc.id, message: `${inc.id}'s record names another incident (${String(meta.id)})` });
    return meta;
  } catch {
    problems.push({ check: 'meta', incident: inc.id, message: `${inc.id}'s record is not valid JSON` });
    return null;
  }
}

function checkVersions(inc: RawIncident, problems: LedgerProblem[]): boolean {
  if (inc.events.length === 0) {
    problems.push({ check: 'versions', incident: inc.id, message: `${inc.id} has no events` });
    return false;
  }
  const gap = inc.events.findIndex((e, i) => e.seq !== i + 1);
  if (gap >= 0) {
    problems.push({ check: 'versions', incident: inc.id, seq: inc.events[gap]!.seq, message: `${inc.id}'s event versions are not contiguous: event ${gap + 1} is numbered ${inc.events[gap]!.seq}` });
    return false;
  }
  return true;
}

function checkEvents(inc: RawIncident, problems: LedgerProblem[]): IncidentEvent[] | null {
  const parsed: IncidentEvent[] = [];
  for (const e of inc.events) {
    let v: unknown;
    try {
      v = JSON.parse(e.json);
    } catch {
      problems.push({ check: 'event', incident: inc.id, seq: e.seq, message: `${inc.id} event ${e.seq} is not valid JSON` });
      return null;
    }
    const ev = v as Partial<IncidentEvent> | null;
    if (typeof ev !== 'object' || ev === null || typeof ev.type !== 'string' || typeof ev.at !== 'number' || typeof ev.actor !== 'string') {
      problems.push({ check: 'event', incident: inc.id, seq: e.seq, message: `${inc.id} event ${e.seq} is not an incident event (type, at, actor)` });
      return null;
    }
    parsed.push(ev as IncidentEvent);
  }
  const first = parsed[0]!;
  if (first.type !== 'created' || first.id !== inc.id) {
    problems.push({ check: 'fold', incident: inc.id, seq: 1, message: `${inc.id} does not begin with its own creation event` });
    return null;
  }
  try {
    fold(parsed);
  } catch (err) {
    problems.push({ check: 'fold', incident: inc.id, message: `${inc.id}'s events do not fold into an incident: ${(err as Error).message}` });
    return null;
  }
  return parsed;
}

/** Recomputes the chain from its genesis; reports the first event (or the chain-start record) where it breaks. */
function checkChain(inc: RawIncident, identity: string, problems: LedgerProblem[]): void {
  let h = chainGenesis(identity, inc.id);
  let chained = false;
  for (const e of inc.events) {
    h = chainLink(h, e.seq, e.json);
    if (e.chain !== null) {
      chained = true;
      if (e.chain !== h) {
        problems.push({ check: 'chain', incident: inc.id, seq: e.seq, message: `${inc.id}: the hash chain breaks at event ${e.seq}: that event (or the store identity) is not what was written` });
        return;
      }
    } else if (chained || (inc.chainStart !== null && e.seq > inc.chainStart.afterSeq)) {
      problems.push({ check: 'unchained', incident: inc.id, seq: e.seq, message: `${inc.id} event ${e.seq} carries no chain value though the events before it do` });
      return;
    }
    if (inc.chainStart !== null && e.seq === inc.chainStart.afterSeq && inc.chainStart.hash !== h) {
      problems.push({ check: 'chain-start', incident: inc.id, seq: e.seq, message: `${inc.id}: the events before the chain (1-${e.seq}) are not what they were when the chain started` });
      return;
    }
  }
}

function checkHighWater(id: string, snap: LedgerSnapshot, problems: LedgerProblem[]): void {
  const split = splitIncidentId(id);
  if (!split) return;
  const [prefix, n] = split;
  const hw = snap.highWater;
  if (!hw || prefix > hw.prefix || (prefix === hw.prefix && n > hw.n)) {
    problems.push({ check: 'high-water', incident: id, message: `the high-water mark (${hw ? `${hw.prefix}-${hw.n}` : 'none'}) does not cover ${id}: a new incident could be given an id already used` });
  }
  checkSequence(id, snap, problems);
}

function checkSequence(id: string, snap: LedgerSnapshot, problems: LedgerProblem[]): void {
  const split = splitIncidentId(id);
  if (!split) return;
  const [prefix, n] = split;
  if ((snap.sequences[prefix] ?? 0) < n) {
    problems.push({ check: 'sequence', incident: id, message: `the sequence of ${prefix} is at ${snap.sequences[prefix] ?? 0}, below ${id}: its next id would repeat one already used` });
  }
}

/** Each incident's version and chain head as a snapshot holds them (what `backup` prints). */
export function headsOf(snap: LedgerSnapshot): { id: string; version: number; head: string | null }[] {
  return snap.incidents.map((i) => {
    const last = i.events.at(-1);
    return { id: i.id, version: i.events.length, head: last?.chain ?? null };
  });
}

/**
 * Heads recorded earlier (a backup's JSON, or the bot's `chain head:` log lines) against the ledger now: an incident
 * missing or shorter than recorded, or whose chain value at the recorded version differs, was rewritten, even if
 * its chain was recomputed so that it verifies on its own.
 */
export function compareHeads(snap: LedgerSnapshot, recorded: readonly { id: string; version: number; head: string | null }[]): LedgerProblem[] {
  const byId = new Map(snap.incidents.map((i) => [i.id, i]));
  const problems: LedgerProblem[] = [];
  for (const r of recorded) {
    if (r.head === null) continue;
    const inc = byId.get(r.id);
    if (!inc) {
      problems.push({ check: 'heads', incident: r.id, message: `${r.id} was recorded at version ${r.version} and is no longer in the ledger` });
      continue;
    }
    const e = inc.events.find((x) => x.seq === r.version);
    if (!e) problems.push({ check: 'heads', incident: r.id, seq: r.version, message: `${r.id} was recorded at version ${r.version}; the ledger now has ${inc.events.length} events` });
    else if (e.chain !== r.head) problems.push({ check: 'heads', incident: r.id, seq: r.version, message: `${r.id}: the chain head recorded at version ${r.version} (${r.head.slice(0, 12)}…) is not the ledger's (${(e.chain ?? 'none').slice(0, 12)}…): its events up to ${r.version} were rewritten` });
  }
  return problems;
}

/** Heads from a backup's JSON output or from log lines `chain head: INC-… v7 <sha256>`; null when there are none. */
export function parseHeads(text: string): { id: string; version: number; head: string }[] | null {
  try {
    const j = JSON.parse(text) as { heads?: unknown };
    if (Array.isArray(j.heads)) {
      return j.heads.filter((h): h is { id: string; version: number; head: string } =>
        typeof h === 'object' && h !== null && typeof (h as { id?: unknown }).id === 'string' && Number.isSafeInteger((h as { version?: unknown }).version) && typeof (h as { head?: unknown }).head === 'string');
    }
  } catch { /* not JSON: log lines */ }
  const out = [...text.matchAll(/chain head: (\S+) v(\d+) ([0-9a-f]{64})/g)].map((m) => ({ id: m[1]!, version: Number(m[2]), head: m[3]! }));
  return out.length > 0 ? out : null;
}
