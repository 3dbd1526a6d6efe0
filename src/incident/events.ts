import type { Channel, ConfirmChannel } from '../regimes/pboc-2025-4/channels.ts';
import type { ReportKind } from '../regimes/pboc-2025-4/deadlines.ts';
import type { Grade } from '../regimes/pboc-2025-4/grades.ts';
import type { RegimeId } from '../regimes/port.ts';

/** Who did it and when (epoch ms); every event carries both (Art. 25 ledger). */
export interface EventBase {
  at: number;
  actor: string;
}

/** One basis line as recorded with a grade change: enough for the ledger to say why. */
export interface RecordedBasis {
  article: number;
  item: number | null;
  grade: Grade;
  reason: string; // zh-CN, the language of record
}

/** Another regime's obligation as reminders and `ack` name it: `<regime>.<kind>`, e.g. `cac.initial`. */
export type RegimeObligationKey = `${Exclude<RegimeId, 'pboc'>}.${string}`;

export type IncidentEvent = EventBase &
  (
    | { type: 'created'; id: string; title: string; conversation: string; drill?: boolean }
    // reason: a person correcting a monitoring source's value; since: when the fact became true, if the user said (`set … at <time>`).
    | { type: 'fact-set'; path: string; value: string | number | boolean; reason?: string; since?: number }
    | { type: 'fact-unknown'; path: string } // answered "unknown" (Art. 12)
    | { type: 'fact-cleared'; path: string }
    // The grade rose; effectiveAt is when the facts met it (a live outage crossing a threshold may precede `at`).
    | { type: 'grade-raised'; from: Grade | null; to: Grade; effectiveAt: number; basis: RecordedBasis[] }
    | { type: 'grade-lowered'; from: Grade; to: Grade; reason: string } // explicit and attributed (Art. 12)
    | { type: 't0-set'; t0: number; reason: string } // backdated by a user
    // Facts recorded later show a clock's criterion was met earlier than recorded (a late-typed outage): the clock
    // start moves earlier, never later, and the basis says why. clock 't0': Art. 15's 1 h / 24 h; 'major': Art. 16's 2 h.
    | { type: 'clock-earlier'; clock: 't0' | 'major'; from: number; to: number; basis: RecordedBasis[] }
    // A mistaken clock start or occurrence time corrected, either way, with a reason (the original stays in the log).
    | { type: 'corrected'; field: 't0' | 'occurredAt'; from: number | null; to: number; reason: string }
    // reportedAt: when it was sent, if not when recorded (Art. 25 报告时间); contact: who at PBoC took it;
    // summary: the content as sent (summaryCut: characters cut beyond the cap), the user's own text (contentSource 'user') or the draft as it stood ('draft').
    | { type: 'report-submitted'; reportId: string; kind: ReportKind; channel: Channel; recipient: string; committedDate?: string; summary?: string; summaryCut?: number; reportedAt?: number; contact?: string; contentSource?: 'draft' | 'user' }
    // A report under another regime (CAC, NFRA, CSRC, police, PIPL: `report <regime> <kind> …`). Its own list: it
    // never meets a PBoC obligation. Report ids share one sequence with PBoC's, so void and amend find either.
    | { type: 'regime-report-submitted'; reportId: string; regime: Exclude<RegimeId, 'pboc'>; kind: string; channel: string; recipient: string; summary?: string; summaryCut?: number; reportedAt?: number; contact?: string }
    | { type: 'report-contact'; reportId: string; contact: string } // who at PBoC received it, recorded after the report
    // A report recorded by mistake, voided with a reason: it stays in the ledger, marked, and meets no obligation.
    | { type: 'report-voided'; reportId: string; reason: string }
    // A report's time, contact or content corrected with a reason; the values before stay in the ledger beside it.
    | { type: 'report-amended'; reportId: string; reason: string; reportedAt?: number; contact?: string; summary?: string; summaryCut?: number }
    | { type: 'receipt-confirmed'; reportId: string; channel: ConfirmChannel; contact: string; confirmedAt: number }
    | { type: 'resolved'; resolvedAt: number }
    | { type: 'reopened' }
    | { type: 'feedback-received'; receivedAt: number } // Art. 23
    | { type: 'risk-notice'; receivedAt: number; dueAt: number; summary: string } // Art. 24
    | { type: 'milestone'; text: string } // Art. 16: stage progress or a new problem: report at once
    | { type: 'note'; text: string }
    | { type: 'reminder-sent'; key: string; late: boolean }
    // Someone acknowledged an obligation's reminder (`/incident ack`, or its button): quiets it until the next rung of the
    // escalation ladder; never marks it met. step: the reminder acknowledged, when known (a button's).
    | { type: 'reminder-acked'; obligation: ReportKind | 'confirm' | RegimeObligationKey; reportId?: string; step?: string }
    // A monitoring alert linked to the incident (src/alerts): one occurrence, as its source reported it.
    | { type: 'alert'; source: string; alertId: string; name: string; network: number; status: 'firing' | 'resolved'; startsAt: number; endsAt: number | null }
  );

export type EventType = IncidentEvent['type'];

/** An event before it is stamped with who and when. */
export type EventInput = IncidentEvent extends infer E ? (E extends unknown ? Omit<E, 'at' | 'actor'> : never) : never;
