import { z } from 'zod';
import { both, type Localized } from '../i18n/index.ts';
import { atLeast, type Grade } from './grades.ts';

// Art. 14 institution classes.
export const INSTITUTION_TYPES = [
  'policy-bank', // China Development Bank and the policy banks
  'large-state-bank',
  'postal-savings-bank',
  'joint-stock-bank',
  'systemic-city-commercial-bank',
  'systemic-payment-institution',
  'personal-credit-agency',
  'pboc-affiliate', // units affiliated with PBoC
  'pboc-fmi-operator', // financial-infrastructure operators PBoC manages
  'securities',
  'futures',
  'fund',
  'other',
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

export const InstitutionTypeSchema = z.enum(INSTITUTION_TYPES);

const HEAD_OFFICE_CLASS: ReadonlySet<InstitutionType> = new Set([
  'policy-bank', 'large-state-bank', 'postal-savings-bank', 'joint-stock-bank',
  'systemic-city-commercial-bank', 'systemic-payment-institution', 'personal-credit-agency',
]);
const CSRC_CLASS: ReadonlySet<InstitutionType> = new Set(['securities', 'futures', 'fund']);

export type Recipient = 'pboc-head-office' | 'pboc-branch' | 'csrc-office-relay';

export interface Route {
  recipient: Recipient;
  article: 14;
  text: Localized;
  relay: Localized | null; // how the branch relays onwards (Art. 14 ¶2), informational
}

/** Art. 14 ¶1: where an institution (or one of its branches) reports. */
export function route(type: InstitutionType, isBranch: boolean, grade: Grade, branchName?: string): Route {
  let recipient: Recipient;
  if (type === 'pboc-affiliate' || type === 'pboc-fmi-operator') recipient = 'pboc-head-office';
  else if (HEAD_OFFICE_CLASS.has(type)) recipient = isBranch ? 'pboc-branch' : 'pboc-head-office';
  else if (CSRC_CLASS.has(type)) recipient = 'csrc-office-relay';
  else recipient = 'pboc-branch';
  const where = branchName ?? '';
  const text = both(`route.${recipient}`, { branch: where });
  return { recipient, article: 14, text, relay: recipient === 'pboc-head-office' ? null : relayNote(grade) };
}

/** Art. 14 ¶2: city and prefecture branches relay 较大+ to the provincial branch; provincial branches and Shenzhen relay 重大+ to the head office. */
export function relayNote(grade: Grade): Localized | null {
  if (atLeast(grade, '重大')) return both('route.relayMajor');
  if (atLeast(grade, '较大')) return both('route.relaySignificant');
  return null;
}
