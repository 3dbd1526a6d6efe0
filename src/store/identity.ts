// Which store this is: a store carries an identity, is created only by an explicit step, and a running bot
// refuses writes when the store it opened is replaced under it.
import { randomBytes } from 'node:crypto';
import { StoreOpenError } from './checks.ts';
import { splitIncidentId, type LedgerSummary, type Store, type StoreIdentity } from './types.ts';

/**
 * open: the store must exist (identity, or incidents from before identities: adopted).
 * first-start: a bot start allowed to create it (the console run, STORE_CREATE=1); says so loudly.
 * init: `pboc-incident init`: creates it, refusing when one is there.
 */
export type OpenMode = 'open' | 'first-start' | 'init';

export interface IdentityOutcome {
  identity: StoreIdentity;
  summary: LedgerSummary;
  /** True when this call created the identity (a new store) or adopted a pre-identity store. */
  created: boolean;
  adopted: boolean;
}

export const shortId = (id: string): string => id.slice(0, 8);

export const INIT_HINT = 'run `pboc-incident init` with the same setting to create a new, empty ledger (or set STORE_CREATE=1 for a first deploy)';

/** `where` names the setting: `/abs/path (SQLITE_PATH)` or `redis://host:6379 (REDIS_URL)`. */
export async function ensureIdentity(
  store: Store,
  o: { mode: OpenMode; where: string; nowMs: number; after?: string; log?: (msg: string) => void; reader?: boolean },
): Promise<IdentityOutcome> {
  if (o.after !== undefined && !splitIncidentId(o.after)) throw new StoreOpenError(`--after: expected an incident id like INC-20261130-03, got "${o.after}"`);
  let identity = await store.readIdentity();
  let summary = await store.summary();
  if (identity && o.mode === 'init') {
    throw new StoreOpenError(`a store already exists at ${o.where}: identity ${shortId(identity.id)} (${identity.how}), ${summary.incidents} incidents, last ${summary.lastId ?? 'none'}. init creates only new stores; nothing was changed.`);
  }
  if (!identity && summary.incidents > 0 && o.mode === 'init') {
    throw new StoreOpenError(`a ledger of ${summary.incidents} incidents (last ${summary.lastId ?? 'unknown'}) is already at ${o.where}, from before store identities: start the bot on it to adopt it. Nothing was changed.`);
  }
  let created = false;
  let adopted = false;
  if (!identity) {
    const how: StoreIdentity['how'] = summary.incidents > 0 ? 'adopted' : o.mode === 'init' ? 'init' : o.mode === 'first-start' ? 'first-start' : 'adopted';
    if (how === 'adopted' && summary.incidents === 0) throw new StoreOpenError(`no store at ${o.where}: ${INIT_HINT}. The bot did not start.`);
    // A reader (ledger export) leaves a pre-identity ledger as it is: the bot adopts it at its next start, and says so.
    if (how === 'adopted' && o.reader === true) return { identity: { id: 'pre-identity', createdAtMs: 0, how }, summary, created: false, adopted: false };
    const fresh: StoreIdentity = { id: randomBytes(16).toString('hex'), createdAtMs: o.nowMs, how };
    if (await store.writeIdentity(fresh, o.after)) {
      created = how !== 'adopted';
      adopted = how === 'adopted';
    }
    identity = (await store.readIdentity())!; // another process may have written it first: theirs stands
    summary = await store.summary();
    if (adopted) {
      o.log?.(`STORE ADOPTED: the store at ${o.where} holds ${summary.incidents} incidents (last ${summary.lastId ?? 'unknown'}) but had no identity (written before store identities); it now carries identity ${shortId(identity.id)}. This is said once.`);
    }
  }
  store.bindIdentity(identity.id);
  return { identity, summary, created, adopted };
}

/** The start-up line's part about the ledger: `identity 3f2a9c1b (init), 12 incidents, last INC-20261130-03`. */
export function identityLine(identity: StoreIdentity, summary: LedgerSummary): string {
  return `identity ${shortId(identity.id)} (${identity.how}), ${summary.incidents} incidents, last ${summary.lastId ?? 'none yet'}`;
}
