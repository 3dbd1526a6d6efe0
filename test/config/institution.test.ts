import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  ConfigError,
  loadInstitutionConfig,
  parseInstitutionConfig,
  type InstitutionConfig,
  type InstitutionConfigInput,
  validatedExampleJson,
} from '../../src/config/institution.ts';
import type { Facts } from '../../src/regimes/pboc-2025-4/facts.ts';
import { matchInstitutionRules, type InstitutionRule } from '../../src/regimes/pboc-2025-4/institution-rules.ts';
import { peakMinutesBetween, type PeakWindow } from '../../src/regimes/pboc-2025-4/outage-clock.ts';
import { createCalendar, type HolidayOverrides } from '../../src/calendar/working-days.ts';

const minimal = (): InstitutionConfigInput => ({
  institution: { name: '测试银行', type: 'other' },
  recipients: [{ name: '中国人民银行上海总部' }],
  networks: [
    { id: 'core', name: '核心', protectionLevel: 4, keyNetwork: true, financialService: true },
    { id: 'oa', name: 'OA', protectionLevel: 2, keyNetwork: false, financialService: false },
  ],
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inst-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  const text = typeof content === 'string' ? content : name.endsWith('.json') ? JSON.stringify(content) : YAML.stringify(content);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError message thrown when loading `content` from a file named `name`. */
function failure(content: unknown, name = 'inst.yaml'): string {
  const path = write(name, content);
  try {
    loadInstitutionConfig({ INSTITUTION_CONFIG: path });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).name).toBe('ConfigError');
    expect((err as Error).message.startsWith(`INSTITUTION_CONFIG=${path}: `)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('bundled example', () => {
  it('loads and validates when INSTITUTION_CONFIG is unset or empty', () => {
    for (const env of [{}, { INSTITUTION_CONFIG: '' }]) {
      const { config, source, bundledExample } = loadInstitutionConfig(env, { cwd: dir });
      expect(bundledExample).toBe(true);
      expect(source).toMatch(/config[\\/]institution\.example\.yaml$/);
      expect(config.institution).toEqual({ name: '示例城市商业银行', type: 'other', isBranch: false, location: '上海' });
      expect(config.recipients[0]?.name).toBe('中国人民银行上海总部');
      expect(config.networks.map((n) => n.id)).toEqual(['core-banking', 'online-banking', 'office-oa']);
      expect(config.internetChannels).toEqual(['im', 'email']);
      expect(config.language).toBe('zh-CN');
      expect(config.holidays).toBeUndefined();
    }
  });

  it('as the build stores it validated (read by a start instead of the YAML), it is the example exactly', () => {
    const stored = validatedExampleJson();
    expect(stored).not.toBeNull();
    const { yaml, config } = JSON.parse(stored!) as { yaml: string; config: InstitutionConfig };
    expect(config).toStrictEqual(loadInstitutionConfig({}).config);
    expect(yaml).toBe(readFileSync(loadInstitutionConfig({}).source, 'utf8')); // a start uses it only beside this very YAML
  });

  it('describes each network: protection level, key and financial-service flags, peak windows, data centres', () => {
    const { config } = loadInstitutionConfig({});
    const [core, online, oa] = config.networks;
    expect(core).toMatchObject({ name: '核心银行系统', protectionLevel: 4, keyNetwork: true, financialService: true });
    // A bank's peaks are working-day peaks: the official calendar, make-up Saturdays included (Art. 31(3)).
    expect(core?.peakWindows).toEqual([
      { start: '09:00', end: '11:30', days: ['workdays'] },
      { start: '13:30', end: '17:00', days: ['workdays'] },
    ]);
    expect(core?.dataCentres).toEqual(['张江主数据中心', '外高桥灾备中心']);
    expect(online).toMatchObject({ name: '网上银行', protectionLevel: 3, keyNetwork: false, financialService: true });
    // Derived from config/online-banking-volume.csv by the 3% rule.
    expect(online?.peakWindows).toEqual([
      { start: '09:00', end: '12:00', days: ['workdays'] },
      { start: '13:00', end: '18:00', days: ['workdays'] },
      { start: '19:00', end: '22:00', days: ['workdays'] },
      { start: '08:00', end: '22:00', days: ['restdays'] },
      { start: '09:00', end: '22:00', days: ['holidays'] },
    ]);
    expect(oa).toMatchObject({ name: '办公OA', protectionLevel: 2, keyNetwork: false, financialService: false, peakWindows: [] });
  });

  it('feeds the rules modules without conversion', () => {
    const { config } = loadInstitutionConfig({});
    const rules: InstitutionRule[] = config.gradingRules;
    const windows: readonly PeakWindow[] = config.networks[0]?.peakWindows ?? [];
    const overrides: HolidayOverrides = config.holidays ?? {};
    createCalendar(overrides);
    // Monday 2026-03-02 08:00-12:00 Shanghai: 09:00-11:30 is peak.
    expect(peakMinutesBetween(Date.parse('2026-03-02T08:00:00+08:00'), Date.parse('2026-03-02T12:00:00+08:00'), windows)).toBe(150);
    const outage = { provinces: 1, failureRatePercent: 100, peakMinutes: 0, totalMinutes: 20 };
    const hit: Facts = { networks: [{ name: '核心银行系统', keyNetwork: true, outage }] };
    const miss: Facts = { networks: [{ name: '核心银行系统', keyNetwork: true, outage: { ...outage, totalMinutes: 19 } }] };
    expect(matchInstitutionRules(hit, rules).map((r) => r.id)).toEqual(['core-20min']);
    expect(matchInstitutionRules(miss, rules)).toEqual([]);
  });
});

describe('loading a file', () => {
  it('loads JSON by extension and applies defaults', () => {
    const path = write('inst.json', minimal());
    const { config, source, bundledExample }: { config: InstitutionConfig; source: string; bundledExample: boolean } =
      loadInstitutionConfig({ INSTITUTION_CONFIG: path });
    expect(bundledExample).toBe(false);
    expect(source).toBe(path);
    expect(config.institution.isBranch).toBe(false);
    expect(config.networks[0]?.peakWindows).toEqual([]);
    expect(config.gradingRules).toEqual([]);
    expect(config.internetChannels).toEqual(['im', 'email']);
    expect(config.language).toBe('zh-CN');
  });

  it('resolves a relative path against opts.cwd and reads .yml', () => {
    write('relative.yml', minimal());
    const { config, source } = loadInstitutionConfig({ INSTITUTION_CONFIG: 'relative.yml' }, { cwd: dir });
    expect(source).toBe(join(dir, 'relative.yml'));
    expect(config.networks).toHaveLength(2);
  });

  it('accepts holiday overrides and extra internet channels', () => {
    const { config } = loadInstitutionConfig({
      INSTITUTION_CONFIG: write('ok.yaml', {
        ...minimal(),
        holidays: { '2027': { holidays: ['2027-10-08'], workdays: ['2027-09-26'] } },
        internetChannels: ['im', 'email', 'system'],
        language: 'en',
      }),
    });
    expect(config.holidays).toEqual({ '2027': { holidays: ['2027-10-08'], workdays: ['2027-09-26'] } });
    expect(config.internetChannels).toEqual(['im', 'email', 'system']);
    expect(config.language).toBe('en');
  });
});

describe('errors name the setting and the field', () => {
  it('unknown key', () => {
    const input = minimal();
    input.networks[0] = { ...input.networks[0]!, colour: 'red' } as (typeof input.networks)[number];
    expect(failure(input)).toContain('unknown field networks.0.colour');
    expect(failure({ ...minimal(), timezoneNote: 'x' })).toContain('unknown field timezoneNote');
  });

  it('protectionLevel 6', () => {
    const input = minimal();
    input.networks[1] = { ...input.networks[1]!, protectionLevel: 6 };
    expect(failure(input)).toContain('networks.1.protectionLevel: Number must be less than or equal to 5');
  });

  it('duplicate network id', () => {
    const input = minimal();
    input.networks[1] = { ...input.networks[1]!, id: 'core' };
    const message = failure(input);
    expect(message).toContain('networks.1.id');
    expect(message).toContain('duplicate network id "core"');
  });

  it('duplicate grading rule id', () => {
    const rule = { id: 'r1', name: 'x', grade: '较大', when: { path: 'ransomwareHarm', op: '==', value: true } };
    expect(failure({ ...minimal(), gradingRules: [rule, rule] })).toContain('gradingRules.1.id: duplicate grading rule id "r1"');
  });

  it('a bad grading condition names its own field', () => {
    const when = { all: [{ path: 'ransomwareHarm', op: '=>', value: true }] };
    expect(failure({ ...minimal(), gradingRules: [{ id: 'r1', name: 'x', grade: '较大', when }] })).toContain('gradingRules.0.when.all.0.op');
  });

  it("bad peak window '25:00'", () => {
    const input = minimal();
    input.networks[0] = { ...input.networks[0]!, peakWindows: [{ start: '25:00', end: '26:00' }] };
    const message = failure(input);
    expect(message).toContain('networks.0.peakWindows.0.start: expected HH:mm, got "25:00"');
    expect(message).toContain('networks.0.peakWindows.0.end: expected HH:mm, got "26:00"');
  });

  it('holiday date in the wrong year', () => {
    expect(failure({ ...minimal(), holidays: { '2027': { holidays: ['2026-10-01'] } } })).toContain(
      'holidays.2027.holidays.0: 2026-10-01 is listed under year 2027',
    );
    expect(failure({ ...minimal(), holidays: { '2027': { workdays: ['2027-02-30'] } } })).toContain('holidays.2027.workdays.0');
    expect(failure({ ...minimal(), holidays: { '2027': { holidays: ['2027-10-08'], workdays: ['2027-10-08'] } } })).toContain(
      'holidays.2027.workdays.0',
    );
    expect(failure({ ...minimal(), holidays: { '2200': { holidays: ['2200-10-08'] } } })).toContain('holidays.2200');
  });

  it("internetChannels without 'email'", () => {
    const message = failure({ ...minimal(), internetChannels: ['im', 'system'] });
    expect(message).toContain('internetChannels: must include im and email (missing email)');
  });

  it('no recipients', () => {
    expect(failure({ ...minimal(), recipients: [] })).toContain('recipients: Array must contain at least 1 element(s)');
  });

  it('missing file names INSTITUTION_CONFIG and the path', () => {
    const path = join(dir, 'nope', 'inst.yaml');
    expect(() => loadInstitutionConfig({ INSTITUTION_CONFIG: path })).toThrow(ConfigError);
    expect(() => loadInstitutionConfig({ INSTITUTION_CONFIG: path })).toThrow(`INSTITUTION_CONFIG=${path}: file not found`);
  });

  it('broken YAML', () => {
    const message = failure('institution:\n  name: [unclosed\n  type: other\n');
    expect(message).toContain('invalid YAML');
  });

  it('broken JSON and unsupported extensions', () => {
    expect(failure('{"institution": ', 'bad.json')).toContain('invalid JSON');
    expect(failure('a = 1', 'inst.toml')).toContain('unsupported file type ".toml"');
    expect(failure('', 'empty.yaml')).toContain('the file is empty');
  });

  it('parseInstitutionConfig labels messages with the given source', () => {
    expect(() => parseInstitutionConfig({ ...minimal(), language: 'fr' }, 'test')).toThrow(/^test: language: /);
  });
});
