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
  append(id: string, expectedVersion: number, events: unknown[], meta?: IncidentMeta): Promise<number>;
  load(id: string): Promise<{ meta: IncidentMeta; events: StoredEvent[] } | null>;
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
  /** Permanently marks a key done (e.g. a reminder sent); later claims of it return false forever. */
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
  close(): Promise<void>;
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
