import { describe, expect, it } from 'vitest';
import { loadInstitutionConfig, parseInstitutionConfig, regimeProfileOf, regimeSettingsOf, type InstitutionConfigInput } from '../../src/config/institution.ts';
import { cacGrade } from '../../src/regimes/cac/grading.ts';

const minimal = (extra: Record<string, unknown> = {}): InstitutionConfigInput =>
  ({
    institution: { name: '测试银行', type: 'other', location: '上海市' },
    recipients: [{ name: '中国人民银行上海总部' }],
    networks: [{ id: 'core', name: '核心', protectionLevel: 4, keyNetwork: true, financialService: true }],
    ...extra,
  }) as InstitutionConfigInput;

const failure = (input: InstitutionConfigInput): string => {
  try {
    parseInstitutionConfig(input, 'test');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('institution profile (profile:)', () => {
  it('is optional: a file without it binds PBoC, CAC, police and PIPL only, in the institution’s location', () => {
    const c = parseInstitutionConfig(minimal(), 'test');
    expect(regimeProfileOf(c)).toEqual({ province: '上海市' });
    expect(regimeSettingsOf(c)).toEqual({});
  });

  it('reads the CII operator, its protection department, the regulators and the net capital', () => {
    const c = parseInstitutionConfig(minimal({ profile: { ciiOperator: true, ciiProtectionDepartment: '中国人民银行', regulators: ['nfra'], netCapitalYuan: 2e10, province: '浙江省' } }), 'test');
    expect(regimeProfileOf(c)).toEqual({ ciiOperator: true, ciiProtectionDepartment: '中国人民银行', regulators: ['nfra'], netCapitalYuan: 2e10, province: '浙江省' });
  });

  it.each([
    ['an unknown key, naming the keys that exist', { ciiOperater: true }, /^test: profile\.ciiOperater: 机构概况（profile）中没有此项（可用：ciiOperator、.*\/ not a profile setting \(expected one of: ciiOperator, /],
    ['a regulator we do not know', { regulators: ['cbirc'] }, /profile\.regulators\.0: 应为 pboc、nfra 或 csrc \/ expected pboc, nfra or csrc/],
    ['a regulator twice', { regulators: ['nfra', 'nfra'] }, /profile\.regulators: 监管机构重复 \/ a regulator is listed twice/],
    ['net capital that is not a positive number', { netCapitalYuan: -1 }, /profile\.netCapitalYuan: 资本净额应大于 0 \/ net capital must be greater than 0/],
    ['net capital as text', { netCapitalYuan: '200亿' }, /profile\.netCapitalYuan: 资本净额应为数字（元）\/ net capital must be a number of yuan/],
    ['a protection department without ciiOperator: true', { ciiProtectionDepartment: 'X' }, /profile\.ciiProtectionDepartment: 仅关键信息基础设施运营者/],
    ['ciiOperator not a boolean', { ciiOperator: 'yes' }, /profile\.ciiOperator: 应为 true 或 false/],
  ])('refuses %s', (_l, profile, message) => {
    expect(failure(minimal({ profile }))).toMatch(message);
  });
});

describe('overrides of unverified values (regimes:)', () => {
  it('set the values the regimes read, still shown as 未核实 with their key', () => {
    const c = parseInstitutionConfig(minimal({ regimes: { cac: { significantCiiWholeMinutes: 20 }, csrc: { writtenReportHours: 24 } } }), 'test');
    const settings = regimeSettingsOf(c);
    expect(settings).toEqual({ 'cac.significantCiiWholeMinutes': 20, 'csrc.writtenReportHours': 24 });
    expect(cacGrade({ ciiWholeOutageMinutes: 20 }, settings)).toMatchObject({ grade: '较大', verified: false, unverified: [{ key: 'regimes.cac.significantCiiWholeMinutes', value: 20 }] });
  });

  it.each([
    ['an unknown regime', { fca: {} }, /regimes\.fca: 未核实数值配置（regimes）中没有此项（可用：cac、csrc）/],
    ['an unknown key, naming the keys that exist', { cac: { significantOutage: 10 } }, /regimes\.cac\.significantOutage: .*没有此项（可用：significantPopulationPersons、majorCiiWholeMinutes/],
    ['a value that is not a number', { csrc: { writtenReportHours: '24h' } }, /regimes\.csrc\.writtenReportHours: 应为数字 \/ expected a number \(hours\)/],
    ['zero minutes', { cac: { majorCiiWholeMinutes: 0 } }, /regimes\.cac\.majorCiiWholeMinutes: 应大于 0 \/ must be greater than 0 \(minutes\)/],
    ['a fraction of a minute', { cac: { majorCiiWholeMinutes: 1.5 } }, /应为整数 \/ must be a whole number \(minutes\)/],
  ])('refuses %s', (_l, regimes, message) => {
    expect(failure(minimal({ regimes }))).toMatch(message);
  });
});

describe('the bundled example', () => {
  it('shows the profile and validates', () => {
    const { config } = loadInstitutionConfig({});
    expect(config.profile).toBeDefined();
    expect(regimeProfileOf(config).regulators).toEqual(['nfra']);
  });
});
