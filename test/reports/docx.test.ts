import { describe, expect, it } from 'vitest';
import { loadInstitutionConfig } from '../../src/config/institution.ts';
import { fold } from '../../src/incident/state.ts';
import { finalReportDocx } from '../../src/reports/docx.ts';
import { chineseNumber, draftReport } from '../../src/reports/draft.ts';
import { at, fullIncidentEvents, sparseIncidentEvents } from './fixtures.ts';
import { assertWellFormedXml, docxParagraphs, readZip } from './zip.ts';

const { config } = loadInstitutionConfig({});
const now = at('2026-11-30T16:00:00+08:00');

async function open(events: ReturnType<typeof fullIncidentEvents>) {
  const buf = await finalReportDocx(fold(events), now, config);
  const zip = readZip(buf);
  return { buf, zip, xml: zip.get('word/document.xml')!.toString('utf8') };
}

// Sections as numbered in the DOCX: the incident first, then the final-report items except the closing ones.
const sectionLabels = (events: ReturnType<typeof fullIncidentEvents>) => [
  '事件基本情况',
  ...draftReport('final', fold(events), now, config).items.filter((i) => !['reportingInstitution', 'reporter', 'signer'].includes(i.id)).map((i) => i.label),
];

describe('finalReportDocx', () => {
  it('is a zip whose XML parts all parse, with the document, header, footer and content types', async () => {
    const { buf, zip } = await open(fullIncidentEvents());
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml', 'word/header1.xml', 'word/footer1.xml']) {
      expect(zip.has(part), part).toBe(true);
    }
    for (const [name, data] of zip) if (/\.(xml|rels)$/.test(name)) assertWellFormedXml(data.toString('utf8'));
  });

  it('a full incident: header, title, addressee, every Art. 19-22 section with its content, signer, seal box, reporter', async () => {
    const events = fullIncidentEvents();
    const { xml, zip } = await open(events);
    const paras = docxParagraphs(xml);
    expect(paras[0]).toBe('示例城市商业银行');
    expect(paras).toContain('签发人：王五 副行长');
    expect(paras).toContain('示例城市商业银行关于“核心银行系统交易中断”网络安全事件的事后调查总结报告');
    expect(paras).toContain('中国人民银行上海总部：');
    const labels = sectionLabels(events);
    expect(labels).toEqual(expect.arrayContaining(['最终确定的事件等级', '处置历程回顾', '影响损失评估', '技术或管理问题根源分析', '处置经验教训', '后续改进措施',
      '为避免危害所采取的补救措施', '依法通知个人的情况', '告知个人可采取的减轻危害措施', '直接负责的主管人员和其他直接责任人员的责任认定及处理情况']));
    labels.forEach((label, i) => {
      const idx = paras.indexOf(`${chineseNumber(i + 1)}、${label}`);
      expect(idx, label).toBeGreaterThan(0);
    });
    expect(paras[paras.indexOf('二、最终确定的事件等级') + 1]).toBe('重大');
    expect(paras).toContain('主中心存储控制器固件缺陷导致双控制器同时宕机。');
    expect(paras).toContain('2026-11-30 14:50 处置结束');
    expect(paras).toContain('报告机构：示例城市商业银行');
    expect(paras).toContain('报告时间：2026年11月30日');
    expect(paras).toContain('报告人及联系方式：李四，021-0000-0002');
    expect(paras).not.toContain('【待补充】');
    // The seal box: a bordered table holding （盖章）.
    const table = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(xml)?.[0] ?? '';
    expect(table).toContain('（盖章）');
    expect(table).toMatch(/<w:tblBorders>[\s\S]*<w:top w:val="single"/);
    expect(zip.get('word/footer1.xml')!.toString('utf8')).toContain('PAGE');
  });

  it('a sparse incident: every section still there, the missing ones with a visible 【待补充】', async () => {
    const events = sparseIncidentEvents();
    const { xml } = await open(events);
    const paras = docxParagraphs(xml);
    sectionLabels(events).forEach((label, i) => expect(paras, label).toContain(`${chineseNumber(i + 1)}、${label}`));
    expect(paras).toContain('签发人：【待补充】');
    expect(paras).toContain('事发时间：【待补充】');
    for (const label of ['影响损失评估', '技术或管理问题根源分析', '处置经验教训', '后续改进措施', '直接负责的主管人员和其他直接责任人员的责任认定及处理情况']) {
      const idx = paras.findIndex((p) => p.endsWith(`、${label}`));
      expect(paras[idx + 1], label).toBe('【待补充】');
    }
    // signer + 4 basics + 5 narrative sections
    expect(paras.filter((p) => p.includes('【待补充】'))).toHaveLength(10);
  });

  it('escapes text from the record', async () => {
    const events = fullIncidentEvents();
    events.push({ type: 'fact-set', path: 'report.rootCause', value: 'A<B & "C"', at: at('2026-11-30T15:50:00+08:00'), actor: 'U1' });
    const { xml } = await open(events);
    assertWellFormedXml(xml);
    expect(docxParagraphs(xml)).toContain('A<B & "C"');
  });
});

describe('test helpers', () => {
  it('assertWellFormedXml rejects broken XML', () => {
    expect(() => assertWellFormedXml('<?xml version="1.0"?><a><b/><c x="1">t</c></a>')).not.toThrow();
    expect(() => assertWellFormedXml('<a><b></a>')).toThrow(/closes/);
    expect(() => assertWellFormedXml('<a>1 < 2</a>')).toThrow(/stray/);
    expect(() => assertWellFormedXml('<a>R&D</a>')).toThrow(/unescaped/);
    expect(() => assertWellFormedXml('<a/><b/>')).toThrow(/one root/);
    expect(() => assertWellFormedXml('<a>')).toThrow(/unclosed/);
  });
});

describe('the DOCX carries the report, not instructions', () => {
  it('no command, no bot id, no seal instruction in the body; the revision (Art. 23) gets its own DOCX', async () => {
    const { xml } = await open(fullIncidentEvents());
    const text = docxParagraphs(xml).join('\n');
    expect(text).not.toMatch(/\/incident|console:|第\d+条|加盖本机构/);
    const revision = readZip(await finalReportDocx(fold(fullIncidentEvents()), now, config, 'zh-CN', 'revision'));
    const paras = docxParagraphs(revision.get('word/document.xml')!.toString('utf8'));
    expect(paras).toContain(draftReport('revision', fold(fullIncidentEvents()), now, config).title);
    expect(paras.join('\n')).not.toMatch(/\/incident/);
  });
});
