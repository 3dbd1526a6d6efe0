import { LANGS, t, type Lang } from '../i18n/index.ts';
import type { Reply } from './types.ts';

/**
 * The language replies are in: the first card's; else a file's, told by its title (the core words the written
 * report's title in the report's language, which is the asker's unless they asked for the other); else the fallback.
 * Adapters use it to word their own additions (notes, errors) in the language of the replies they carry.
 */
export function langOf(replies: readonly Reply[], fallback: Lang): Lang {
  const card = replies.find((r): r is Extract<Reply, { type: 'card' }> => r.type === 'card');
  if (card) return card.card.lang;
  for (const r of replies) {
    if (r.type !== 'file') continue;
    const lang = LANGS.find((l) => t(l, 'file.finalDocx', { id: r.incidentId }) === r.title);
    if (lang) return lang;
  }
  return fallback;
}
