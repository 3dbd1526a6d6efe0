// Starts a declared platform (adapters/<id>/index.ts): settings read, the one redactor and log, the transport, the
// kit's handler between them, readiness from the transport's connection, and the ready line.
import type { ChatApp, Platform, PlatformDeps } from '../platform.ts';
import { countedCall, createKitHandler } from './handler.ts';
import { inboxMaxOf, replicaOwner } from './inbox.ts';
import { platformLog } from './log.ts';
import type { ConnectionTiming, PlatformDeclaration, Transport } from './platform.ts';
import { createRedactor } from './redact.ts';
import type { RetryPolicy } from './retry.ts';

export interface ChatDeps extends PlatformDeps {
  /** Retries of a reply or card update the platform refused for now; default 3 retries waiting 200, 400, 800 ms. */
  retry?: Partial<RetryPolicy>;
  /** Payloads accepted and not yet processed, at most (then: not acknowledged); default 1000 or INBOX_MAX. */
  inboxMax?: number;
  /** The declaration's cardUpdateBudgetMs (a click's card says "working" past it), shorter in tests. */
  cardUpdateBudgetMs?: number;
  /** A long connection's heartbeat and first reconnect delay, shorter in tests; default: the transport's. */
  connection?: ConnectionTiming;
  /** The transport's own knobs (TransportContext.options): Slack's `socketPingMs`, `requestNow`, `reminderTimeoutMs`, `fetch`. */
  transport?: Readonly<Record<string, unknown>>;
}

/** A started platform: a registry Platform (sender, stop, connected) that tests can also wait on (idle). */
export type StartedChat = ChatApp & Platform;

/** Starts `p`: throws PlatformConfigError on bad settings and when the platform refuses the credentials. */
export async function startChat<S, P, T, M, U>(p: PlatformDeclaration<S, P, T, M, U>, deps: ChatDeps): Promise<StartedChat> {
  const settings = p.settings.read(deps.env);
  let transport: Transport<P, T, M, U> | null = null;
  const redact = createRedactor(p.settings.secrets(settings), { seen: () => transport?.seen?.() ?? [], ...(p.settings.rules ? { rules: p.settings.rules } : {}) });
  const { log } = platformLog({ write: deps.log, redact, describe: p.settings.describe, prefix: () => '' });
  transport = await p.transport({
    settings, log, now: deps.now, retry: deps.retry, connection: deps.connection, store: deps.store, http: deps.http, options: deps.transport,
    lang: deps.config.institution.language, counted: (call) => countedCall(p.id, call),
  });
  const t = transport;
  const handler = createKitHandler({
    platform: p, settings, transport: t, bot: deps.bot, store: deps.store, now: deps.now, log, lang: deps.config.institution.language,
    allowed: p.settings.allowed(settings), owner: `${p.id}@${replicaOwner(deps.env)}`, inboxMax: inboxMaxOf(deps.inboxMax, deps.env),
    cardUpdateBudgetMs: deps.cardUpdateBudgetMs,
  });
  // The transport may wait for the kit's part (an HTTP receiver answers once the payload is in the inbox); a failure
  // is logged by track, never thrown back into the SDK.
  await t.start((payload, ack) => {
    const work = handler.onPayload(payload, ack);
    handler.track(work);
    return work.then(() => undefined, () => undefined);
  });
  // Payloads acknowledged before the last stop (a crash) and not processed: now, each once, in the order received.
  await handler.start();
  log(`${p.id}: ready (${t.receives}${t.describe ? `, ${t.describe()}` : ''})`);
  return {
    prefix: `${p.id}:`,
    sender: handler.sender,
    idle: handler.idle,
    connected: () => t.connected(),
    receives: t.receives,
    async stop() {
      // One long connection per event (closeFirst): closed first, so that the platform sends what follows to another
      // replica. Otherwise the work in hand first: its answers may go out over the connection (WeCom's req_id).
      if (p.closeFirst) await t.stop();
      await handler.stop();
      if (!p.closeFirst) await t.stop();
    },
  };
}
