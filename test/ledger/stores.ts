// Shared by the ledger store tests: the same incident logs written to any Store, as the bot writes them.
import type { IncidentEvent } from '../../src/incident/events.ts';
import { metaOf } from '../../src/incident/stored.ts';
import { fold } from '../../src/incident/state.ts';
import type { Store } from '../../src/store/types.ts';
import { fullIncidentEvents, sparseIncidentEvents } from '../reports/fixtures.ts';
import { deleteKeys } from '../fakes/redis.ts';

export { uniquePrefix } from '../fakes/redis.ts';

/** Appends one incident's log in two batches (create, then the rest), with the meta the bot derives. */
export async function appendIncident(store: Store, events: IncidentEvent[], drill = false): Promise<void> {
  const first = events.slice(0, 2);
  const created = fold(first);
  const meta = (s: ReturnType<typeof fold>) => ({ ...metaOf(s), ...(drill ? { drill: true } : {}) });
  await store.append(created.id, 0, first, meta(created));
  if (events.length > 2) await store.append(created.id, 2, events.slice(2), meta(fold(events)));
}

/** Four incidents: two real ones on 2026-11-30, a drill that day, and a real one on 2026-12-01. */
export async function seed(store: Store): Promise<void> {
  await appendIncident(store, fullIncidentEvents('INC-20261130-01', '2026-11-30'));
  await appendIncident(store, sparseIncidentEvents('INC-20261130-02', '2026-11-30'));
  const drill = sparseIncidentEvents('DRILL-20261130-01', '2026-11-30').map((e) => (e.type === 'created' ? { ...e, drill: true } : e));
  await appendIncident(store, drill, true);
  await appendIncident(store, fullIncidentEvents('INC-20261201-01', '2026-12-01'));
}

/** Deletes only the keys under prefix (test cleanup; the product itself never deletes incident keys). */
export const deleteRedisPrefix = (_url: string, prefix: string): Promise<void> => deleteKeys(prefix);
