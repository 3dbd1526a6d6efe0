import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
/** A text in both languages; domain results carry these so any adapter can render either. */
export type Localized = Record<Lang, string>;

export type Catalog = typeof zhCN;
export type MessageKey = keyof Catalog;
type Params<K extends MessageKey> = Catalog[K] extends (p: infer P) => string ? P : never;

const catalogs: Record<Lang, Catalog> = { 'zh-CN': zhCN, en };

export function t<K extends MessageKey>(lang: Lang, key: K, ...params: Params<K> extends never ? [] : [Params<K>]): string {
  const entry = catalogs[lang][key] as string | ((p: unknown) => string);
  return typeof entry === 'function' ? entry(params[0]) : entry;
}

/** The same message in both languages. */
export function both<K extends MessageKey>(key: K, ...params: Params<K> extends never ? [] : [Params<K>]): Localized {
  return { 'zh-CN': t('zh-CN', key, ...params), en: t('en', key, ...params) };
}

export function parseLang(input: string | undefined): Lang | null {
  if (!input) return null;
  const s = input.trim().toLowerCase();
  if (s === 'zh' || s === 'zh-cn' || s === 'cn' || s === '中文') return 'zh-CN';
  if (s === 'en' || s === 'en-us' || s === 'english' || s === '英文') return 'en';
  return null;
}
