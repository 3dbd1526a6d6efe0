// Ledger exports: CSV (RFC 4180, UTF-8 with BOM so Excel reads the Chinese) and XLSX (exceljs).
// Both carry the same header row and text cells, and both read back to the same rows.
import type { Lang } from '../i18n/index.ts';
import { rt } from '../reports/messages.ts';
import { columnHeader, LEDGER_COLUMNS, type LedgerColumn, type LedgerRow } from './ledger.ts';

const BOM = '\uFEFF';

/** exceljs is loaded on the first XLSX export or read, never for CSV or at start-up. */
const excel = async () => (await import('exceljs')).default;

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: header row in lang, CRLF line ends, fields quoted when they hold `"`, `,` or a line break. */
export function toCsv(rows: readonly LedgerRow[], lang: Lang = 'zh-CN'): string {
  const lines = [LEDGER_COLUMNS.map((c) => csvField(columnHeader(c, lang))).join(',')];
  for (const row of rows) lines.push(LEDGER_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** Parses RFC 4180 text into records (a leading BOM is ignored; CRLF or LF line ends). */
export function parseCsvRecords(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { record.push(field); field = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
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
    cols.forEach((c, i) => { row[c] = rec[i] ?? ''; });
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
  recipient: 24, pbocContact: 16, confirmedAt: 26, summary: 48,
};

/** The ledger as an XLSX workbook: one sheet, bold frozen header, every cell text. */
export async function toXlsx(rows: readonly LedgerRow[], lang: Lang = 'zh-CN'): Promise<Buffer> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'pboc-incident-bot';
  const ws = wb.addWorksheet(rt(lang, 'ledger.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = LEDGER_COLUMNS.map((c) => ({ header: columnHeader(c, lang), key: c, width: WIDTHS[c], style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(LEDGER_COLUMNS.map((c) => row[c]));
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
      return v === null || v === undefined ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((t) => t.text).join('') : String(v);
    });
  };
  const header = cells(1).filter((h) => h !== '');
  const records: string[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) records.push(cells(r).slice(0, header.length));
  return toRows(header, records);
}
