import type { HTTPReceiver } from '@slack/bolt';

/** Slack signs each request with its time; one more than this away from ours, in either direction, is refused. */
export const MAX_SKEW_SEC = 5 * 60;

/** True when the x-slack-request-timestamp header is a number of seconds within MAX_SKEW_SEC of `nowMs`. */
export function freshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) return false;
  return Math.abs(Number(raw) - nowMs / 1000) <= MAX_SKEW_SEC;
}

/** The header's offset from `nowMs` in whole seconds (request time minus ours), or null when it is missing or malformed. */
export function timestampOffsetSec(header: string | string[] | undefined, nowMs: number): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) return null;
  return Math.round(Number(raw) - nowMs / 1000);
}

const span = (sec: number): string => {
  const a = Math.abs(sec);
  const m = Math.floor(a / 60);
  return m > 0 ? `${m} min ${a % 60} s` : `${a} s`;
};

/**
 * Refusals for the request time come in floods when this machine's clock is off (every request is refused): one loud
 * line, at most once per `everyMs`, says how many were refused since the last and the offset measured on the latest.
 */
export function skewWarner(log: (msg: string) => void, everyMs = 60_000): (offsetSec: number | null, nowMs: number) => void {
  let lastAt = -Infinity;
  let skewed = 0;
  let malformed = 0;
  let offset: number | null = null;
  return (offsetSec, nowMs) => {
    if (offsetSec === null) malformed++;
    else {
      skewed++;
      offset = offsetSec;
    }
    if (nowMs - lastAt < everyMs) return;
    lastAt = nowMs;
    const parts: string[] = [];
    if (skewed > 0 && offset !== null) {
      parts.push(`WARNING: refused ${skewed} Slack request(s) whose X-Slack-Request-Timestamp is ${span(offset)} ${offset < 0 ? 'behind' : 'ahead of'} this machine's clock (measured offset ${offset > 0 ? '+' : ''}${offset} s; Slack allows ±${MAX_SKEW_SEC} s). Slack's clock is right: check NTP on this machine`);
    }
    if (malformed > 0) parts.push(`refused ${malformed} request(s) without a valid X-Slack-Request-Timestamp`);
    log(`${parts.join('; ')}${everyMs >= 60_000 ? ` (said at most once a minute)` : ''}`);
    skewed = 0;
    malformed = 0;
  };
}

/**
 * Bolt checks only that a signed request is not more than 5 minutes old; one stamped in the future (a request
 * signed ahead of time, replayable for as long as it is ahead) passes. This puts the two-sided check in front of
 * Bolt's own: anything outside the window gets 401 before it is read. The refusals are logged aggregated.
 */
export function refuseSkewedRequests(receiver: Pick<HTTPReceiver, 'requestListener'>, now: () => number, log: (msg: string) => void, everyMs = 60_000): void {
  const inner = receiver.requestListener;
  const warn = skewWarner(log, everyMs);
  receiver.requestListener = (req, res) => {
    const nowMs = now();
    if (req.method === 'POST' && !freshTimestamp(req.headers['x-slack-request-timestamp'], nowMs)) {
      warn(timestampOffsetSec(req.headers['x-slack-request-timestamp'], nowMs), nowMs);
      req.resume();
      res.writeHead(401).end();
      return;
    }
    inner(req, res);
  };
}
