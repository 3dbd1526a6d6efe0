import { describe, expect, it } from 'vitest';
import type { Facts, NetworkFacts } from '../../../src/regimes/pboc-2025-4/facts.ts';
import { parseFacts } from '../../../src/regimes/pboc-2025-4/facts.ts';
import { grade } from '../../../src/regimes/pboc-2025-4/grading.ts';
import type { InstitutionRule } from '../../../src/regimes/pboc-2025-4/institution-rules.ts';

const key = (outage: NetworkFacts['outage']): Facts => ({ networks: [{ name: '支付系统', keyNetwork: true, outage }] });
const fin = (n: Partial<NetworkFacts>): Facts => ({ networks: [{ name: '网银', financialService: true, ...n }] });
const whole = { failureRatePercent: 80 };

// [label, facts, expected grade, expected article, expected item]; "below" rows expect the next grade down.
const cases: Array<[string, Facts, string, number | null, number | null]> = [
  // Art. 7-9 item 1: key network, peak-hour whole interruption, 2+ provinces.
  ['key 2 prov 180 peak min', key({ provinces: 2, peakMinutes: 180, totalMinutes: 200, ...whole }), '特别重大', 7, 1],
  ['key 2 prov 179 peak min', key({ provinces: 2, peakMinutes: 179, totalMinutes: 200, ...whole }), '重大', 8, 1],
  ['key 2 prov 90 peak min', key({ provinces: 2, peakMinutes: 90, totalMinutes: 90, ...whole }), '重大', 8, 1],
  ['key 2 prov 89 peak min', key({ provinces: 2, peakMinutes: 89, totalMinutes: 89, ...whole }), '较大', 9, 1],
  ['key 2 prov 15 peak min', key({ provinces: 2, peakMinutes: 15, totalMinutes: 15, ...whole }), '较大', 9, 1],
  ['key 2 prov 14 peak min', key({ provinces: 2, peakMinutes: 14, totalMinutes: 14, ...whole }), '一般', null, null],
  // Same, 1 province.
  ['key 1 prov 360 peak min', key({ provinces: 1, peakMinutes: 360, totalMinutes: 360, ...whole }), '特别重大', 7, 1],
  ['key 1 prov 359 peak min', key({ provinces: 1, peakMinutes: 359, totalMinutes: 359, ...whole }), '重大', 8, 1],
  ['key 1 prov 180 peak min', key({ provinces: 1, peakMinutes: 180, totalMinutes: 180, ...whole }), '重大', 8, 1],
  ['key 1 prov 179 peak min', key({ provinces: 1, peakMinutes: 179, totalMinutes: 179, ...whole }), '较大', 9, 1],
  ['key 1 prov 30 peak min', key({ provinces: 1, peakMinutes: 30, totalMinutes: 30, ...whole }), '较大', 9, 1],
  ['key 1 prov 29 peak min', key({ provinces: 1, peakMinutes: 29, totalMinutes: 29, ...whole }), '一般', null, null],
  // Art. 31(4): whole interruption means more than 70%.
  ['key 70.5% is whole', key({ provinces: 1, peakMinutes: 30, totalMinutes: 30, failureRatePercent: 70.5 }), '较大', 9, 1],
  ['key 70% is not whole', key({ provinces: 1, peakMinutes: 400, totalMinutes: 400, failureRatePercent: 70 }), '一般', null, null],
  ['key off-peak 10 h: not item 1, only 10(3)', key({ provinces: 3, peakMinutes: 0, totalMinutes: 600, ...whole }), '一般', 10, 3],
  // Art. 10(1): financial-service network, whole interruption 30 min, any time.
  ['fin outage 30 min', fin({ outage: { provinces: 1, peakMinutes: 0, totalMinutes: 30, ...whole } }), '一般', 10, 1],
  ['fin outage 29 min', fin({ outage: { provinces: 1, peakMinutes: 0, totalMinutes: 29, ...whole } }), '一般', 6, null],
  ['fin outage 70% 45 min', fin({ outage: { provinces: 1, peakMinutes: 0, totalMinutes: 45, failureRatePercent: 70 } }), '一般', 6, null],
  // Art. 7-10 item 2: natural persons.
  ['persons 10,000,000', fin({ affectedNaturalPersons: 10_000_000 }), '特别重大', 7, 2],
  ['persons 9,999,999', fin({ affectedNaturalPersons: 9_999_999 }), '重大', 8, 2],
  ['persons 1,000,000', fin({ affectedNaturalPersons: 1_000_000 }), '重大', 8, 2],
  ['persons 999,999', fin({ affectedNaturalPersons: 999_999 }), '较大', 9, 2],
  ['persons 100,000', fin({ affectedNaturalPersons: 100_000 }), '较大', 9, 2],
  ['persons 99,999', fin({ affectedNaturalPersons: 99_999 }), '一般', 10, 2],
  ['persons 10,000', fin({ affectedNaturalPersons: 10_000 }), '一般', 10, 2],
  ['persons 9,999', fin({ affectedNaturalPersons: 9_999 }), '一般', 6, null],
  // Organisations.
  ['orgs 1,000,000', fin({ affectedOrganizations: 1_000_000 }), '特别重大', 7, 2],
  ['orgs 999,999', fin({ affectedOrganizations: 999_999 }), '重大', 8, 2],
  ['orgs 100,000', fin({ affectedOrganizations: 100_000 }), '重大', 8, 2],
  ['orgs 99,999', fin({ affectedOrganizations: 99_999 }), '较大', 9, 2],
  ['orgs 5,000', fin({ affectedOrganizations: 5_000 }), '较大', 9, 2],
  ['orgs 4,999', fin({ affectedOrganizations: 4_999 }), '一般', 10, 2],
  ['orgs 1,000', fin({ affectedOrganizations: 1_000 }), '一般', 10, 2],
  ['orgs 999', fin({ affectedOrganizations: 999 }), '一般', 6, null],
  ['persons on a non-financial network', { networks: [{ financialService: false, affectedNaturalPersons: 20_000_000 }] }, '一般', 6, null],
  // Art. 10(3): any network, main function disrupted 1 h.
  ['disrupted 60 min', { networks: [{ mainFunctionDisruptedMinutes: 60 }] }, '一般', 10, 3],
  ['disrupted 59 min', { networks: [{ mainFunctionDisruptedMinutes: 59 }] }, '一般', 6, null],
  // Data.
  ['core data', { data: { coreData: true } }, '特别重大', 7, 3],
  ['important data', { data: { importantData: true } }, '重大', 8, 3],
  ['sensitive PI 10,000,000', { data: { sensitivePersonalInfoRecords: 10_000_000 } }, '特别重大', 7, 4],
  ['sensitive PI 9,999,999', { data: { sensitivePersonalInfoRecords: 9_999_999 } }, '重大', 8, 4],
  ['sensitive PI 1,000,000', { data: { sensitivePersonalInfoRecords: 1_000_000 } }, '重大', 8, 4],
  ['sensitive PI 999,999 (as PI: 较大)', { data: { sensitivePersonalInfoRecords: 999_999 } }, '较大', 9, 3],
  ['PI 100,000,000', { data: { personalInfoRecords: 100_000_000 } }, '特别重大', 7, 4],
  ['PI 99,999,999', { data: { personalInfoRecords: 99_999_999 } }, '重大', 8, 4],
  ['PI 10,000,000', { data: { personalInfoRecords: 10_000_000 } }, '重大', 8, 4],
  ['PI 9,999,999', { data: { personalInfoRecords: 9_999_999 } }, '较大', 9, 3],
  ['PI 50,000', { data: { personalInfoRecords: 50_000 } }, '较大', 9, 3],
  ['PI 49,999', { data: { personalInfoRecords: 49_999 } }, '一般', 10, 5],
  ['credit/property 500', { data: { creditOrPropertyRecords: 500 } }, '较大', 9, 3],
  ['credit/property 499', { data: { creditOrPropertyRecords: 499 } }, '一般', 6, null],
  ['ransomware harm', { ransomwareHarm: true }, '较大', 9, 4],
  ['ransomware no harm', { ransomwareHarm: false }, '一般', 6, null],
  ['social harm', { data: { socialHarm: true } }, '一般', 10, 4],
  ['PI incident', { data: { personalInfoIncident: true } }, '一般', 10, 5],
  // Designations.
  ['CAC says 特别重大', { designations: [{ by: 'cac', grade: '特别重大' }] }, '特别重大', 7, 5],
  ['police say 重大', { designations: [{ by: 'police', grade: '重大' }] }, '重大', 8, 5],
  ['CAC says 较大', { designations: [{ by: 'cac', grade: '较大' }] }, '较大', 9, 5],
  ['police say 一般', { designations: [{ by: 'police', grade: '一般' }] }, '一般', 10, 6],
  ['PBoC notifies 特别重大', { designations: [{ by: 'pboc', grade: '特别重大' }] }, '特别重大', 7, 6],
  ['PBoC notifies 重大', { designations: [{ by: 'pboc', grade: '重大' }] }, '重大', 8, 6],
  // Art. 12 ¶1.
  ['undeterminable', { undeterminable: true }, '较大', 12, null],
  ['nothing met', {}, '一般', 6, null],
];

describe('grade: every criterion at its threshold and one step below', () => {
  it.each(cases)('%s', (_label, facts, expected, article, item) => {
    const r = grade(parseFacts(facts));
    expect(r.grade).toBe(expected);
    expect(r.level).toBe({ 特别重大: 1, 重大: 2, 较大: 3, 一般: 4 }[expected]);
    const top = r.basis[0]!;
    if (article === null) {
      expect(r.basis.filter((b) => b.article !== 6 && b.article !== 12)).toEqual([]);
    } else {
      expect(r.basis.some((b) => b.article === article && b.item === item && b.grade === expected)).toBe(true);
      expect(top.grade).toBe(expected);
    }
    expect(top.reason['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(top.reason.en).toMatch(/[a-z]/);
  });
});

describe('Art. 12', () => {
  it('several criteria met: the highest wins, and every criterion is listed', () => {
    const r = grade({ ransomwareHarm: true, data: { importantData: true, socialHarm: true } });
    expect(r.grade).toBe('重大');
    expect(r.basis.map((b) => `${b.article}(${b.item})`)).toEqual(['8(3)', '9(4)', '10(4)']);
  });

  it('cannot be determined: at least 较大, but a higher criterion still wins', () => {
    expect(grade({ undeterminable: true, data: { socialHarm: true } }).grade).toBe('较大');
    expect(grade({ undeterminable: true, data: { importantData: true } }).grade).toBe('重大');
  });

  it('several networks hit at once: each graded, the highest taken', () => {
    const r = grade({
      networks: [
        { name: 'A', financialService: true, affectedNaturalPersons: 200_000 },
        { name: 'B', keyNetwork: true, outage: { provinces: 2, peakMinutes: 100, totalMinutes: 100, failureRatePercent: 90 } },
        { name: 'C', mainFunctionDisruptedMinutes: 5 },
      ],
    });
    expect(r.grade).toBe('重大');
    expect(r.networks).toEqual([
      { index: 0, name: 'A', grade: '较大' },
      { index: 1, name: 'B', grade: '重大' },
      { index: 2, name: 'C', grade: null },
    ]);
    expect(r.basis[0]!.network).toBe('B');
  });

  it('counts on different networks are not added together', () => {
    const r = grade({ networks: [
      { financialService: true, affectedNaturalPersons: 60_000 },
      { financialService: true, affectedNaturalPersons: 60_000 },
    ] });
    expect(r.grade).toBe('一般');
  });

  it('says which unanswered flag would settle a higher grade', () => {
    const r = grade({ networks: [{ affectedNaturalPersons: 2_000_000 }] });
    expect(r.grade).toBe('一般');
    expect(r.unsettled).toEqual([{ field: 'networks.0.financialService', answer: true, grade: '重大' }]);
  });

  it('no criterion met: 一般, and it says so', () => {
    const r = grade({});
    expect(r.criteriaMet).toBe(false);
    expect(r.basis[0]!.reason['zh-CN']).toContain('未满足');
  });
});

describe('institution rules (Art. 6) only raise', () => {
  const rules: InstitutionRule[] = [
    { id: 'R1', name: '核心支付系统中断20分钟即为较大', grade: '较大', when: { path: 'networks.*.outage.totalMinutes', op: '>=', value: 20 } },
    { id: 'R2', name: '任何个人信息泄露至少一般', grade: '一般', when: { path: 'data.personalInfoRecords', op: '>', value: 0 } },
  ];

  it('raises the grade and names the rule', () => {
    const r = grade({ networks: [{ outage: { provinces: 1, peakMinutes: 0, totalMinutes: 25, failureRatePercent: 90 } }] }, rules);
    expect(r.grade).toBe('较大');
    expect(r.statutoryGrade).toBe('一般');
    expect(r.institutionRules).toEqual(['R1']);
    expect(r.basis[0]).toMatchObject({ article: 6, rule: 'R1' });
  });

  it('never lowers the statutory grade', () => {
    const r = grade({ data: { personalInfoRecords: 20_000_000 } }, rules);
    expect(r.grade).toBe('重大');
    expect(r.institutionRules).toEqual(['R2']);
  });
});

describe('the Facts contract', () => {
  it.each([
    [{ networks: [{ bogus: 1 }] }, 'networks.0.bogus'],
    [{ extra: true }, 'extra'],
    [{ data: { personalInfoRecords: '12' } }, 'data.personalInfoRecords'],
    [{ networks: [{ protectionLevel: 6 }] }, 'networks.0.protectionLevel'],
    [{ networks: [{ outage: { provinces: 1 } }] }, 'networks.0.outage.failureRatePercent'],
    [{ designations: [{ by: 'cbirc', grade: '重大' }] }, 'designations.0.by'],
    [{ data: { personalInfoRecords: -1 } }, 'data.personalInfoRecords'],
  ])('rejects %j naming %s', (input, field) => {
    expect(() => parseFacts(input)).toThrow(field);
  });
});

describe('conditions of each article, as written', () => {
  it('Art. 7-10 item 2 counts people affected by a disrupted main function: explicitly not disrupted, no grade from the count', () => {
    expect(grade(fin({ affectedNaturalPersons: 200_000, mainFunctionDisrupted: false })).grade).toBe('一般');
    expect(grade(fin({ affectedOrganizations: 200_000, mainFunctionDisrupted: false })).basis.some((b) => b.item === 2)).toBe(false);
    expect(grade(fin({ affectedNaturalPersons: 200_000, mainFunctionDisrupted: true })).basis[0]).toMatchObject({ article: 9, item: 2, grade: '较大' });
    // A whole interruption is a disruption, whatever the flag says.
    expect(grade(fin({ affectedNaturalPersons: 200_000, mainFunctionDisrupted: false, outage: { provinces: 1, failureRatePercent: 90, peakMinutes: 0, totalMinutes: 5 } })).grade).toBe('较大');
  });

  it('Art. 10(5) "可能发生": a leak that may have happened cites 第十条第（五）项, not "no criterion met"', () => {
    const r = grade({ data: { personalInfoIncidentPossible: true } });
    expect(r.grade).toBe('一般');
    expect(r.criteriaMet).toBe(true);
    expect(r.basis[0]).toMatchObject({ article: 10, item: 5 });
    expect(r.basis[0]!.reason['zh-CN']).toContain('可能发生个人信息泄露');
  });
});
