// An incident as the store keeps it: its events folded back into its state, the metadata the store indexes it by,
// and how long a recorded command's inbox key stays known. Shared by the bot, the reminder ticker, the alerts
// service and the adapters' inbox.
import type { IncidentMeta, Store } from '../store/types.ts';
import type { IncidentEvent } from './events.ts';
import { fold, isOpen, type IncidentState } from './state.ts';

/** An inbox key stays known this long after its command was recorded: a platform's re-delivery within it is ignored. */
export const ONCE_RETAIN_MS = 7 * 86_400_000;

/** The incident's state from its stored events; null when the store has no such incident. */
export async function loadIncident(store: Store, id: string): Promise<IncidentState | null> {
  const stored = await store.load(id);
  return stored ? fold(stored.events.map((e) => e.event as IncidentEvent)) : null;
}

/** What the store indexes an incident by: its conversation, whether it is open, when it was created, drill or not. */
export function metaOf(s: IncidentState): IncidentMeta {
  return { id: s.id, conversation: s.conversation, open: isOpen(s), createdAtMs: s.createdAt, ...(s.drill ? { drill: true } : {}) };
}
