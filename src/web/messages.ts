// Looks up the web page's catalog directly (like reports/messages.ts), so the page works whether or not
// its catalog is merged into src/i18n/index.ts. Same calling convention as t().
import type { Lang } from '../i18n/index.ts';
import { enWeb } from '../i18n/web.en.ts';
import { zhWeb } from '../i18n/web.zh-CN.ts';

export type WebKey = keyof typeof zhWeb;
type Params<K extends WebKey> = (typeof zhWeb)[K] extends (p: infer P) => string ? P : never;

const catalogs: Record<Lang, typeof zhWeb> = { 'zh-CN': zhWeb, en: enWeb };

export function wt<K extends WebKey>(lang: Lang, key: K, ...params: Params<K> extends never ? [] : [Params<K>]): string {
  const entry = catalogs[lang][key] as string | ((p: unknown) => string);
  return typeof entry === 'function' ? entry(params[0]) : entry;
}
