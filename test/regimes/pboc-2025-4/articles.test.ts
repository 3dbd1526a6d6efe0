// The rule table carries PBoC Order 2025-4's articles verbatim, each above the values that encode it: every article
// the rules cite is there, word for word as the regulation copied into the repo has it, and each threshold is the
// number its article states.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeDeadlines } from '../../../src/regimes/pboc-2025-4/deadlines.ts';
import { grade } from '../../../src/regimes/pboc-2025-4/grading.ts';
import { pboc } from '../../../src/regimes/pboc-2025-4/regime.ts';
import {
  ART10, ART12, ART15, ART16, ART17, ART23, ART25, ART31, ART7, ART8, ART9, KEY_NETWORK_PERSONS, PBOC_ARTICLES,
} from '../../../src/regimes/pboc-2025-4/rules.ts';
import { createCalendar } from '../../../src/calendar/working-days.ts';
import { cnNumber } from '../../../src/i18n/numerals.ts';

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const cnToNumber = (s: string) => {
  const [tens, ones] = s.includes('十') ? s.split('十') : ['', s];
  return (s.includes('十') ? (tens === '' ? 1 : CN[tens!]!) * 10 : 0) + (ones === '' ? 0 : CN[ones!]!);
};

/** The regulation file's articles: each "第N条 " line starts one, its paragraphs follow until the next article or chapter. */
function regulationArticles(): Map<number, string[]> {
  const text = readFileSync(repo('docs/regulation/pboc-order-2025-4.zh.md'), 'utf8');
  const lines = text.slice(text.indexOf('第一章 总则')).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const out = new Map<number, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    const article = /^第([一二三四五六七八九十]+)条 /.exec(line);
    if (article) out.set(cnToNumber(article[1]!), (current = [line]));
    else if (/^第[一二三四五六七八九十]+章/.test(line)) current = null;
    else current?.push(line);
  }
  return out;
}

/** Article numbers the regime's code cites: "Art. 9", "Art. 7-10", "Articles 7 to 10", "article: 15". */
function citedInSource(): Set<number> {
  const dir = repo('src/regimes/pboc-2025-4');
  const cited = new Set<number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'rules.ts')) {
    const src = readFileSync(`${dir}/${file}`, 'utf8');
    for (const m of src.matchAll(/Art(?:icles?|\.) (\d+)(?:(?:-| to )(\d+))?|article: (\d+)/g)) {
      const from = Number(m[1] ?? m[3]);
      for (let n = from; n <= Number(m[2] ?? from); n++) if (n > 0) cited.add(n);
    }
  }
  return cited;
}

describe('PBoC articles beside their rules', () => {
  const regulation = regulationArticles();
  const table = new Map(PBOC_ARTICLES.map((a) => [a.article, a]));

  it('reads the 33 articles of the regulation file', () => {
    expect([...regulation.keys()]).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
  });

  it('carries every article word for word as the regulation file has it', () => {
    for (const a of PBOC_ARTICLES) expect(a.paragraphs, `Art. ${a.article}`).toEqual(regulation.get(a.article));
  });

  it('has the text of every article the regime code cites', () => {
    const missing = [...citedInSource()].filter((n) => !table.has(n)).sort((a, b) => a - b);
    expect(missing).toEqual([]);
  });

  it('has the text of every article a grade or a deadline cites', () => {
    const facts = {
      networks: [
        { name: 'k', keyNetwork: true, financialService: true, affectedNaturalPersons: 20_000_000, mainFunctionDisruptedMinutes: 90, outage: { provinces: 2, failureRatePercent: 90, peakMinutes: 400, totalMinutes: 400 } },
      ],
      data: { coreData: true, importantData: true, socialHarm: true, sensitivePersonalInfoRecords: 20_000_000, personalInfoRecords: 200_000_000, creditOrPropertyRecords: 600 },
      ransomwareHarm: true,
      designations: [{ by: 'cac' as const, grade: '较大' as const }, { by: 'pboc' as const, grade: '重大' as const }],
      undeterminable: true,
    };
    const cited = new Set(grade(facts).basis.map((b) => b.article));
    const t0 = Date.parse('2026-11-02T10:00:00+08:00');
    const d = computeDeadlines(
      {
        grade: '特别重大', t0Ms: t0, escalations: [{ atMs: t0 + 60_000, grade: '特别重大' }], resolvedAtMs: t0 + 3_600_000,
        feedbackReceivedAtMs: t0 + 86_400_000, reports: [], riskNotice: { receivedAtMs: t0, dueAtMs: t0 + 86_400_000 },
      },
      t0,
      createCalendar(),
    );
    for (const x of [...d.deadlines, ...d.immediate, ...(d.preliminary ? [d.preliminary] : []), ...(d.riskFeedback ? [d.riskFeedback] : [])]) cited.add(x.article);
    expect([...cited].sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 12, 15, 16, 17, 23, 24]);
    for (const n of cited) expect(table.has(n), `Art. ${n}`).toBe(true);
  });

  it('shows them on the PBoC regime as verbatim text, one paragraph a line', () => {
    expect(pboc.articles).toHaveLength(PBOC_ARTICLES.length);
    const art9 = pboc.articles.find((a) => a.cite.en === 'PBoC Order [2025] No. 4 Art. 9')!;
    expect(art9.verbatim).toBe(true);
    expect(art9.cite['zh-CN']).toBe('《中国人民银行业务领域网络安全事件报告管理办法》第九条');
    expect(art9.text.split('\n')).toEqual(regulation.get(9));
  });
});

describe('each threshold is the number its article states', () => {
  const text = (n: number) => PBOC_ARTICLES.find((a) => a.article === n)!.paragraphs.join('\n');
  // The order writes 3小时, 1.5小时, 15分钟; 1000万, 1亿, 5000, 500.
  const duration = (m: number) => (m < 60 ? `${m}分钟` : `${m / 60}小时`);
  const count = (n: number) => (n >= 1e8 ? `${n / 1e8}亿` : n >= 1e4 ? `${n / 1e4}万` : `${n}`);

  it.each([[7, ART7], [8, ART8], [9, ART9]] as const)('Art. %i: key-network outage, persons and organisations', (n, rule) => {
    expect(text(n)).toContain(`直接服务${count(KEY_NETWORK_PERSONS)}个以上自然人`);
    expect(text(n)).toContain(`两个以上省级行政区范围整体中断运行${duration(rule.keyOutage.multiProvinceMinutes)}以上`);
    expect(text(n)).toContain(`单个省级行政区范围整体中断运行${duration(rule.keyOutage.singleProvinceMinutes)}以上`);
    expect(text(n)).toContain(`已实际影响${count(rule.affected.persons)}个以上自然人或者${count(rule.affected.orgs)}个以上法人和其他组织`);
    expect(text(n)).toContain(`分级为${rule.grade}网络安全事件`);
  });

  it('Art. 7-9: records leaked', () => {
    expect(text(7)).toContain(`泄露${count(ART7.leaked.sensitivePersonalInfoRecords)}条以上敏感个人信息或者${count(ART7.leaked.personalInfoRecords)}条以上个人信息`);
    expect(text(8)).toContain(`泄露${count(ART8.leaked.sensitivePersonalInfoRecords)}条以上敏感个人信息或者${count(ART8.leaked.personalInfoRecords)}条以上个人信息`);
    expect(text(9)).toContain(`泄露${count(ART9.leaked.creditOrPropertyRecords)}条以上征信信息、财产信息,或者致使泄露${count(ART9.leaked.personalInfoRecords)}条以上个人信息`);
  });

  it('Art. 10, 12, 15, 16, 17, 23, 25, 31: durations, clocks and shares', () => {
    expect(text(10)).toContain(`单个省级行政区范围整体中断运行${duration(ART10.financialOutageMinutes)}以上`);
    expect(text(10)).toContain(`已实际影响${count(ART10.affected.persons)}个以上自然人或者${count(ART10.affected.orgs)}个以上法人和其他组织`);
    expect(text(10)).toContain(`已持续${duration(ART10.disruptedMinutes)}以上`);
    expect(text(12)).toContain(`应当至少分级为${ART12.undeterminableGrade}网络安全事件`);
    expect(text(15)).toContain(`应当于${ART15.briefHours}小时内报送网络安全事件事发简要报告,并在${ART15.incidentHours}小时内报送网络安全事件事发报告`);
    expect(text(16)).toContain(`至少每隔${ART16.progressHours}小时进行事中进展报告`);
    expect(text(17)).toContain(`应当于${ART17.finalWorkingDays}个工作日内报送事后调查总结报告`);
    expect(text(17)).toContain(`处置结束之日起${ART17.committedLimitWorkingDays}个工作日内`);
    expect(text(23)).toContain(`收到反馈之日起${ART23.revisionWorkingDays}个工作日内`);
    expect(text(25)).toContain(`台账应当至少留存${cnNumber(ART25.retentionYears)}年`);
    expect(text(31)).toContain(`超过日平均业务量百分之${cnNumber(ART31.peakSharePercent)}的时段`);
    expect(text(31)).toContain(`已经超过百分之${cnNumber(ART31.wholeInterruptionPercent)}`);
  });
});
