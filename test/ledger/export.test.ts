import { describe, expect, it } from 'vitest';
import { fold } from '../../src/incident/state.ts';
import { parseCsv, parseCsvRecords, parseXlsx, toCsv, toXlsx } from '../../src/ledger/export.ts';
import { ledgerRows, type LedgerRow } from '../../src/ledger/ledger.ts';
import { fullIncidentEvents, sparseIncidentEvents } from '../reports/fixtures.ts';
import { assertWellFormedXml, readZip } from '../reports/zip.ts';

const rows = ledgerRows([fold(fullIncidentEvents()), fold(sparseIncidentEvents())]);
// Cells that CSV must quote, and text Excel could mistake for something else.
const tricky: LedgerRow = {
  ...rows[0]!,
  title: '逗号,引号"双"与换行\r\n第二行',
  summary: '=SUM(A1) 0012 2026-11-30 \n尾行',
  recipient: ' 前后空格 ',
};

describe('CSV', () => {
  it('UTF-8 BOM, zh header row, CRLF line ends, RFC 4180 quoting', () => {
    const csv = toCsv([tricky]);
    expect(csv.startsWith('\uFEFF事件编号,报告编号,事件名称,事发时间,事件等级,报告类型,报告时间,报送方式,报送对象,人民银行接报联系人,确认收悉时间,报告内容摘要,承诺报送日期（初步报告）,记录状态,作废、修改、更正说明（何人、何时、原因）,监管机构\r\n')).toBe(true);
    expect(csv).toContain(',"逗号,引号""双""与换行\r\n第二行",');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('round-trips, in both languages', () => {
    const all = [...rows, tricky];
    expect(parseCsv(toCsv(all))).toEqual(all);
    expect(parseCsv(toCsv(all, 'en'))).toEqual(all);
    expect(parseCsv(toCsv([]))).toEqual([]);
  });

  it('parseCsvRecords: LF line ends, empty fields, a last line without a line end', () => {
    expect(parseCsvRecords('a,,"b\nc"\n,\nx')).toEqual([['a', '', 'b\nc'], ['', ''], ['x']]);
    expect(() => parseCsvRecords('"open')).toThrow(/Quote Not Closed/);
    expect(() => parseCsv('不认识的列\r\n1\r\n')).toThrow(/不认识的列/);
  });
});

describe('XLSX', () => {
  it('one sheet with the zh header; well-formed parts; round-trips every cell as text', async () => {
    const all = [...rows, tricky];
    const buf = await toXlsx(all);
    const zip = readZip(buf);
    for (const [name, data] of zip) if (/\.(xml|rels)$/.test(name)) assertWellFormedXml(data.toString('utf8'));
    expect(zip.get('xl/workbook.xml')!.toString('utf8')).toContain('网络安全事件台账');
    const back = await parseXlsx(buf);
    // Excel stores line ends as LF; everything else comes back exactly.
    expect(back).toEqual(all.map((r) => ({ ...r, title: r.title.replace(/\r\n/g, '\n') })));
  });

  it('English headers round-trip too; an empty ledger is just the header', async () => {
    expect(await parseXlsx(await toXlsx(rows, 'en'))).toEqual(rows);
    expect(await parseXlsx(await toXlsx([]))).toEqual([]);
  });
});
