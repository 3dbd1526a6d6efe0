import type { HTTPReceiver } from '@slack/bolt';

/** Slack signs each request with its time; one more than this away from ours, in either direction, is refused. */
export const MAX_SKEW_SEC = 5 * 60;

/** True when the x-slack-request-timestamp header is a number of seconds within MAX_SKEW_SEC of `nowMs`. */
export function freshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) return false;
  return Math.abs(Number(raw) - nowMs / 1000) <= MAX_SKEW_SEC;
}

/**
 * Bolt checks only that a signed request is not more than 5 minutes old; one stamped in the future (a request
 * signed ahead of time, replayable for as long as it is ahead) passes. This puts the two-sided check in front of
 * Bolt's own: anything outside the window gets 401 before it is read.
 */
export function refuseSkewedRequests(receiver: HTTPReceiver, now: () => number, log: (msg: string) => void): void {
  const inner = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method === 'POST' && !freshTimestamp(req.headers['x-slack-request-timestamp'], now())) {
      log('refused a request whose x-slack-request-timestamp is missing or more than 5 minutes from now');
      req.resume();
      res.writeHead(401).end();
      return;
    }
    inner(req, res);
  };
}
