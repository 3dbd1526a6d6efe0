import { both, type MessageKey } from '../../src/i18n/index.ts';

type RefusalKey = Extract<MessageKey, `refused.${string}` | `toast.${string}`>;

/**
 * A refusal in both languages, Chinese first: said without the store, to people whose language may not be known
 * yet. `sep` is what stands between them ('\n\n' where markdown would join single lines).
 */
export function refusal(key: RefusalKey, params?: { setting: string }, sep = '\n'): string {
  const b = (both as (k: RefusalKey, p?: { setting: string }) => Record<'zh-CN' | 'en', string>)(key, params);
  return `${b['zh-CN']}${sep}${b.en}`;
}
