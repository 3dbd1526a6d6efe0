// `pboc-incident holidays import [FILE] [--year YYYY] [--write INSTITUTION_FILE]`: a State Council holiday notice
// (stdin or FILE) -> the institution file's `holidays:` block, printed, or merged into the file with --write.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import { ConfigError, parseInstitutionConfig } from '../../src/config/institution.ts';
import { InputError } from '../../src/regimes/pboc-2025-4/facts.ts';
import { missingHolidays, NoticeError, parseHolidayNotice, type NoticeDays } from '../../src/calendar/holiday-notice.ts';

export const HOLIDAYS_USAGE = 'usage: pboc-incident holidays import [NOTICE_FILE] [--year YYYY] [--partial] [--write INSTITUTION_FILE] (the notice text on stdin when no NOTICE_FILE)';

interface Io {
  stdin: AsyncIterable<string | Buffer>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

function takeFlag(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const value = args[i]!.includes('=') ? args[i]!.slice(name.length + 1) : args[i + 1];
  if (value === undefined || value === '') throw new InputError(`${name} needs a value; ${HOLIDAYS_USAGE}`, [name]);
  args.splice(i, args[i]!.includes('=') ? 1 : 2);
  return value;
}

// Dates and years are quoted, so no YAML reader turns them into timestamps or numbers; sequences stay on one line.
const styleNode = (node: unknown) =>
  YAML.visit(node as YAML.Node, {
    Seq: (_, s) => void (s.flow = true),
    Scalar: (_, sc) => void (typeof sc.value === 'string' && /^\d{4}(-\d{2}-\d{2})?$/.test(sc.value) && (sc.type = 'QUOTE_DOUBLE')),
  });

/**
 * The years to write: days per year; with `partial`, the notice's own year is marked `provisional: true`, so its
 * deadlines stay 暂定 until the whole schedule is imported.
 */
function yearEntries(n: NoticeDays, partial: boolean): Record<string, { holidays: string[]; workdays: string[]; provisional?: true }> {
  return Object.fromEntries(Object.entries(n.days).map(([y, d]) => [y, partial && y === String(n.year) ? { ...d, provisional: true as const } : d]));
}

/** The `holidays:` block as YAML: one entry per year. */
export function holidaysBlock(n: NoticeDays, partial = false): string {
  const doc = new YAML.Document({ holidays: yearEntries(n, partial) });
  styleNode(doc.contents);
  const source = n.title ? `${n.title}${n.issued ? `（${n.issued}）` : ''}` : `${n.year}年节假日安排`;
  const counts = Object.entries(n.days).map(([y, d]) => `${y}: ${d.holidays.length} days off, ${d.workdays.length} make-up working day${d.workdays.length === 1 ? '' : 's'}`).join('; ');
  const missing = missingHolidays(n);
  const note = partial && missing.length > 0
    ? `# PARTIAL (--partial): the notice does not name ${missing.join('、')}; ${n.year} stays provisional (deadlines in it are marked 暂定) until the whole schedule is imported\n`
    : '';
  return `# ${source} — pboc-incident holidays import (${counts})\n${note}${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

/** Merges the notice's years into the institution file, keeping its comments; the result must validate before it replaces the file. */
function writeInto(file: string, n: NoticeDays, partial: boolean): void {
  if (!existsSync(file)) throw new InputError(`--write ${file}: file not found (give the institution file that INSTITUTION_CONFIG names)`, ['--write']);
  const ext = extname(file).toLowerCase();
  const raw = readFileSync(file, 'utf8');
  let next: string;
  let data: unknown;
  if (ext === '.json') {
    const obj = JSON.parse(raw) as { holidays?: Record<string, unknown> };
    obj.holidays = { ...(obj.holidays ?? {}), ...yearEntries(n, partial) };
    data = obj;
    next = `${JSON.stringify(obj, null, 2)}\n`;
  } else if (ext === '.yaml' || ext === '.yml') {
    const doc = YAML.parseDocument(raw);
    if (doc.errors.length > 0) throw new InputError(`--write ${file}: invalid YAML: ${doc.errors[0]!.message}`, ['--write']);
    for (const [year, days] of Object.entries(yearEntries(n, partial))) {
      const node = doc.createNode(days);
      styleNode(node);
      doc.setIn(['holidays', year], node);
    }
    data = doc.toJS();
    next = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  } else {
    throw new InputError(`--write ${file}: unsupported file type "${ext || '(none)'}"; use .yaml, .yml or .json`, ['--write']);
  }
  try {
    parseInstitutionConfig(data, `--write ${file}`);
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(`${e.message} (the file was not changed)`, ['--write']);
    throw e;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}

export async function runHolidays(argv: string[], io: Io): Promise<number> {
  try {
    const args = [...argv];
    if (args[0] !== 'import') throw new InputError(HOLIDAYS_USAGE);
    args.shift();
    const yearText = takeFlag(args, '--year');
    const write = takeFlag(args, '--write');
    const partialAt = args.indexOf('--partial');
    const partial = partialAt >= 0;
    if (partial) args.splice(partialAt, 1);
    if (yearText !== undefined && !/^\d{4}$/.test(yearText)) throw new InputError(`--year: expected a year YYYY, got "${yearText}"`, ['--year']);
    const stray = args.filter((a) => a.startsWith('-'));
    if (stray.length > 0 || args.length > 1) throw new InputError(`unexpected ${stray[0] ?? args[1]}; ${HOLIDAYS_USAGE}`);
    let text = '';
    if (args[0] !== undefined) {
      if (!existsSync(args[0])) throw new InputError(`NOTICE_FILE: file not found (${args[0]})`, ['NOTICE_FILE']);
      text = readFileSync(args[0], 'utf8');
    } else {
      for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    }
    const notice = parseHolidayNotice(text, yearText ? { year: Number(yearText) } : {});
    // A notice is the year's whole schedule: one that lacks a statutory holiday is refused unless --partial says so.
    const missing = missingHolidays(notice);
    if (missing.length > 0 && !partial) {
      throw new InputError(`the notice names ${7 - missing.length} of the 7 statutory holidays; missing: ${missing.join('、')}. Nothing was imported. Paste the whole notice, or give --partial to import it with ${notice.year} kept provisional (its deadlines stay 暂定)`, ['NOTICE_FILE']);
    }
    const block = holidaysBlock(notice, partial);
    if (write) {
      writeInto(write, notice, partial);
      io.stderr(`written: holidays for ${Object.keys(notice.days).join(', ')} in ${write}; restart the bot to use them\n`);
    }
    io.stdout(block);
    return 0;
  } catch (e) {
    if (e instanceof NoticeError) {
      io.stderr(`error: the notice cannot be read completely, nothing was imported: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr(`error: ${e.message}\n`);
      return 2;
    }
    io.stderr(`internal error: ${(e as Error).message}\n`);
    return 1;
  }
}
