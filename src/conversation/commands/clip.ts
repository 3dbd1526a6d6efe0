import { t, type Lang } from '../../i18n/index.ts';

/** The longest text kept whole: the adapters' incoming cap. Reports, notes and milestones are kept whole up to it. */
export const TEXT_MAX = 20_000;
/** Short fields: an incident's title, a PBoC contact's name, a reason. */
export const TITLE_MAX = 200;
export const CONTACT_MAX = 100;
export const REASON_MAX = 500;

/** A text kept up to `max` characters; when it was longer, `notice` says what was kept and how much was cut. */
export function clip(lang: Lang, field: string, text: string, max: number): { text: string; cut: number; notice: string | null } {
  const chars = [...text];
  if (chars.length <= max) return { text, cut: 0, notice: null };
  const cut = chars.length - max;
  return { text: chars.slice(0, max).join(''), cut, notice: t(lang, 'note.clipped', { field, kept: max, cut }) };
}
