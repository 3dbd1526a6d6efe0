// Looks up the reports catalog directly, so drafts, the DOCX and the ledger work whether or not the
// catalog is merged into src/i18n/index.ts. Same calling convention as t().
import { type Lang } from '../i18n/index.ts';
import { enReports } from '../i18n/reports.en.ts';
import { zhReports } from '../i18n/reports.zh-CN.ts';

export type ReportsKey = keyof typeof zhReports;
type Params<K extends ReportsKey> = (typeof zhReports)[K] extends (p: infer P) => string ? P : never;

const catalogs: Record<Lang, typeof zhReports> = { 'zh-CN': zhReports, en: enReports };

export function rt<K extends ReportsKey>(lang: Lang, key: K, ...params: Params<K> extends never ? [] : [Params<K>]): string {
  const entry = catalogs[lang][key] as string | ((p: unknown) => string);
  return typeof entry === 'function' ? entry(params[0]) : entry;
}
