/**
 * The Store port: persistence for the incident event log (a legal ledger: append-only, nothing
 * ever expires or is deleted) plus the small amount of coordination state the bot needs
 * (daily sequences, claims, done-markers, conversation sessions, reminder wake-ups).
 *
 * All times are epoch milliseconds passed in by the caller: a store never reads the clock itself,
 * except that the Redis store lets Redis expire claims and sessions with its own PX timer.
 */

/** One event of an incident's log. seq starts at 1 per incident; event is opaque JSON. */
export interface StoredEvent {
  seq: number;
  event: unknown;
}

export interface IncidentMeta {
  /** e.g. INC-20261129-01 */
  id: string;
  /** e.g. slack:T1:C1, console:local */
  conversation: string;
  open: boolean;
  createdAtMs: number;
  /** Drill incidents are kept apart from the real ledger. */
  drill?: boolean;
}

/** Thrown by Store.append when the incident's current version is not the expected one. */
export class VersionConflictError extends Error {
  constructor(
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`version conflict on ${id}: expected version ${expected}, actual ${actual}`);
    this.name = 'VersionConflictError';
  }
}

/**
 * Thrown by Store.append with `once` when that inbox item was already recorded: the command ran before (a restart
 * resumed an item whose first run had reached the ledger). Nothing is written.
 */
export class AlreadyRecordedError extends Error {
  constructor(readonly key: string) {
    super(`already recorded: ${key}`);
    this.name = 'AlreadyRecordedError';
  }
}

/**
 * One verified platform payload, written before the platform is answered (the durable inbox): a crash after the
 * answer loses nothing, because a restart resumes what is still pending.
 */
export interface InboxItem {
  /** The platform's once-key (e.g. slack:cmd:<trigger_id>, feishu-event:<event_id>): a re-delivery finds it known. */
  key: string;
  /** The adapter that reads it back (slack, feishu, ...). */
  source: string;
  /** Items of one conversation are processed one at a time, in the order received. */
  conversation: string;
  /** The payload as received (JSON). Dropped once the item is done; the key is kept for the de-duplication window. */
  payload: unknown;
  receivedAtMs: number;
}

/** The Store methods about which ledger this is (store/identity.ts); each store builds them beside itself. */
export type IdentityMethods = Pick<Store, 'readIdentity' | 'writeIdentity' | 'bindIdentity' | 'summary'>;

export interface Store {
  readonly kind: 'sqlite' | 'redis';
  /**
   * Appends events if the incident's current version (number of events) equals expectedVersion;
   * else throws VersionConflictError and writes nothing. expectedVersion 0 creates the incident,
   * and then meta is required. meta, when given, replaces the stored meta (same id). Returns the
   * new version.
   *
   * events must be non-empty (every change, including a meta change, is recorded as an event) and
   * each event must be JSON-serialisable; it is stored as JSON, so load() returns the JSON round
   * trip (Dates become strings, undefined properties disappear). Invalid arguments (empty events,
   * missing meta on create, meta.id !== id, a negative or fractional expectedVersion) reject with
   * a TypeError/RangeError and write nothing.
   */
  append(id: string, expectedVersion: number, events: unknown[], meta?: IncidentMeta, opts?: AppendOptions): Promise<number>;
  load(id: string): Promise<{ meta: IncidentMeta; events: StoredEvent[] } | null>;
  /** Each incident's event-log version (its number of events; 0 when unknown), in the order asked: what a read model keys on. */
  versions(ids: readonly string[]): Promise<number[]>;
  /** Open incidents' metas (optionally only of one conversation), ordered by createdAtMs (then id). Drills included. */
  listOpen(conversation?: string): Promise<IncidentMeta[]>;
  /** Incidents created in [fromMs, toMs), ordered by createdAtMs (then id), open or not, drill excluded unless includeDrill. */
  listInRange(fromMs: number, toMs: number, opts?: { includeDrill?: boolean }): Promise<IncidentMeta[]>;
  /** Allocates the next daily sequence number for a prefix like 'INC-20261129' atomically: 1, 2, 3... */
  nextSequence(prefix: string): Promise<number>;
  /**
   * Atomically claims key until nowMs+ttlMs; true if this caller got it (free or expired). ttlMs: positive integer.
   * owner names the holder for renewClaim (default DEFAULT_CLAIM_OWNER: callers that never renew need not pass one).
   */
  claim(key: string, ttlMs: number, nowMs: number, owner?: string): Promise<boolean>;
  /**
   * Extends a claim to nowMs+ttlMs only while `owner` still holds it; false when it expired (whether or not someone
   * else took it since), was released, or the key is done. A holder that sees false has lost the key.
   */
  renewClaim(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
  /**
   * Marks a key done (e.g. a reminder sent); later claims of it return false for DONE_WINDOW_MS (35 days), after which
   * prune may drop the marker. Nothing the ledger needs depends on it: a reminder sent is also in the incident's log.
   */
  markDone(key: string): Promise<void>;
  isDone(key: string): Promise<boolean>;
  /** Conversation sessions (per conversation+user), JSON values with a TTL. */
  getSession(key: string, nowMs: number): Promise<unknown | null>;
  /** ttlMs: positive integer. value must be JSON-serialisable. */
  setSession(key: string, value: unknown, ttlMs: number, nowMs: number): Promise<void>;
  deleteSession(key: string): Promise<void>;
  /** Next wake-up index: the earliest time an incident needs the reminder ticker (null removes it). */
  setWake(id: string, atMs: number | null): Promise<void>;
  /** Ids whose wake time <= nowMs, earliest first (then id), at most limit. */
  dueWakes(nowMs: number, limit: number): Promise<string[]>;
  /** The earliest indexed wake time, or null when no incident has one. */
  nextWakeAt(): Promise<number | null>;
  /**
   * Calls listener with the time of every wake-up set from now on (setWake with a time), by this instance and,
   * on Redis, by any other instance on the same data (a pub/sub notice beside the index). Resolves once listening,
   * to a function that stops it. A notice can be lost (a dropped connection): the index stays the truth.
   */
  onWake(listener: (atMs: number) => void): Promise<() => Promise<void>>;
  /**
   * The durable inbox. inboxAdd records an item, leased to `owner` until nowMs+leaseMs, unless its key is known
   * (pending, or done within retainMs of inboxDone): then it writes nothing and returns false.
   */
  inboxAdd(item: InboxItem, owner: string, leaseMs: number, nowMs: number): Promise<boolean>;
  /** Leases a pending item to owner (free, expired, or already owner's); null when it is done, unknown or leased to another. */
  inboxTake(key: string, owner: string, leaseMs: number, nowMs: number): Promise<InboxItem | null>;
  /**
   * Keys of a source's pending items whose lease has run out (a replica died holding them), oldest first; with
   * owner, also those leased to owner (a restarted replica's own, which its previous run can no longer finish).
   */
  inboxStale(source: string, nowMs: number, limit: number, owner?: string): Promise<string[]>;
  /**
   * Marks an item done (idempotent): its payload is dropped, its key stays known for retainMs so a re-delivery is
   * ignored. forget: the key is dropped too, so the same payload may be accepted again (an answer that failed).
   */
  inboxDone(key: string, nowMs: number, retainMs: number, opts?: { forget?: boolean }): Promise<void>;
  /** Items not yet done (all sources): for start-up logs and tests. */
  inboxPendingCount(): Promise<number>;
  close(): Promise<void>;
}

export interface AppendOptions {
  /**
   * The inbox item this append records: done in the same atomic step as the events, so a command resumed after a
   * crash can never be recorded twice (AlreadyRecordedError when it already was). retainMs as in inboxDone.
   */
  once?: { key: string; nowMs: number; retainMs: number };
}
/** The owner of a claim taken without one. */
export const DEFAULT_CLAIM_OWNER = '-';

// ---- shared argument validation (used by both implementations so they fail identically) ----

/** Serialises one event/session value; throws TypeError when it is not JSON-serialisable. */
export function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`${what} is not JSON-serialisable: ${(err as Error).message}`);
  }
  if (json === undefined) throw new TypeError(`${what} is not JSON-serialisable (got ${typeof value})`);
  return json;
}

/** Validates append() arguments; returns the events serialised as JSON. */
export function checkAppendArgs(id: string, expectedVersion: number, events: unknown[], meta: IncidentMeta | undefined): string[] {
  if (typeof id !== 'string' || id === '') throw new TypeError('append: id must be a non-empty string');
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`append(${id}): expectedVersion must be a non-negative integer, got ${expectedVersion}`);
  }
  if (!Array.isArray(events) || events.length === 0) throw new TypeError(`append(${id}): events must be a non-empty array`);
  if (expectedVersion === 0 && meta === undefined) throw new TypeError(`append(${id}): meta is required to create an incident (expectedVersion 0)`);
  if (meta !== undefined) {
    if (meta.id !== id) throw new TypeError(`append(${id}): meta.id ${meta.id} does not match`);
    if (typeof meta.conversation !== 'string') throw new TypeError(`append(${id}): meta.conversation must be a string`);
    if (!Number.isFinite(meta.createdAtMs)) throw new TypeError(`append(${id}): meta.createdAtMs must be a finite number`);
  }
  return events.map((e, i) => toJson(e, `append(${id}): event ${i}`));
}

export function checkTtl(ttlMs: number, what: string): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`${what}: ttlMs must be a positive integer, got ${ttlMs}`);
}

// ---- store identity, high-water mark and pruning (a ledger is never silently replaced) ----

/** Who this store is: written once when the store is created (or adopted), never changed. */
export interface StoreIdentity {
  /** Random hex id; logs show its first 8 characters. */
  id: string;
  createdAtMs: number;
  /** `pboc-incident init`, a first start allowed to create it (console run, STORE_CREATE=1), or a pre-identity store taken over. */
  how: 'init' | 'first-start' | 'adopted';
}

/** What the start-up line says about the ledger. */
export interface LedgerSummary {
  /** Incidents in the store, drills included. */
  incidents: number;
  /** The high-water mark: the greatest incident id ever allocated (null when none was). */
  lastId: string | null;
}

export interface PruneCounts {
  claims: number;
  /** Done-markers (once-keys) past DONE_WINDOW_MS; on Redis, legacy done keys given that expiry. */
  once: number;
  sessions: number;
}

/** How long a done-marker (a once-key: an event id handled, a reminder sent) is kept. Reminders are also in the incident log. */
export const DONE_WINDOW_MS = 35 * 86_400_000;

/** Thrown by writes (append, nextSequence) when the store under a running bot is no longer the one it opened. */
export class StoreReplacedError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string | null,
    readonly detail = '',
  ) {
    super(`the store was replaced under the running bot: it opened store ${expected.slice(0, 8)}, now ${actual === null ? 'there is no store identity' : `it is ${actual.slice(0, 8)}`}${detail ? ` (${detail})` : ''}; writes are refused so that no new ledger starts with ids from -01`);
    this.name = 'StoreReplacedError';
  }
}

// Declaration merging: these members belong to the Store port above, kept in their own section.
export interface Store {
  /** The identity record, or null when the store has none (new, or from before identities). */
  readIdentity(): Promise<StoreIdentity | null>;
  /**
   * Writes the identity when there is none (atomically; false and nothing changed when there is one). Seeds the
   * high-water mark from the sequences; `after` (an incident id like INC-20261130-03) makes that day's sequence
   * continue after it.
   */
  writeIdentity(identity: StoreIdentity, after?: string): Promise<boolean>;
  /** From now on append and nextSequence throw StoreReplacedError unless the store's identity is still `id`. */
  bindIdentity(id: string): void;
  summary(): Promise<LedgerSummary>;
  /** Deletes expired claims and sessions and done-markers older than DONE_WINDOW_MS; never anything of the ledger. */
  prune(nowMs: number): Promise<PruneCounts>;
}

/** Splits an incident id into its sequence prefix and number: INC-20261130-03 -> ['INC-20261130', 3]. */
export function splitIncidentId(id: string): [string, number] | null {
  const m = /^([A-Z]+-\d{8})-(\d{1,6})$/.exec(id);
  return m ? [m[1]!, Number(m[2])] : null;
}

export function incidentIdOf(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(2, '0')}`;
}

// ---- backup, verify and the hash chain (src/store/chain.ts) ----

/** One incident as stored: meta and events exactly as written (JSON text), with the hash chain. */
export interface RawIncident {
  id: string;
  metaJson: string;
  /** chain: the event's chain value (chain.ts); null for an event written before the chain. */
  events: { seq: number; json: string; chain: string | null }[];
  /** The chain-start record: the chain value the legacy events 1..afterSeq give; null when there is none. */
  chainStart: { afterSeq: number; hash: string } | null;
}

/** The whole ledger at one moment: what `backup` copies and `verify` checks. Coordination state is not in it. */
export interface LedgerSnapshot {
  identity: StoreIdentity | null;
  highWater: { prefix: string; n: number } | null;
  sequences: Record<string, number>;
  incidents: RawIncident[];
}

/** An incident's chain head: its version and the chain value of its last event (null: no chained event yet). */
export interface ChainHead {
  id: string;
  version: number;
  head: string | null;
}

export interface Store {
  /** The ledger as one consistent snapshot (SQLite: one read transaction; Redis: one MULTI). */
  snapshot(): Promise<LedgerSnapshot>;
  /**
   * Writes a SQLite file of the same schema holding the ledger (SQLite: an online backup of the whole file while the
   * bot runs; Redis: the snapshot's keys). The file must not exist.
   */
  backupTo(file: string): Promise<void>;
  /** Every incident's chain head (drills included), ordered by id. */
  chainHeads(): Promise<ChainHead[]>;
}
