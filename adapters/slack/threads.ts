import type { Store } from '../../src/store/types.ts';

/** Where an incident's first message is: later cards and reminders are threaded under it. */
export interface IncidentThread {
  channel: string;
  ts: string;
}

const THREAD_TTL_MS = 400 * 86_400_000; // longer than any reporting clock of an incident
const key = (incidentId: string) => `slack-thread:${incidentId}`;

export async function getThread(store: Store, incidentId: string, nowMs: number): Promise<IncidentThread | null> {
  const v = (await store.getSession(key(incidentId), nowMs)) as Partial<IncidentThread> | null;
  return v && typeof v.channel === 'string' && typeof v.ts === 'string' ? { channel: v.channel, ts: v.ts } : null;
}

export async function setThread(store: Store, incidentId: string, thread: IncidentThread, nowMs: number): Promise<void> {
  await store.setSession(key(incidentId), thread, THREAD_TTL_MS, nowMs);
}
