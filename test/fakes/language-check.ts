// The language check every transcript reply goes through: Chinese cites 第九条第（四）项, never
// 第9条; English has no CJK outside what the user typed, the institution file's names and the report body.
import { expect } from 'vitest';
import type { InstitutionConfig } from '../../src/config/institution.ts';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;
const ARABIC_CITATION = /第\d+条/u;

/** Names from the institution file (institution, recipients, networks, people, rules): data, not our words. */
export function configNames(c: InstitutionConfig): string[] {
  return [
    c.institution.name, c.institution.location ?? '',
    ...c.recipients.flatMap((r) => [r.name, r.contact ?? '', r.im ?? '']),
    ...(c.reporter ? [c.reporter.name] : []), ...(c.responsible ?? []),
    ...c.networks.flatMap((n) => [n.name, ...(n.dataCentres ?? []), ...(n.aliases ?? [])]),
    ...c.gradingRules.map((r) => r.name),
  ].filter((s) => s !== '');
}

/** Fails the test when `text` breaks the rules for `lang`; `quoted` are texts the user typed or configured. */
export function checkLanguage(text: string, lang: 'zh-CN' | 'en', quoted: readonly string[]): void {
  if (lang === 'zh-CN') {
    expect(text, 'Chinese cites 第九条第（四）项, not 第9条').not.toMatch(ARABIC_CITATION);
    return;
  }
  // The report body is Chinese by design (the language of record); its reply says so.
  if (text.includes('Chinese is the language of record')) return;
  let rest = text;
  for (const q of [...quoted].sort((a, b) => b.length - a.length)) if (q) rest = rest.split(q).join('');
  const line = rest.split('\n').find((l) => CJK.test(l));
  expect(line, `English reply with CJK outside quoted text:\n${text}`).toBeUndefined();
}
