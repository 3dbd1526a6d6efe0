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

/** A label value from outside: kept only when it is a short code-like word, else "other". */
export const codeWord = (s: string, known?: ReadonlySet<string>): string => (known ? (known.has(s) ? s : 'other') : /^[A-Za-z0-9_.-]{1,48}$/.test(s) ? s : 'other');
const word = codeWord;

/** The API error code carried by a platform error (Slack's data.error, Feishu's and DingTalk's code, WeCom's errcode, an HTTP status). */
export function apiErrorCode(e: unknown): string {
  for (let x = e as Record<string, unknown> | undefined, depth = 0; x && typeof x === 'object' && depth < 4; x = x.cause as Record<string, unknown> | undefined, depth++) {
    const data = x.data as { error?: unknown } | undefined;
    if (typeof data?.error === 'string') return word(data.error);
    for (const k of ['errcode', 'code'] as const) {
      const v = x[k];
      if ((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '')) return word(String(v));
    }
    const status = x.status ?? x.statusCode;
    if (typeof status === 'number') return `http_${status}`;
    if (typeof x.retryAfterMs === 'number' && x.retryAfterMs > 0) return 'rate_limited';
  }
  return 'unknown';
}
