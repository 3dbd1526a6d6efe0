// What the core needs from the configuration: the institution file as loaded, whether it is the bundled example,
// the grading context and the reminder policy. Built by botConfigOf (institution.ts); the core only reads it.
import type { AssessContext } from '../incident/assess.ts';
import type { ReminderPolicy } from '../reminders/planner.ts';
import type { InstitutionConfig } from './institution.ts';

export interface BotConfig {
  institution: InstitutionConfig;
  bundledExample: boolean;
  assess: AssessContext;
  reminders?: ReminderPolicy; // the institution file's reminder cadence over the defaults
}
