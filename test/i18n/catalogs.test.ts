// Every catalog string, rendered with sample values: Chinese cites 第九条第（四）项 (never 第9条); English has no CJK.
import { describe, expect, it } from 'vitest';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import { en } from '../../src/i18n/en.ts';
import { zhReports } from '../../src/i18n/reports.zh-CN.ts';
import { enReports } from '../../src/i18n/reports.en.ts';
import { cnNumber } from '../../src/i18n/numerals.ts';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;
// Numbers where a catalog formats a number; the rest get an ASCII sample that survives .slice, .join and templates.
const NUMERIC = new Set(['article', 'item', 'paragraph', 'n', 'level', 'provinces', 'count', 'threshold', 'minutes', 'peakMinutes', 'totalMinutes', 'rate']);
const sample = new Proxy({}, { get: (_t, key) => (typeof key === 'string' && NUMERIC.has(key) ? 9 : Object.assign(new String('x9'), { join: () => 'x9', map: () => ['x9'] })) });

function render(catalog: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(catalog).map(([key, entry]) => [key, typeof entry === 'function' ? String((entry as (p: unknown) => string)(sample)) : String(entry)]);
}

describe('catalogs speak as the regulation does', () => {
  it('Chinese numerals in citations', () => {
    expect([1, 9, 10, 15, 20, 23, 31].map(cnNumber)).toEqual(['一', '九', '十', '十五', '二十', '二十三', '三十一']);
  });

  it.each([['zh-CN: chat, rules, reports and the web page', zhCN], ['zh-CN reports', zhReports]] as const)('%s: no 第\\d+条', (_n, catalog) => {
    const bad = render(catalog as Record<string, unknown>).filter(([, text]) => /第\d+条/.test(text));
    expect(bad).toEqual([]);
    expect(render(catalog as Record<string, unknown>).filter(([, text]) => /即时通讯|(?<!中国)人民银行令|接报人(?!员)/.test(text))).toEqual([]);
  });

  it.each([['en: chat, rules, reports and the web page', en], ['en reports', enReports]] as const)('%s: no CJK', (_n, catalog) => {
    // The web page's language switch names the other language in its own script (中文), as language menus do.
    const bad = render(catalog as Record<string, unknown>).filter(([key, text]) => CJK.test(text) && key !== 'web.nav.lang');
    expect(bad).toEqual([]);
  });

  it('both catalogs have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    expect(Object.keys(enReports).sort()).toEqual(Object.keys(zhReports).sort());
  });
});

describe('/incident help lists every command', () => {
  it.each([['zh-CN', zhCN], ['en', en]] as const)('%s', (_l, catalog) => {
    const help = catalog['help.commands'];
    for (const c of ['new', 'status', 'set', 'answer', 'skip', 'report', 'risk-feedback', 'confirm', '[at <', 'resolve', 'reopen', 'milestone', 'lower', 't0', 'feedback', 'risk', 'draft', 'docx', 'ledger', 'note', 'list', 'use', 'lang', 'help rules', 'help fields', '/drill advance', '/drill at', '/drill now']) {
      expect(help).toContain(c);
    }
  });
});
