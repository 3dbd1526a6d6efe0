// Ledger exports: CSV (csv-stringify, RFC 4180, UTF-8 with BOM so Excel reads the Chinese) and XLSX (exceljs).
// Both carry the same header row and text cells, and both read back to the same rows.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Lang } from '../i18n/index.ts';
import { rt } from '../reports/messages.ts';
import { columnHeader, LEDGER_COLUMNS, type LedgerColumn, type LedgerRow } from './ledger.ts';

const BOM = '\uFEFF';

/** exceljs is loaded on the first XLSX export or read, never for CSV or at start-up. */
const excel = async () => (await import('exceljs')).default;

/** Characters that make Excel or WPS read a cell as a formula when they start it (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that would start a formula, prefixed with `'` (what csv-stringify's escape_formulas does for CSV). */
export function guardFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The cell as it was recorded: the guard's `'` taken off again (XML reads a guarded CR back as LF). */
export function unguardFormula(s: string): string {
  return s.startsWith("'") && /^[=+\-@\t\r\n]/.test(s.slice(1)) ? s.slice(1) : s;
}

/**
 * RFC 4180 CSV (csv-stringify): header row in lang, CRLF line ends, fields quoted when they need it, and a cell
 * that would start a formula (= + - @ tab CR) prefixed with `'` so that a spreadsheet shows it as text.
 */
export function toCsv(rows: readonly LedgerRow[], lang: Lang = 'zh-CN'): string {
  const records = [LEDGER_COLUMNS.map((c) => columnHeader(c, lang)), ...rows.map((row) => LEDGER_COLUMNS.map((c) => row[c]))];
  // csv-stringify quotes a field holding the record delimiter (CRLF) but not a bare LF: a report's content has
  // line breaks, so quote any field with one, or each line would read as a record of its own.
  return `${BOM}${stringify(records, { record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/ })}`;
}

/** Parses CSV text into records (csv-parse; a leading BOM is ignored; CRLF or LF line ends). */
export function parseCsvRecords(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
}

/** Maps a header row (zh-CN or en headers, or column keys) to columns; throws naming an unknown header. */
function headerColumns(header: readonly string[]): LedgerColumn[] {
  return header.map((h) => {
    const col = LEDGER_COLUMNS.find((c) => c === h || columnHeader(c, 'zh-CN') === h || columnHeader(c, 'en') === h);
    if (!col) throw new Error(`ledger: unknown column "${h}"`);
    return col;
  });
}

function toRows(header: readonly string[], records: readonly string[][]): LedgerRow[] {
  const cols = headerColumns(header);
  return records.map((rec) => {
    const row = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, ''])) as unknown as LedgerRow;
    cols.forEach((c, i) => { row[c] = unguardFormula(rec[i] ?? ''); });
    return row;
  });
}

/** Reads a ledger CSV written by toCsv (either language) back into rows. */
export function parseCsv(text: string): LedgerRow[] {
  const [header, ...records] = parseCsvRecords(text);
  return header ? toRows(header, records) : [];
}

const WIDTHS: Record<LedgerColumn, number> = {
  incidentId: 18, reportId: 22, title: 28, occurredAt: 26, grade: 10, reportKind: 18, reportedAt: 26, channel: 14,
  recipient: 24, pbocContact: 16, confirmedAt: 26, summary: 48, committedDate: 14, recordStatus: 20, change: 48, regime: 14,
};

/** Columns holding a time: real Excel date cells in XLSX. */
const TIME_COLUMNS: ReadonlySet<LedgerColumn> = new Set(['occurredAt', 'reportedAt', 'confirmedAt']);
const SHANGHAI_MS = 8 * 3_600_000;

/** An ISO time as an Excel date whose wall clock is Beijing time (Excel cells carry no zone). */
function excelDate(iso: string): Date | string {
  const ms = Date.parse(iso);
  return iso === '' || Number.isNaN(ms) ? iso : new Date(ms + SHANGHAI_MS);
}

function isoOfExcelDate(d: Date): string {
  const w = new Date(d.getTime());
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.getUTCFullYear()}-${p(w.getUTCMonth() + 1)}-${p(w.getUTCDate())}T${p(w.getUTCHours())}:${p(w.getUTCMinutes())}:${p(w.getUTCSeconds())}+08:00`;
}

/** The ledger as an XLSX workbook: one sheet, bold frozen header, times as Beijing-time date cells, the rest text. */
export async function toXlsx(rows: readonly LedgerRow[], lang: Lang = 'zh-CN'): Promise<Buffer> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'pboc-incident-bot';
  const ws = wb.addWorksheet(rt(lang, 'ledger.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = LEDGER_COLUMNS.map((c) => ({ header: columnHeader(c, lang), key: c, width: WIDTHS[c], style: { numFmt: TIME_COLUMNS.has(c) ? 'yyyy-mm-dd hh:mm' : '@' } }));
  ws.getRow(1).font = { bold: true };
  // Text cells already; the guard keeps a cell that starts like a formula text even after someone edits it.
  // Times are real date cells (Beijing wall clock), never formulas.
  for (const row of rows) ws.addRow(LEDGER_COLUMNS.map((c) => (TIME_COLUMNS.has(c) ? excelDate(row[c]) : guardFormula(row[c]))));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads a ledger XLSX written by toXlsx back into rows (first sheet, first row the header). */
export async function parseXlsx(buf: Buffer): Promise<LedgerRow[]> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  // exceljs's typings predate Node's generic Buffer<ArrayBufferLike>.
  await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const width = LEDGER_COLUMNS.length;
  const cells = (r: number): string[] => {
    const row = ws.getRow(r);
    return Array.from({ length: Math.max(width, row.cellCount) }, (_, i) => {
      const v = row.getCell(i + 1).value;
      if (v instanceof Date) return isoOfExcelDate(v);
      return v === null || v === undefined ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((t) => t.text).join('') : String(v);
    });
  };
  const header = cells(1).filter((h) => h !== '');
  const records: string[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) records.push(cells(r).slice(0, header.length));
  return toRows(header, records);
}
