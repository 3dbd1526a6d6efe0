// The event log's hash chain: within each incident, each event's chain value is the SHA-256 of the previous one's
// value, its own seq and its JSON exactly as stored. The chain's genesis is the store identity and the incident id,
// so an event copied from another store or incident does not fit. Events written before the chain existed are
// covered by one chain-start record per incident (the chain value they would have had at its last legacy event),
// written on the incident's first append after the upgrade; they are never rewritten.
import { createHash } from 'node:crypto';

export const CHAIN_VERSION = 'pboc-incident chain v1';

/** The value before an incident's first event. identity: the store identity id ('' for a store without one). */
export function chainGenesis(identity: string, incidentId: string): string {
  return createHash('sha256').update(`${CHAIN_VERSION}\n${identity}\n${incidentId}`).digest('hex');
}

/** The chain value of event `seq` (JSON as stored) after `prev`. */
export function chainLink(prev: string, seq: number, json: string): string {
  return createHash('sha256').update(`${prev}\n${seq}\n`).update(json).digest('hex');
}

/** Chain values of events first+0, first+1, ... after `prev`. */
export function chainValues(prev: string, first: number, jsons: readonly string[]): string[] {
  const out: string[] = [];
  let h = prev;
  jsons.forEach((json, i) => {
    h = chainLink(h, first + i, json);
    out.push(h);
  });
  return out;
}

export interface ChainEventRow {
  seq: number;
  json: string;
  chain: string | null;
}

/**
 * The chain value to continue from after `events` (an incident's whole log, seq 1..n, when the last one is not
 * chained), and the chain-start record to write when the incident has no chain at all yet (its events are all from
 * before the chain). A log whose chain stops part-way (events appended by an older version) continues over those
 * events' JSON, and verify names them.
 */
export function chainResume(
  genesis: string,
  events: readonly ChainEventRow[],
  chainStart: { afterSeq: number; hash: string } | null,
): { prev: string; start: { afterSeq: number; hash: string } | null } {
  let lastChained = -1;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.chain) { lastChained = i; break; }
  let base = genesis;
  let from = 0; // index of the first event to fold over
  if (chainStart && chainStart.afterSeq - 1 > lastChained) {
    base = chainStart.hash;
    from = chainStart.afterSeq;
  } else if (lastChained >= 0) {
    base = events[lastChained]!.chain!;
    from = lastChained + 1;
  }
  const rest = events.slice(from);
  const prev = rest.length === 0 ? base : chainValues(base, rest[0]!.seq, rest.map((e) => e.json)).at(-1)!;
  const start = chainStart === null && lastChained < 0 && events.length > 0 ? { afterSeq: events.length, hash: prev } : null;
  return { prev, start };
}
