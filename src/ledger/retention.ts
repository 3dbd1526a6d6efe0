// Art. 25: the ledger is kept at least three years. The stores have no delete at all; this is the rule any
// future archiving tool must ask before discarding an incident's log.
import type { IncidentState } from '../incident/state.ts';
import { endOfShanghaiDate, shanghaiDate } from '../calendar/time.ts';
import { isValidDate } from '../calendar/working-days.ts';
import { ART25 } from '../regimes/pboc-2025-4/rules.ts';

export const RETENTION_YEARS = ART25.retentionYears;

/**
 * The first instant an incident's ledger entries may be discarded: 24:00 (Shanghai) of the date three years
 * after its last recorded event, so a late report or confirmation restarts the clock. 29 February rolls to 1 March.
 */
export function retentionEndsAt(s: IncidentState): number {
  const last = Math.max(s.lastEventAt, s.createdAt);
  const [y, m, d] = shanghaiDate(last).split('-');
  const same = `${Number(y) + RETENTION_YEARS}-${m}-${d}`;
  return endOfShanghaiDate(isValidDate(same) ? same : `${Number(y) + RETENTION_YEARS}-03-01`);
}

/** False while the incident is younger than the retention period: nothing in it may be deleted. */
export function mayDiscard(s: IncidentState, nowMs: number): boolean {
  return nowMs >= retentionEndsAt(s);
}
