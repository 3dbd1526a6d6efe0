// en messages of corrections to the record (see amend.zh-CN.ts).
import type { zhAmend } from './amend.zh-CN.ts';

export const enAmend: typeof zhAmend = {
  'err.twoIncidents': (p) => `The command names two incidents (${p.ids}): a command acts on one incident; name only one. Nothing was recorded.`,
  'err.whichAnswer': (p) => `"${p.input}" is not one of the incidents offered. Reply with an incident id or its number: ${p.ids}.`,
  'which.prompt': (p) => `Several incidents are open here (${p.ids}) and you have not chosen one: which incident is this command for? (Nothing is recorded until you choose.)`,
  'which.hint': 'Pick an incident, or reply with its id or number; or name the incident in the command, e.g. /incident report brief INC-20261201-01 via phone.',
  'note.actedOnChosen': (p) => `(Acted on ${p.id}: the incident you chose yourself (new, use, or naming it in a command). This channel has several incidents: ${p.ids}; to act on another, name its id in the command.)`,
};
