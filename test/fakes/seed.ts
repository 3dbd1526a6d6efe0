// Incidents written straight into a store, as the bot would have recorded them, for the reminder tests and benches
// that need many at once or at a set time. No vitest here: bench/ imports it.
import type { BotConfig } from '../../src/conversation/types.ts';
import { pendingRaises } from '../../src/incident/assess.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { apply, emptyState } from '../../src/incident/state.ts';
import { metaOf } from '../../src/incident/stored.ts';
import { nextWake } from '../../src/reminders/planner.ts';
import type { Store } from '../../src/store/types.ts';

export interface SeededIncident {
  id: string;
  title: string;
  conversation: string;
  /** When it was recorded (ms). */
  at: number;
  actor: string;
}

/**
 * A 较大 incident (ransomware harm) recorded at `at`, its obligations raised and its wake indexed: the brief report
 * is due at at+1h, so the next wake is its T-30 step at at+30min.
 */
export async function seedRansomwareIncident(store: Store, config: BotConfig, { id, title, conversation, at, actor }: SeededIncident): Promise<void> {
  const base = [
    { type: 'created', id, title, conversation, at, actor },
    { type: 'fact-set', path: 'ransomwareHarm', value: true, at, actor },
  ] as IncidentEvent[];
  const s = base.reduce(apply, emptyState());
  const raises = pendingRaises(s, at, config.assess);
  const after = raises.reduce(apply, s);
  await store.append(id, 0, [...base, ...raises], metaOf(after));
  await store.setWake(id, nextWake(after, at, config.assess));
}
