// en messages of corrections to the record (see amend.zh-CN.ts).
import type { zhAmend } from './amend.zh-CN.ts';

export const enAmend: typeof zhAmend = {
  'err.twoIncidents': (p) => `The command names two incidents (${p.ids}): a command acts on one incident; name only one. Nothing was recorded.`,
  'err.whichAnswer': (p) => `"${p.input}" is not one of the incidents offered. Reply with an incident id or its number: ${p.ids}.`,
  'which.prompt': (p) => `Several incidents are open here (${p.ids}) and you have not chosen one: which incident is this command for? (Nothing is recorded until you choose.)`,
  'which.hint': 'Pick an incident, or reply with its id or number; or name the incident in the command, e.g. /incident report brief INC-20261201-01 via phone.',
  'note.actedOnChosen': (p) => `(Acted on ${p.id}: the incident you chose yourself (new, use, or naming it in a command). This channel has several incidents: ${p.ids}; to act on another, name its id in the command.)`,
  'note.clipped': (p) => `⚠ The ${p.field} is longer than ${p.kept} characters: only the first ${p.kept} are kept, ${p.cut} cut (the ledger says so too).`,
  'err.alreadyVoided': (p) => `${p.id} was voided at ${p.at} (reason: ${p.reason}); it cannot be voided or amended again.`,
  'err.amendSame': (p) => `${p.id} already has the values you gave: nothing to amend.`,
  'ok.voided': (p) => `Voided ${p.id} (${p.kind}, reason: ${p.reason}). The original stays in the ledger, marked void; it no longer meets any obligation, and its deadline counts as unmet again (see the card below).`,
  'ok.amended': (p) => `Amended ${p.id} (${p.kind}): ${p.changes}; reason: ${p.reason}. The original stays in the ledger beside the amended record.`,
  'usage.void': '/incident void <report id> reason <why>, e.g. void R3 reason recorded by mistake, never sent',
  'usage.amend': '/incident amend <report id> [at <time sent>] [contact <PBoC contact>] [text <content>] reason <why>, e.g. amend R1 at 15:40 reason wrong time typed',
  'field.title': 'title',
  'field.contact': 'PBoC contact',
  'field.reason': 'reason',
  'field.text': 'report content',
  'field.note': 'note',
  'field.milestone': 'milestone',
  'report.committed': (p) => `committed date for the post-incident report ${p.date}`,
  'deadline.committedLatest': (p) => `The post-incident report is due by the date the latest preliminary report committed to, ${p.committed} (earlier commitments: ${p.earlier}).`,
};
