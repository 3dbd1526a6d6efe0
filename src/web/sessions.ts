// Where the compliance page keeps a person's sessions in the store (conversation-session storage, with a TTL):
// shared by the page (sign-in, logout) and the bot (`/incident web revoke <person>`), so either ends them on every replica.
import type { Store } from '../store/types.ts';

export const webSessionKey = (user: string): string => `web:${user}`;

/** Ends every compliance-page session of the person at once; true when they had one. */
export async function revokeWebSessions(store: Store, user: string, nowMs: number): Promise<boolean> {
  const had = (await store.getSession(webSessionKey(user), nowMs)) !== null;
  await store.deleteSession(webSessionKey(user));
  return had;
}
