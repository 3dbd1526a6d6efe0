import { z } from 'zod';
import { both, type Localized } from '../../i18n/index.ts';
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
export function route(type: InstitutionType, isBranch: boolean, grade: Grade, branchName?: string, recipients: readonly string[] = []): Route {
  let recipient: Recipient;
  if (type === 'pboc-affiliate' || type === 'pboc-fmi-operator') recipient = 'pboc-head-office';
  else if (HEAD_OFFICE_CLASS.has(type)) recipient = isBranch ? 'pboc-branch' : 'pboc-head-office';
  else if (CSRC_CLASS.has(type)) recipient = 'csrc-office-relay';
  else recipient = 'pboc-branch';
  const where = branchName ?? '';
  const text = both(`route.${recipient}`, { branch: where });
  return { recipient, article: 14, text, relay: recipient === 'pboc-head-office' ? null : relayNote(grade, recipients) };
}

// Separately-listed cities whose branches relay to a provincial branch (Shenzhen's reports to the head office).
const LISTED_CITIES = /大连|青岛|宁波|厦门/;
// Provincial-level branches: provinces, autonomous regions, the municipalities, the Shanghai head office, Shenzhen.
const PROVINCIAL = /省分行|自治区分行|上海总部|(北京|天津|重庆|深圳)市分行/;

/** True when a recipient named in the institution file is a separately-listed-city (not Shenzhen) or prefecture branch. */
export function isCityBranch(name: string): boolean {
  if (LISTED_CITIES.test(name)) return true;
  return /(市|州|盟|地区)分行/.test(name) && !PROVINCIAL.test(name);
}

/**
 * Art. 14 ¶2: city and prefecture branches relay 较大+ to the provincial branch (said only when one of the
 * recipients is such a branch); provincial branches and Shenzhen relay 重大+ to the head office.
 */
export function relayNote(grade: Grade, recipients: readonly string[] = []): Localized | null {
  if (atLeast(grade, '重大')) return both('route.relayMajor');
  if (atLeast(grade, '较大') && recipients.some(isCityBranch)) return both('route.relaySignificant');
  return null;
}
