// The proposal card an unlinked firing alert posts: a person opens an incident or ignores it. Pure.
import { t, type Lang } from '../i18n/index.ts';
import type { Reply } from '../conversation/types.ts';
import { formatShanghai } from '../conversation/parse.ts';
import { SOURCE_NAME, type AlertSignal } from './signal.ts';

/** The question id the proposal's buttons answer; the proposal id rides in the incidentId slot. */
export const PROPOSAL_QUESTION = 'alert-proposal';

export interface Proposal {
  id: string; // e.g. AL-3f9a1c2b
  conversation: string;
  network: string; // network id
  networkName: string;
  routeIndex: number;
  title: string;
  status: 'pending' | 'opened' | 'ignored';
  signals: AlertSignal[];
  incidentId?: string;
  decidedBy?: string;
}

export function proposalReplies(p: Proposal, lang: Lang): Reply[] {
  const first = [...p.signals].sort((a, b) => a.startsAtMs - b.startsAtMs)[0]!;
  const source = SOURCE_NAME[first.source];
  return [
    {
      type: 'text',
      text: t(lang, 'alert.proposal', {
        source, name: first.name, summary: first.summary, network: p.networkName, start: formatShanghai(first.startsAtMs), from: t(lang, 'alert.from', { source }),
      }),
    },
    {
      type: 'question',
      question: {
        id: PROPOSAL_QUESTION, incidentId: p.id, path: 'alert.proposal', prompt: t(lang, 'alert.proposalPrompt', { title: p.title }),
        answerType: 'choice', options: [{ value: 'open', label: t(lang, 'alert.open') }, { value: 'ignore', label: t(lang, 'alert.ignore') }],
        allowUnknown: false, hint: t(lang, 'alert.proposalHint', { id: p.id }),
      },
    },
  ];
}

export type Decision = { id: string; choice: 'open' | 'ignore' } | { usage: true };

/** A button click on a proposal, or `/incident alert open|ignore <id>` typed (the console); null when neither. */
export function parseDecision(input: { kind: string; text: string; questionId?: string; incidentId?: string }): Decision | null {
  if (input.kind === 'action') {
    if (input.questionId !== PROPOSAL_QUESTION || !input.incidentId) return null;
    return { id: input.incidentId, choice: input.text === 'open' ? 'open' : 'ignore' }; // "skip" ignores too
  }
  if (input.kind !== 'command') return null;
  const words = input.text.replace(/^\/(incident|事件)\b/i, '').trim().split(/[\s\u3000]+/);
  if (!/^(alert|告警)$/i.test(words[0] ?? '')) return null;
  const choice = /^(open|开启|打开)$/i.test(words[1] ?? '') ? 'open' : /^(ignore|忽略)$/i.test(words[1] ?? '') ? 'ignore' : null;
  const id = words[2]?.toUpperCase();
  return choice && id ? { id, choice } : { usage: true };
}
