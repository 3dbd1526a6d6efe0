import { describe, expect, it } from 'vitest';
import { loadInstitutionConfig } from '../../src/config/institution.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { fold } from '../../src/incident/state.ts';
import { requiredItems } from '../../src/regimes/pboc-2025-4/contents.ts';
import { contentContext, draftReport, chineseNumber, isDraftKind, type DraftKind } from '../../src/reports/draft.ts';
import { at, fullIncidentEvents, sparseIncidentEvents } from './fixtures.ts';

const { config } = loadInstitutionConfig({});
const now = at('2026-11-30T16:00:00+08:00');
const full = fold(fullIncidentEvents());
const sparse = fold(sparseIncidentEvents());
const KINDS: DraftKind[] = ['brief', 'incident', 'progress', 'final', 'preliminary'];

const withEvents = (base: IncidentEvent[], ...more: IncidentEvent[]) => fold([...base, ...more]);
const fact = (path: string, value: string | number | boolean, iso = '2026-11-30T15:30:00+08:00'): IncidentEvent => ({ type: 'fact-set', path, value, at: at(iso), actor: 'U1' });

describe('draftReport: a fully described incident', () => {
  it.each(KINDS)('%s: every required item present, in Art. 17/19-22 order, none missing', (kind) => {
    const d = draftReport(kind, full, now, config);
    const required = requiredItems(kind, contentContext(full));
    expect(d.items.map((i) => i.id)).toEqual(required.map((r) => r.id));
    expect(d.missing).toEqual([]);
    for (const item of d.items) {
      expect(item.value, item.id).not.toBeNull();
      expect(d.text).toContain(`${item.label}：`);
      expect(d.text).toContain(item.value!.split('\n')[0]);
    }
    expect(d.text).not.toContain('【待补充】');
    expect(d.text).toContain('必备事项已齐全');
  });

  it('brief: the record fills the Art. 19 items and the text fits an email body or a fax page', () => {
    const d = draftReport('brief', full, now, config);
    const v = Object.fromEntries(d.items.map((i) => [i.id, i.value]));
    expect(v).toEqual({
      initialGrade: '较大（2026-11-30 10:20 确定）', // the grade first determined, not the later 重大
      occurredAt: '2026-11-30 10:05',
      category: '设备设施故障事件—技术故障事件',
      networks: '核心银行系统（等级保护第四级）',
      dataCentres: '张江主数据中心、外高桥灾备中心',
      reportingInstitution: '示例城市商业银行；报告时间：2026-11-30 16:00',
      reporter: '李四，021-0000-0002',
    });
    expect(d.title).toBe('示例城市商业银行关于“核心银行系统交易中断”网络安全事件的事发简要报告');
    expect(d.text.startsWith(d.title)).toBe(true);
    expect([...d.text].length).toBeLessThanOrEqual(1500);
    expect(d.text.split('\n').length).toBeLessThanOrEqual(30);
  });

  it('progress: 重大 with personal information brings the Art. 20 items forward; numbered after earlier progress reports', () => {
    const d = draftReport('progress', full, now, config);
    expect(d.items.map((i) => i.id)).toEqual(expect.arrayContaining(['latestGrade', 'piRemedies', 'piNotification', 'piMitigationAdvice']));
    expect(d.items.find((i) => i.id === 'latestGrade')?.value).toBe('重大（2026-11-30 11:40 确定）');
    expect(d.title).toContain('事中进展报告（第2次）');
    const coordination = d.items.find((i) => i.id === 'coordinationNeeded');
    expect(coordination).toMatchObject({ optional: true, value: '无（未填写，按无报送）', fillCommand: '/incident set report.coordinationNeeded <内容>' });
  });

  it('final: grade, derived handling history, accountability (Art. 21), optional Art. 22 claims default to none', () => {
    const d = draftReport('final', full, now, config);
    const byId = new Map(d.items.map((i) => [i.id, i]));
    expect(byId.get('finalGrade')?.value).toBe('重大');
    const history = byId.get('handlingHistory')!.value!.split('\n');
    expect(history[0]).toBe('2026-11-30 10:05 事件发生');
    expect(history).toContain('2026-11-30 10:50 通过电子邮件向中国人民银行上海总部报送事发简要报告');
    expect(history).toContain('2026-11-30 10:55 经电话与张三确认人民银行已收悉事发简要报告');
    expect(history.join('\n')).not.toMatch(/console:|建立事件记录|定级为一般/); // no internal ids, no placeholder grade
    // Recorded at 11:40 by the ticker, the facts met 重大 at 11:35: the line says both.
    expect(history).toContain('2026-11-30 11:40 等级由较大提升为重大（2026-11-30 11:35 达到标准）');
    expect(history).toContain('2026-11-30 10:20 定级为较大'); // recorded in the minute the facts met it: one time
    const en = draftReport('final', full, now, config, 'en').items.find((i) => i.id === 'handlingHistory')!.value!;
    expect(en).toContain('2026-11-30 11:40 grade raised from Significant (较大) to Major (重大) (criteria met at 2026-11-30 11:35)');
    expect(history.at(-1)).toBe('2026-11-30 14:50 处置结束');
    expect(byId.get('signer')?.value).toBe('王五 副行长');
    expect(byId.get('accountability')?.article).toBe(21);
    expect(byId.get('mitigationClaims')).toMatchObject({ article: 22, optional: true, value: '无（未填写，按无报送）' });
    expect(d.text).toContain('二、处置历程回顾：\n　　2026-11-30 10:05 事件发生');
  });

  it('a text fact overrides a derived item, never the grade or the time of occurrence', () => {
    const s = withEvents(fullIncidentEvents(), fact('report.handlingHistory', '10:05 发现；14:50 恢复'), fact('report.reporter', '赵六 13800000000'), fact('report.finalGrade', '一般'));
    const d = draftReport('final', s, now, config);
    const byId = new Map(d.items.map((i) => [i.id, i.value]));
    expect(byId.get('handlingHistory')).toBe('10:05 发现；14:50 恢复');
    expect(byId.get('reporter')).toBe('赵六 13800000000');
    expect(byId.get('finalGrade')).toBe('重大');
  });

  it('English on request: English labels and grade names, the facts as recorded', () => {
    const d = draftReport('brief', full, now, config, 'en');
    expect(d.lang).toBe('en');
    expect(d.title).toBe('Brief report on the cybersecurity incident "核心银行系统交易中断", 示例城市商业银行');
    expect(d.text).toContain('1. Initial grade: Significant (较大) (determined 2026-11-30 10:20)');
    expect(d.text).toContain('Equipment or facility failure (设备设施故障事件) / Technical failure (技术故障事件)');
    expect(d.text).toContain('核心银行系统 (protection level 4)');
    expect(d.missing).toEqual([]);
  });
});

describe('draftReport: a sparse incident lists exactly the missing items', () => {
  it('brief: time, category, networks and data centres are missing, each with the command that fills it', () => {
    const d = draftReport('brief', sparse, now, config);
    expect(d.missing).toEqual(['occurredAt', 'category', 'networks', 'dataCentres']);
    expect(d.items.filter((i) => i.value === null).map((i) => i.id)).toEqual(d.missing);
    expect(d.text).toContain('二、事发时间：【待补充】发送 /incident set occurredAt <时间>');
    expect(d.text).toContain('三、事件分类（GB/T 20986-2023）：【待补充】发送 /incident set category <分类>（可选：恶意程序事件、网络攻击事件');
    expect(d.text).toContain('【待补充】发送 /incident set networks.0.ref <网络>（可选：核心银行系统、网上银行、办公OA）');
    expect(d.text).toContain('五、涉及的数据中心：【待补充】发送 /incident set report.dataCentres <数据中心>');
    expect(d.text).toContain('尚缺 4 项：事发时间、事件分类（GB/T 20986-2023）、影响的人民银行业务领域网络及其网络安全保护等级、涉及的数据中心。');
    expect(d.text).toContain('/incident draft brief');
  });

  it('incident: a network attack also needs the attack analysis (Art. 19 ¶1)', () => {
    const plain = draftReport('incident', sparse, now, config);
    expect(plain.missing).toEqual(['occurredAt', 'category', 'networks', 'dataCentres', 'impactScope', 'measures']);
    const attack = draftReport('incident', withEvents(sparseIncidentEvents(), fact('category', 'attack')), now, config);
    expect(attack.missing).toEqual(['occurredAt', 'networks', 'dataCentres', 'impactScope', 'measures', 'attackAnalysis']);
    expect(attack.text).toContain('/incident set report.attackAnalysis <内容>');
  });

  it('final: exactly the narrative items the record cannot give', () => {
    const d = draftReport('final', sparse, now, config);
    expect(d.missing).toEqual(['lossAssessment', 'rootCause', 'lessons', 'improvements', 'signer', 'accountability']);
    for (const id of d.missing) {
      const item = d.items.find((i) => i.id === id)!;
      expect(item.fillCommand).toMatch(new RegExp(`^/incident set report\\.${id} <`));
      expect(d.text).toContain(`${item.label}：【待补充】发送 ${item.fillCommand}`);
    }
    expect(d.text).toContain('尚缺 6 项');
  });

  it('final below 较大 without personal information needs neither Art. 20 nor Art. 21 items', () => {
    const s = fold([sparseIncidentEvents()[0]!, { type: 'grade-raised', from: null, to: '一般', effectiveAt: at('2026-11-30T09:05:00+08:00'), basis: [], at: at('2026-11-30T09:05:00+08:00'), actor: 'bot' }]);
    expect(draftReport('final', s, now, config).missing).toEqual(['lossAssessment', 'rootCause', 'lessons', 'improvements', 'signer']);
  });

  it('progress: personal information at 重大 without the Art. 20 answers lists them', () => {
    const events = fullIncidentEvents().filter((e) => !(e.type === 'fact-set' && e.path.startsWith('report.pi')));
    expect(draftReport('progress', fold(events), now, config).missing).toEqual(['piRemedies', 'piNotification', 'piMitigationAdvice']);
  });

  it('preliminary: the committed date comes from the preliminary report when recorded there', () => {
    expect(draftReport('preliminary', sparse, now, config).missing).toEqual(['committedDate', 'preliminaryReason', 'occurredAt', 'category', 'networks', 'dataCentres']);
    const s = withEvents(sparseIncidentEvents(), {
      type: 'report-submitted', reportId: 'P1', kind: 'preliminary', channel: 'written', recipient: '中国人民银行上海总部', committedDate: '2027-01-20',
      at: at('2026-12-10T10:00:00+08:00'), actor: 'U1',
    });
    expect(draftReport('preliminary', s, now, config).items[0]).toMatchObject({ id: 'committedDate', value: '2027-01-20' });
  });

  it('no grade recorded: the grade items are missing and the report asks for the most (Art. 12: at least 较大)', () => {
    const s = fold([sparseIncidentEvents()[0]!]);
    const d = draftReport('final', s, now, config);
    expect(d.missing).toContain('finalGrade');
    expect(d.missing).toContain('accountability');
    expect(d.items.find((i) => i.id === 'finalGrade')?.fillCommand).toBe('/incident status');
  });

  it('a network without a protection level: missing, with what is known and the command for the level', () => {
    const s = withEvents(sparseIncidentEvents(), fact('networks.0.ref', 'other'), fact('networks.0.name', '第三方支付网关'));
    const d = draftReport('brief', s, now, config);
    const item = d.items.find((i) => i.id === 'networks')!;
    expect(item).toMatchObject({ value: null, known: '第三方支付网关（等级保护级别未填）', fillCommand: '/incident set networks.0.protectionLevel <1-5>' });
    expect(d.text).toContain('第三方支付网关（等级保护级别未填）【待补充】发送 /incident set networks.0.protectionLevel <1-5>');
    const filled = draftReport('brief', withEvents(sparseIncidentEvents(), fact('networks.0.ref', 'other'), fact('networks.0.name', '第三方支付网关'), fact('networks.0.protectionLevel', 3)), now, config);
    expect(filled.items.find((i) => i.id === 'networks')?.value).toBe('第三方支付网关（等级保护第三级）');
  });

  it('no reporter configured or set: the reporter is missing', () => {
    const { reporter: _r, ...noReporter } = config;
    const d = draftReport('brief', sparse, now, noReporter);
    expect(d.missing).toContain('reporter');
    expect(d.text).toContain('/incident set report.reporter <姓名 电话>');
  });

  it('English: missing items say what to send', () => {
    const d = draftReport('final', sparse, now, config, 'en');
    expect(d.missing).toEqual(['lossAssessment', 'rootCause', 'lessons', 'improvements', 'signer', 'accountability']);
    expect(d.text).toContain('Technical or management root cause: [TO BE COMPLETED] send /incident set report.rootCause <text>');
    expect(d.text).toContain('6 item(s) missing');
  });
});

describe('helpers', () => {
  it('chineseNumber', () => {
    expect([1, 9, 10, 11, 15, 20, 21].map(chineseNumber)).toEqual(['一', '九', '十', '十一', '十五', '二十', '二十一']);
  });
  it('isDraftKind', () => {
    expect(KINDS.every(isDraftKind)).toBe(true);
    expect(isDraftKind('risk-feedback')).toBe(false);
  });
});
