import type { CommandTable } from './context.ts';
import { ack } from './ack.ts';
import { amend } from './amend.ts';
import { confirm } from './confirm.ts';
import { contact } from './contact.ts';
import { correct } from './correct.ts';
import { draft } from './draft.ts';
import { feedback } from './feedback.ts';
import { help } from './help.ts';
import { lang } from './lang.ts';
import { ledger } from './ledger.ts';
import { list } from './list.ts';
import { lower } from './lower.ts';
import { milestone } from './milestone.ts';
import { create } from './new.ts';
import { note } from './note.ts';
import { reopen } from './reopen.ts';
import { report } from './report.ts';
import { regimeReport } from './regime-report.ts';
import { resolve } from './resolve.ts';
import { risk } from './risk.ts';
import { answer, set } from './set.ts';
import { skip } from './skip.ts';
import { status } from './status.ts';
import { t0 } from './t0.ts';
import { use } from './use.ts';
import { voidReport } from './void.ts';
import { web } from './web.ts';

/** Every command's handler: a new command is one file and one line here. */
export const COMMANDS: CommandTable = {
  help, lang, list, new: create, ledger, web,
  status, use, set, answer, skip, report, confirm, resolve, reopen, lower, t0, correct, contact, feedback, risk, draft, milestone, note, ack,
  void: voidReport, amend, 'regime-report': regimeReport,
};
