import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseXlsx, toCsv, toXlsx } from '../../src/ledger/export.ts';
import { LEDGER_COLUMNS, type LedgerRow } from '../../src/ledger/ledger.ts';

// A title or a PBoC contact typed as a formula must open as text in Excel and WPS, never run.

const HOSTILE = ['=HYPERLINK("http://evil.example","点此")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', '=cmd|\' /C calc\'!A0'];
const FORMULA_START = /^[=+\-@\t\r]/;

function rowWith(s: string, i: number): LedgerRow {
  const row = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, ''])) as unknown as LedgerRow;
  return { ...row, incidentId: `INC-20261130-0${i + 1}`, title: s, recipient: s, pbocContact: s, summary: s };
}

const rows = HOSTILE.map(rowWith);

describe('ledger exports never carry a formula', () => {
  it('CSV opened by a parser (csv-parse): no cell starts with = + - @ tab or CR; each reads back as typed', () => {
    const records = parse(toCsv(rows), { bom: true }) as string[][];
    expect(records).toHaveLength(HOSTILE.length + 1);
    for (const cell of records.flat()) expect(cell, JSON.stringify(cell)).not.toMatch(FORMULA_START);
    expect(records[1]![LEDGER_COLUMNS.indexOf('title')]).toBe(`'${HOSTILE[0]}`); // shown as text, apostrophe first
    expect(parseCsv(toCsv(rows)).map((r) => r.title)).toEqual(HOSTILE);
  });

  it('XLSX opened by exceljs: every cell is a string, none a formula, none starting like one; each reads back as typed', async () => {
    const wb = new ExcelJS.Workbook();
    const buf = await toXlsx(rows);
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0]!;
    let cells = 0;
    ws.eachRow((row) => row.eachCell((cell) => {
      cells += 1;
      expect(cell.type, String(cell.address)).not.toBe(ExcelJS.ValueType.Formula);
      expect(cell.formula).toBeUndefined();
      expect(typeof cell.value === 'string' ? cell.value : '').not.toMatch(FORMULA_START);
    }));
    expect(cells).toBeGreaterThan(HOSTILE.length * 4);
    expect((await parseXlsx(buf)).map((r) => r.pbocContact)).toEqual(HOSTILE.map((h) => h.replace(/\r/g, '\n'))); // XML has no bare CR
  });

  it('ordinary text is left alone (a hyphen inside, an apostrophe first, a negative-looking id later)', () => {
    const plain = ['网上银行-登录失败', "'引号开头", 'INC-20261130-01'];
    const records = parse(toCsv(plain.map(rowWith)), { bom: true }) as string[][];
    expect(records.slice(1).map((r) => r[LEDGER_COLUMNS.indexOf('title')])).toEqual(plain);
  });
});
