import { createClient } from 'redis';
import { redactRedisUrl } from '../config/redact.ts';
import {
  AlreadyRecordedError,
  VersionConflictError,
  checkAppendArgs,
  checkTtl,
  DEFAULT_CLAIM_OWNER,
  toJson,
  type IncidentMeta,
  type StoredEvent,
  type Store,
} from './types.ts';
import { DONE_WINDOW_MS } from './types.ts';
import { redisIdentity } from './redis-identity.ts';
import { chainGenesis, chainResume, chainValues } from './chain.ts';
import type { ChainHead, LedgerSnapshot, RawIncident, StoreIdentity } from './types.ts';

/*
 * Key layout (P = prefix, default 'pboc:'). Incident keys never carry an expiry: the event log is
 * a legal ledger. Only claims and sessions expire (Redis PX).
 *
 *   P inc:<id>:events        LIST   event JSON, seq = index + 1
 *   P inc:<id>:meta          STRING meta JSON
 *   P open                   ZSET   open incidents, score createdAtMs
 *   P open:conv:<conv>       ZSET   open incidents of one conversation, score createdAtMs
 *   P created                ZSET   real (non-drill) incidents, score createdAtMs
 *   P created:drill          ZSET   drill incidents, score createdAtMs
 *   P seq:<prefix>           STRING INCR counter
 *   P claim:<key>            STRING the owner, SET NX PX
 *   P done:<key>             STRING PX DONE_WINDOW_MS (35 days)
 *   P identity, P highwater  HASH   see redis-identity.ts
 *   P session:<key>          STRING value JSON, PX ttl
 *   P wakes                  ZSET   score = wake time
 *   P wakes:notice           PUB/SUB channel: the time of each wake set, so other replicas' tickers re-arm
 *   P inbox:<key>            HASH   source, conversation, payload, at, owner, until; once done: done=1, no payload, PX retain
 *   P inbox:pending:<source> ZSET   keys not yet done, score receivedAtMs
 *   P inbox:sources          SET    sources that ever had an item (for the pending count)
 *   P inc:<id>:chain         LIST   each event's hash-chain value (chain.ts), index = seq - 1; '' for an event from before the chain
 *   P inc:<id>:chainstart    HASH   after, hash: the chain-start record of an incident whose events predate the chain
 */

// KEYS: item, pending, sources. ARGV: source, conversation, payload, at, owner, until, key
const INBOX_ADD_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'source', ARGV[1], 'conversation', ARGV[2], 'payload', ARGV[3], 'at', ARGV[4], 'owner', ARGV[5], 'until', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[7])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`;

// KEYS: item. ARGV: owner, now, until
const INBOX_TAKE_LUA = `
local h = redis.call('HMGET', KEYS[1], 'done', 'payload', 'owner', 'until', 'source', 'conversation', 'at')
if h[1] or not h[2] then return false end
if h[3] ~= ARGV[1] and tonumber(h[4]) > tonumber(ARGV[2]) then return false end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'until', ARGV[3])
return {h[2], h[5], h[6], h[7]}
`;

// KEYS: pending. ARGV: item key prefix, now, limit, owner (or '')
const INBOX_STALE_LUA = `
local keys = redis.call('ZRANGE', KEYS[1], 0, 1999)
local out = {}
for _, k in ipairs(keys) do
  local h = redis.call('HMGET', ARGV[1] .. k, 'until', 'owner')
  local u = h[1]
  if not u then
    redis.call('ZREM', KEYS[1], k)
  elseif tonumber(u) <= tonumber(ARGV[2]) or (ARGV[4] ~= '' and h[2] == ARGV[4]) then
    table.insert(out, k)
    if #out >= tonumber(ARGV[3]) then break end
  end
end
return out
`;

// The body shared by inboxDone and a once-append: the item is done, its payload dropped, its key kept for retain ms.
// Expects: item (key name), k (the inbox key), retain, pendingPrefix.
const INBOX_DONE_BODY = `
local src = redis.call('HGET', item, 'source')
if src then redis.call('ZREM', pendingPrefix .. src, k) end
if not redis.call('HGET', item, 'done') then
  redis.call('HDEL', item, 'payload', 'owner')
  redis.call('HSET', item, 'done', '1')
  redis.call('PEXPIRE', item, retain)
end
`;

// KEYS: item. ARGV: key, retainMs, pendingPrefix
const INBOX_DONE_LUA = `
local item, k, retain, pendingPrefix = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
${INBOX_DONE_BODY}
return 1
`;

// Checks the version and applies meta + indexes + events in one atomic step.
// KEYS: events, meta, open, created, created:drill, inbox item (or any key when no once), identity, chain, chainstart
// ARGV: expected, id, hasMeta, metaJson, openConvKeyPrefix, conversation, open, createdAtMs, drill,
//       hasOnce, onceKey, retainMs, pendingPrefix, expected identity ('' = any), n, chain start after ('' = none),
//       chain start hash, event x n, chain value x n
const APPEND_LUA = `
if ARGV[14] ~= '' and redis.call('HGET', KEYS[7], 'id') ~= ARGV[14] then return {3, 0} end
if ARGV[10] == '1' and redis.call('HGET', KEYS[6], 'done') then return {2, 0} end
local actual = redis.call('LLEN', KEYS[1])
if actual ~= tonumber(ARGV[1]) then return {0, actual} end
local id = ARGV[2]
if ARGV[3] == '1' then
  local old = redis.call('GET', KEYS[2])
  if old then
    local oldConv = cjson.decode(old).conversation
    if type(oldConv) == 'string' then redis.call('ZREM', ARGV[5] .. oldConv, id) end
  end
  redis.call('SET', KEYS[2], ARGV[4])
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
  if ARGV[7] == '1' then
    redis.call('ZADD', KEYS[3], ARGV[8], id)
    redis.call('ZADD', ARGV[5] .. ARGV[6], ARGV[8], id)
  end
  if ARGV[9] == '1' then
    redis.call('ZADD', KEYS[5], ARGV[8], id)
  else
    redis.call('ZADD', KEYS[4], ARGV[8], id)
  end
end
local n = tonumber(ARGV[15])
for i = 1, n do redis.call('RPUSH', KEYS[1], ARGV[17 + i]) end
-- the hash chain: entries line up with seq ('' for events from before it), then this append's values
for _ = redis.call('LLEN', KEYS[8]) + 1, actual do redis.call('RPUSH', KEYS[8], '') end
for i = 1, n do redis.call('RPUSH', KEYS[8], ARGV[17 + n + i]) end
if ARGV[16] ~= '' then redis.call('HSETNX', KEYS[9], 'after', ARGV[16]); redis.call('HSETNX', KEYS[9], 'hash', ARGV[17]) end
if ARGV[10] == '1' then
  local item, k, retain, pendingPrefix = KEYS[6], ARGV[11], ARGV[12], ARGV[13]
  ${INBOX_DONE_BODY}
end
return {1, actual + n}
`;

// KEYS: claim, done. ARGV: ttlMs, owner (the claim's value)
const CLAIM_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) then return 1 end
return 0
`;

// Extends the claim only while its value is still this owner's. KEYS: claim, done. ARGV: owner, ttlMs
const RENEW_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`;

function score(n: number): string {
  if (n === Infinity) return '+inf';
  if (n === -Infinity) return '-inf';
  if (Number.isNaN(n)) throw new RangeError('time must not be NaN');
  return String(n);
}

/**
 * Redis store (node-redis v5). Resolves once connected; a connection failure rejects with a clear
 * message (no unhandled 'error' event). After the first connection it reconnects with backoff;
 * while disconnected, commands fail fast (no offline queue) instead of hanging.
 */
export async function createRedisStore(url: string, opts?: { prefix?: string }): Promise<Store> {
  const p = opts?.prefix ?? 'pboc:';
  const where = redactRedisUrl(url);
  let everReady = false;
  let outage = false;

  let client;
  try {
    client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 5000,
        reconnectStrategy: (retries: number, cause: Error) =>
          everReady ? Math.min(100 * 2 ** Math.min(retries, 6), 5000) : new Error(`Redis store: cannot connect to ${where}: ${cause.message}`),
      },
    });
  } catch (err) {
    throw new Error(`Redis store: invalid REDIS_URL ${where}: ${(err as Error).message}`, { cause: err });
  }
  client.on('error', (err: Error) => {
    // Before the first connection, connect() rejects with the error instead. Afterwards log once per outage.
    if (everReady && !outage) {
      outage = true;
      console.error(`[pboc store] Redis connection to ${where} lost, reconnecting: ${err.message}`);
    }
  });
  client.on('ready', () => {
    if (outage) console.error(`[pboc store] Redis connection to ${where} restored`);
    everReady = true;
    outage = false;
  });
  try {
    await client.connect();
  } catch (err) {
    const msg = (err as Error).message;
    throw new Error(msg.startsWith('Redis store:') ? msg : `Redis store: cannot connect to ${where}: ${msg}`, { cause: err });
  }
  everReady = true;

  const k = {
    events: (id: string) => `${p}inc:${id}:events`,
    meta: (id: string) => `${p}inc:${id}:meta`,
    chain: (id: string) => `${p}inc:${id}:chain`,
    chainStart: (id: string) => `${p}inc:${id}:chainstart`,
    seqPrefix: `${p}seq:`,
    open: `${p}open`,
    openConvPrefix: `${p}open:conv:`,
    created: `${p}created`,
    createdDrill: `${p}created:drill`,
    seq: (prefix: string) => `${p}seq:${prefix}`,
    claim: (key: string) => `${p}claim:${key}`,
    done: (key: string) => `${p}done:${key}`,
    session: (key: string) => `${p}session:${key}`,
    wakes: `${p}wakes`,
    wakeNotice: `${p}wakes:notice`,
    inboxPrefix: `${p}inbox:`,
    inbox: (key: string) => `${p}inbox:${key}`,
    pendingPrefix: `${p}inbox:pending:`,
    pending: (source: string) => `${p}inbox:pending:${source}`,
    sources: `${p}inbox:sources`,
  };

  const c = client;
  const identity = redisIdentity(c, p); // which ledger this is, and its high-water mark (redis-identity.ts)
  let legacyDoneChecked = false; // prune gives done keys from before their expiry one, once per process
  let subscriber: Promise<typeof client> | null = null;
  const wakeListeners = new Set<(atMs: number) => void>();

  async function metasOf(ids: string[]): Promise<IncidentMeta[]> {
    if (ids.length === 0) return [];
    const raw = await c.mGet(ids.map(k.meta));
    const out: IncidentMeta[] = [];
    for (const r of raw) if (typeof r === 'string') out.push(JSON.parse(r) as IncidentMeta);
    return out;
  }

  let chainIdentity: string | null = null; // the store identity never changes once written: read once
  async function genesisOf(id: string): Promise<string> {
    if (chainIdentity === null) {
      const found = await identity.methods.readIdentity();
      if (found) chainIdentity = found.id;
      return chainGenesis(found?.id ?? '', id);
    }
    return chainGenesis(chainIdentity, id);
  }

  async function chainPrev(id: string, expected: number): Promise<{ prev: string; start: { afterSeq: number; hash: string } | null }> {
    if (expected === 0) return { prev: await genesisOf(id), start: null };
    const last = await c.lIndex(k.chain(id), expected - 1);
    if (typeof last === 'string' && last !== '') return { prev: last, start: null };
    const [chain, events, cs] = (await c.multi().lRange(k.chain(id), 0, expected - 1).lRange(k.events(id), 0, expected - 1).hGetAll(k.chainStart(id)).exec()) as unknown as [string[], string[], Record<string, string>];
    const rows = events.map((json, i) => ({ seq: i + 1, json, chain: chain[i] ? chain[i]! : null }));
    return chainResume(await genesisOf(id), rows, cs.after ? { afterSeq: Number(cs.after), hash: cs.hash ?? '' } : null);
  }

  async function allIds(): Promise<string[]> {
    const [real, drill] = await Promise.all([c.zRange(k.created, 0, -1), c.zRange(k.createdDrill, 0, -1)]);
    return [...new Set([...real, ...drill])].sort();
  }

  async function snapshot(): Promise<LedgerSnapshot> {
    // Ids first, then the sequence keys (an incident listed was numbered before it was created), then one MULTI.
    const ids = await allIds();
    const seqKeys: string[] = [];
    for await (const keys of c.scanIterator({ MATCH: `${k.seqPrefix}*`, COUNT: 500 })) seqKeys.push(...keys);
    const m = c.multi().hGetAll(identity.identityKey).hGetAll(`${p}highwater`);
    for (const key of seqKeys) m.get(key);
    for (const id of ids) m.get(k.meta(id)).lRange(k.events(id), 0, -1).lRange(k.chain(id), 0, -1).hGetAll(k.chainStart(id));
    const r = (await m.exec()) as unknown[];
    const ident = r[0] as Record<string, string>;
    const hw = r[1] as Record<string, string>;
    const sequences: Record<string, number> = {};
    seqKeys.forEach((key, i) => { const v = r[2 + i]; if (typeof v === 'string') sequences[key.slice(k.seqPrefix.length)] = Number(v); });
    const base = 2 + seqKeys.length;
    const incidents: RawIncident[] = ids.map((id, i) => {
      const [meta, events, chain, cs] = r.slice(base + 4 * i, base + 4 * i + 4) as [string | null, string[], string[], Record<string, string>];
      return {
        id,
        metaJson: meta ?? '',
        events: events.map((json, j) => ({ seq: j + 1, json, chain: chain[j] ? chain[j]! : null })),
        chainStart: cs.after ? { afterSeq: Number(cs.after), hash: cs.hash ?? '' } : null,
      };
    });
    return {
      identity: ident.id ? { id: ident.id, createdAtMs: Number(ident.createdAtMs), how: ident.how as StoreIdentity['how'] } : null,
      highWater: hw.prefix ? { prefix: hw.prefix, n: Number(hw.n) } : null,
      sequences,
      incidents,
    };
  }

  const byCreated = (a: IncidentMeta, b: IncidentMeta) => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  return {
    kind: 'redis',

    async append(id, expectedVersion, events, meta, opts) {
      const eventJson = checkAppendArgs(id, expectedVersion, events, meta);
      const once = opts?.once;
      if (once) checkTtl(once.retainMs, `append(${id}): once.retainMs`);
      const args = [
        String(expectedVersion),
        id,
        meta === undefined ? '0' : '1',
        meta === undefined ? '' : toJson(meta, 'meta'),
        k.openConvPrefix,
        meta?.conversation ?? '',
        meta?.open === true ? '1' : '0',
        meta === undefined ? '0' : score(meta.createdAtMs),
        meta?.drill === true ? '1' : '0',
        once ? '1' : '0',
        once?.key ?? '',
        String(once?.retainMs ?? 1),
        k.pendingPrefix,
        identity.expected(),
      ];
      // The chain is computed here (Lua has no SHA-256) from what event `expectedVersion` ends with: the script's
      // version check makes it exact, since only an append (which moves the version) changes an incident's chain.
      const { prev, start } = await chainPrev(id, expectedVersion);
      args.push(String(eventJson.length), start ? String(start.afterSeq) : '', start?.hash ?? '', ...eventJson, ...chainValues(prev, expectedVersion + 1, eventJson));
      const reply = (await c.eval(APPEND_LUA, {
        keys: [k.events(id), k.meta(id), k.open, k.created, k.createdDrill, once ? k.inbox(once.key) : k.events(id), identity.identityKey, k.chain(id), k.chainStart(id)],
        arguments: args,
      })) as unknown;
      if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
        throw new Error(`append(${id}): unexpected reply from Redis: ${JSON.stringify(reply)}`);
      }
      if (reply[0] === 3) throw await identity.replaced();
      if (reply[0] === 2 && once) throw new AlreadyRecordedError(once.key);
      if (reply[0] !== 1) throw new VersionConflictError(id, expectedVersion, reply[1]);
      return reply[1];
    },

    async versions(ids) {
      if (ids.length === 0) return [];
      const m = c.multi();
      for (const id of ids) m.lLen(k.events(id));
      return ((await m.execAsPipeline()) as unknown as number[]).map(Number); // no transaction needed: each count stands alone
    },

    async load(id) {
      // MULTI/EXEC: meta and events are read as one consistent snapshot
      const [metaRaw, eventsRaw] = (await c.multi().get(k.meta(id)).lRange(k.events(id), 0, -1).exec()) as unknown as [
        string | null,
        string[],
      ];
      if (typeof metaRaw !== 'string') return null;
      const events: StoredEvent[] = eventsRaw.map((e, i) => ({ seq: i + 1, event: JSON.parse(e) as unknown }));
      return { meta: JSON.parse(metaRaw) as IncidentMeta, events };
    },

    async listOpen(conversation) {
      const key = conversation === undefined ? k.open : k.openConvPrefix + conversation;
      const metas = await metasOf(await c.zRange(key, 0, -1));
      // re-check against the metas (an incident may have been closed between the two reads)
      return metas.filter((m) => m.open && (conversation === undefined || m.conversation === conversation)).sort(byCreated);
    },

    async listInRange(fromMs, toMs, opts) {
      const includeDrill = opts?.includeDrill === true;
      const max = toMs === Infinity ? '+inf' : `(${score(toMs)}`;
      const keys = includeDrill ? [k.created, k.createdDrill] : [k.created];
      const ids = (await Promise.all(keys.map((key) => c.zRange(key, score(fromMs), max, { BY: 'SCORE' })))).flat();
      const metas = await metasOf(ids);
      return metas
        .filter((m) => m.createdAtMs >= fromMs && m.createdAtMs < toMs && (includeDrill || m.drill !== true))
        .sort(byCreated);
    },

    async nextSequence(prefix) {
      return identity.nextSequence(prefix); // checks the identity and raises the high-water mark (redis-identity.ts)
    },

    async claim(key, ttlMs, _nowMs, owner = DEFAULT_CLAIM_OWNER) {
      checkTtl(ttlMs, `claim(${key})`);
      const reply = (await c.eval(CLAIM_LUA, { keys: [k.claim(key), k.done(key)], arguments: [String(ttlMs), owner] })) as unknown;
      return reply === 1;
    },

    async renewClaim(key, owner, ttlMs, _nowMs) {
      checkTtl(ttlMs, `renewClaim(${key})`);
      const reply = (await c.eval(RENEW_LUA, { keys: [k.claim(key), k.done(key)], arguments: [owner, String(ttlMs)] })) as unknown;
      return reply === 1;
    },

    async release(key) {
      await c.del(k.claim(key));
    },

    async markDone(key) {
      await c.set(k.done(key), '1', { expiration: { type: 'PX', value: DONE_WINDOW_MS } });
    },

    async isDone(key) {
      return (await c.exists(k.done(key))) === 1;
    },

    async getSession(key, _nowMs) {
      const raw = await c.get(k.session(key));
      return typeof raw === 'string' ? (JSON.parse(raw) as unknown) : null;
    },

    async setSession(key, value, ttlMs, _nowMs) {
      checkTtl(ttlMs, `setSession(${key})`);
      await c.set(k.session(key), toJson(value, `setSession(${key}): value`), { expiration: { type: 'PX', value: ttlMs } });
    },

    async deleteSession(key) {
      await c.del(k.session(key));
    },

    async setWake(id, atMs) {
      if (atMs === null) await c.zRem(k.wakes, id);
      else await c.multi().zAdd(k.wakes, { score: atMs, value: id }).publish(k.wakeNotice, score(atMs)).exec();
    },

    async nextWakeAt() {
      const [first] = await c.zRangeWithScores(k.wakes, 0, 0);
      return first ? first.score : null;
    },

    async onWake(listener) {
      // Subscribing takes a connection of its own, opened on the first listener (a CLI run never opens one).
      if (!subscriber) {
        const sub = c.duplicate();
        sub.on('error', () => {}); // the main connection reports outages; a lost notice is covered by the periodic pass
        subscriber = sub.connect().then(async () => {
          await sub.subscribe(k.wakeNotice, (message: string) => {
            const atMs = Number(message);
            if (Number.isFinite(atMs)) for (const l of wakeListeners) l(atMs);
          });
          return sub;
        });
      }
      await subscriber;
      const l = (atMs: number) => listener(atMs);
      wakeListeners.add(l);
      return async () => { wakeListeners.delete(l); };
    },

    async dueWakes(nowMs, limit) {
      if (limit <= 0) return [];
      return c.zRange(k.wakes, '-inf', score(nowMs), { BY: 'SCORE', LIMIT: { offset: 0, count: Math.floor(limit) } });
    },

    ...identity.methods,

    async prune(_nowMs) {
      // Redis expires claims, sessions and done-markers itself (PX). Done keys written before they carried an expiry
      // get one, once per process.
      let once = 0;
      if (!legacyDoneChecked) {
        for await (const keys of c.scanIterator({ MATCH: `${p}done:*`, COUNT: 1000 })) {
          // PEXPIRE NX needs Redis 7; PTTL -1 (no expiry yet) then PEXPIRE works on Redis 6 too.
          for (const key of keys) if ((await c.pTTL(key)) === -1 && (await c.pExpire(key, DONE_WINDOW_MS)) === 1) once++;
        }
        legacyDoneChecked = true;
      }
      return { claims: 0, once, sessions: 0 };
    },

    async inboxAdd(item, owner, leaseMs, nowMs) {
      checkTtl(leaseMs, `inboxAdd(${item.key})`);
      const payload = toJson(item.payload, `inboxAdd(${item.key}): payload`);
      const reply = await c.eval(INBOX_ADD_LUA, {
        keys: [k.inbox(item.key), k.pending(item.source), k.sources],
        arguments: [item.source, item.conversation, payload, score(item.receivedAtMs), owner, score(nowMs + leaseMs), item.key],
      });
      return reply === 1;
    },

    async inboxTake(key, owner, leaseMs, nowMs) {
      checkTtl(leaseMs, `inboxTake(${key})`);
      const reply = (await c.eval(INBOX_TAKE_LUA, { keys: [k.inbox(key)], arguments: [owner, score(nowMs), score(nowMs + leaseMs)] })) as unknown;
      if (!Array.isArray(reply)) return null;
      const [payload, source, conversation, at] = reply as [string, string, string, string];
      return { key, source, conversation, payload: JSON.parse(payload) as unknown, receivedAtMs: Number(at) };
    },

    async inboxStale(source, nowMs, limit, owner) {
      if (limit <= 0) return [];
      const args = [k.inboxPrefix, score(nowMs), String(Math.floor(limit)), owner ?? ''];
      return (await c.eval(INBOX_STALE_LUA, { keys: [k.pending(source)], arguments: args })) as string[];
    },

    async inboxDone(key, nowMs, retainMs, opts) {
      if (opts?.forget === true) {
        const source = await c.hGet(k.inbox(key), 'source');
        const m = c.multi().del(k.inbox(key));
        if (typeof source === 'string') m.zRem(k.pending(source), key);
        await m.exec();
        return;
      }
      checkTtl(retainMs, `inboxDone(${key})`);
      await c.eval(INBOX_DONE_LUA, { keys: [k.inbox(key)], arguments: [key, String(retainMs), k.pendingPrefix] });
    },

    snapshot,

    async backupTo(file) {
      const snap = await snapshot();
      const { writeSnapshotSqlite } = await import('./sqlite.ts'); // only a backup loads SQLite into a Redis run
      writeSnapshotSqlite(file, snap);
    },

    async chainHeads() {
      const ids = await allIds();
      if (ids.length === 0) return [];
      const m = c.multi();
      for (const id of ids) m.lLen(k.events(id)).lIndex(k.chain(id), -1);
      const r = (await m.execAsPipeline()) as unknown[];
      return ids.map((id, i): ChainHead => {
        const head = r[2 * i + 1];
        return { id, version: Number(r[2 * i]), head: typeof head === 'string' && head !== '' ? head : null };
      });
    },

    async inboxPendingCount() {
      const sources = await c.sMembers(k.sources);
      const counts = await Promise.all(sources.map((src) => c.zCard(k.pending(src))));
      return counts.reduce((a, b) => a + b, 0);
    },

    async close() {
      const sub = await subscriber?.catch(() => null);
      subscriber = null;
      if (sub?.isOpen) await sub.close().catch(() => sub.destroy());
      if (!c.isOpen) return;
      try {
        await c.close();
      } catch {
        c.destroy();
      }
    },
  };
}
