import type { ReportKind } from './deadlines.ts';

// Art. 18 report channels.
export const CHANNELS = ['phone', 'im', 'email', 'fax', 'system', 'written'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CONFIRM_CHANNELS = ['phone', 'im'] as const;
export type ConfirmChannel = (typeof CONFIRM_CHANNELS)[number];

/** Default internet channels (refused for work secrets); an institution may add more, e.g. 'system'. */
export const DEFAULT_INTERNET_CHANNELS: readonly Channel[] = ['im', 'email'];

/** Art. 18 ¶1: email and fax submissions need a phone or IM confirmation of receipt. */
export function needsReceiptConfirmation(channel: Channel): boolean {
  return channel === 'email' || channel === 'fax';
}

export type ChannelCheck =
  | { ok: true; needsConfirmation: boolean }
  | { ok: false; reason: 'work-secrets' | 'written-required' | 'not-for-kind'; article: 18 };

const FAST_KINDS: ReadonlySet<ReportKind> = new Set(['brief', 'incident', 'progress', 'immediate']);

/** Whether a report of `kind` may go over `channel` (Art. 18). */
export function checkChannel(
  kind: ReportKind,
  channel: Channel,
  opts: { workSecrets: boolean; internetChannels?: readonly Channel[] },
): ChannelCheck {
  const internet = opts.internetChannels ?? DEFAULT_INTERNET_CHANNELS;
  // Art. 18 ¶1: matters involving work secrets never go over internet channels.
  if (opts.workSecrets && internet.includes(channel)) return { ok: false, reason: 'work-secrets', article: 18 };
  // Art. 18 ¶2: the post-incident report (and its revision) is in writing with the seal; electronic filing is additional.
  if ((kind === 'final' || kind === 'revision') && channel !== 'written' && channel !== 'system') {
    return { ok: false, reason: 'written-required', article: 18 };
  }
  // Art. 18 ¶1 lists phone, IM, email, fax and the designated system for the three fast reports.
  if (FAST_KINDS.has(kind) && channel === 'written') return { ok: true, needsConfirmation: false };
  return { ok: true, needsConfirmation: needsReceiptConfirmation(channel) };
}
