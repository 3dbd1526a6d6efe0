import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

/** Takes an event before Bolt does: `dispatch` hands it on to the App's listeners (which acknowledge it). */
export type Gate = (ev: ReceiverEvent, dispatch: (ev: ReceiverEvent) => Promise<void>) => Promise<void>;

/**
 * Bolt's Receiver port around Bolt's own HTTP or Socket Mode receiver: every event the inner receiver hands the App
 * passes `gate` first, so that a command is written to the inbox before anything acknowledges it. The inner receiver
 * keeps its transport (signature checks, retries, the socket); this one adds only the gate. The gate is set once the
 * App's collaborators exist; until then events go straight through.
 */
export class InboxReceiver implements Receiver {
  gate: Gate | null = null;

  constructor(readonly inner: Receiver) {}

  init(app: App): void {
    // The inner receiver calls only processEvent on the App it is given.
    const gated = { processEvent: (ev: ReceiverEvent) => (this.gate ? this.gate(ev, (e) => app.processEvent(e)) : app.processEvent(ev)) };
    this.inner.init(gated as unknown as App);
  }

  start(...args: unknown[]): Promise<unknown> {
    return this.inner.start(...args);
  }

  stop(...args: unknown[]): Promise<unknown> {
    return this.inner.stop(...args);
  }
}
