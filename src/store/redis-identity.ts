// The Redis store's identity and high-water mark: which ledger this is, the greatest incident id it ever allocated,
// and the check (inside the same Lua script as each write) that refuses writes once it was replaced (store/identity.ts).
//
//   P identity    HASH   id, createdAtMs, how: written once (HSETNX), never expires
//   P highwater   HASH   prefix, n: the greatest incident id ever allocated, raised with each nextSequence
import type { createClient } from 'redis';
import { StoreReplacedError, incidentIdOf, splitIncidentId, type IdentityMethods, type StoreIdentity } from './types.ts';

type Client = ReturnType<typeof createClient>;

// KEYS: seq, identity, highwater. ARGV: expected identity ('' = not bound), prefix.
// Returns the sequence number, or -1 (and changes nothing) when the identity is not the expected one.
const NEXT_SEQ_LUA = `
if ARGV[1] ~= '' and redis.call('HGET', KEYS[2], 'id') ~= ARGV[1] then return -1 end
local n = redis.call('INCR', KEYS[1])
local hp = redis.call('HGET', KEYS[3], 'prefix')
local hn = tonumber(redis.call('HGET', KEYS[3], 'n') or '0')
if (not hp) or ARGV[2] > hp or (ARGV[2] == hp and n > hn) then redis.call('HSET', KEYS[3], 'prefix', ARGV[2], 'n', n) end
return n
`;

// KEYS: identity, highwater, seq of `after` (or the identity key again). ARGV: id, createdAtMs, how, top prefix, top n, after prefix, after n.
const WRITE_IDENTITY_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'createdAtMs', ARGV[2], 'how', ARGV[3])
local function raise(prefix, n)
  local hp = redis.call('HGET', KEYS[2], 'prefix')
  local hn = tonumber(redis.call('HGET', KEYS[2], 'n') or '0')
  if (not hp) or prefix > hp or (prefix == hp and n > hn) then redis.call('HSET', KEYS[2], 'prefix', prefix, 'n', n) end
end
if ARGV[4] ~= '' then raise(ARGV[4], tonumber(ARGV[5])) end
if ARGV[6] ~= '' then
  local cur = tonumber(redis.call('GET', KEYS[3]) or '0')
  if cur < tonumber(ARGV[7]) then redis.call('SET', KEYS[3], ARGV[7]) end
  raise(ARGV[6], tonumber(ARGV[7]))
end
return 1
`;

export interface RedisIdentity {
  identityKey: string;
  /** The identity append and nextSequence must find ('' when not bound). */
  expected(): string;
  replaced(): Promise<StoreReplacedError>;
  /** The next incident number for prefix: checks the identity and raises the high-water mark in one script. */
  nextSequence(prefix: string): Promise<number>;
  methods: IdentityMethods;
}

export function redisIdentity(c: Client, p: string): RedisIdentity {
  const identityKey = `${p}identity`;
  const highWaterKey = `${p}highwater`;
  let bound = '';

  async function readIdentity(): Promise<StoreIdentity | null> {
    const h = await c.hGetAll(identityKey);
    if (typeof h.id !== 'string') return null;
    return { id: h.id, createdAtMs: Number(h.createdAtMs), how: (h.how ?? 'adopted') as StoreIdentity['how'] };
  }

  /** The greatest sequence counter (by prefix): a pre-identity store's high-water mark. */
  async function topSequence(): Promise<[string, number] | null> {
    let top: [string, number] | null = null;
    for await (const keys of c.scanIterator({ MATCH: `${p}seq:*`, COUNT: 1000 })) {
      if (keys.length === 0) continue;
      const values = await c.mGet(keys);
      keys.forEach((key, i) => {
        const prefix = key.slice(`${p}seq:`.length);
        const n = Number(values[i]);
        if (Number.isSafeInteger(n) && (top === null || prefix > top[0])) top = [prefix, n];
      });
    }
    return top;
  }

  async function replaced(): Promise<StoreReplacedError> {
    return new StoreReplacedError(bound, (await readIdentity().catch(() => null))?.id ?? null);
  }

  return {
    identityKey,
    expected: () => bound,
    replaced,
    async nextSequence(prefix) {
      const n = (await c.eval(NEXT_SEQ_LUA, { keys: [`${p}seq:${prefix}`, identityKey, highWaterKey], arguments: [bound, prefix] })) as number;
      if (n === -1) throw await replaced();
      return n;
    },
    methods: {
      readIdentity,
      async writeIdentity(identity, after) {
        const top = await topSequence();
        const split = after === undefined ? null : splitIncidentId(after);
        const reply = await c.eval(WRITE_IDENTITY_LUA, {
          keys: [identityKey, highWaterKey, split ? `${p}seq:${split[0]}` : identityKey],
          arguments: [identity.id, String(identity.createdAtMs), identity.how, top?.[0] ?? '', String(top?.[1] ?? 0), split?.[0] ?? '', String(split?.[1] ?? 0)],
        });
        return reply === 1;
      },
      bindIdentity(id) {
        bound = id;
      },
      async summary() {
        const [real, drill, hw] = await Promise.all([c.zCard(`${p}created`), c.zCard(`${p}created:drill`), c.hGetAll(highWaterKey)]);
        let lastId: string | null = null;
        if (typeof hw.prefix === 'string') lastId = incidentIdOf(hw.prefix, Number(hw.n));
        else {
          const top = await topSequence();
          if (top) lastId = incidentIdOf(top[0], top[1]);
        }
        return { incidents: real + drill, lastId };
      },
    },
  };
}
