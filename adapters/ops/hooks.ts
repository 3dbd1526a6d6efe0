// What the adapters tell the operations side (metrics) as it happens, without loading anything: a tiny observer the
// metrics listener fills in when METRICS_PORT is set, and a no-op otherwise. Only fixed words and counts cross it,
// never incident text or user ids.

/** How a platform payload was taken: written to the inbox, a re-delivery, the queue full, or not recorded (store down). */
export type InboundResult = 'accepted' | 'duplicate' | 'busy' | 'refused';

export interface OpsObserver {
  inbound?(platform: string, result: InboundResult): void;
  apiError?(platform: string, code: string): void;
}

let observer: OpsObserver = {};

/** Installs the observer (the metrics listener); returns a function that removes it. */
export function observeOps(o: OpsObserver): () => void {
  observer = o;
  return () => { if (observer === o) observer = {}; };
}

export const ops = {
  inbound(platform: string, result: InboundResult): void {
    observer.inbound?.(platform, result);
  },
  apiError(platform: string, code: string): void {
    observer.apiError?.(platform, code);
  },
};
