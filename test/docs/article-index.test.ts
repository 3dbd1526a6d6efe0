// The article → code index (docs/compliance/article-index.md) cannot rot: every file its Code and Test columns name is
// in the repository, every symbol named after a source file is exported from that file, every test name (in “ ”) is
// in the test file it follows, and every article of the order has a row, encoded or saying why not.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = 'docs/compliance/article-index.md';

interface Row {
  line: number;
  article: string;
  code: string;
  test: string;
}

/** The body rows of every table on the page that has a Code and a Test column. */
function rows(text: string): Row[] {
  const out: Row[] = [];
  let columns: string[] | undefined;
  const cells = (line: string) => line.replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim());
  text.split('\n').forEach((line, i) => {
    if (!line.startsWith('|')) {
      columns = undefined;
      return;
    }
    if (/^\|\s*-/.test(line)) return;
    if (!columns) {
      columns = cells(line).map((c) => c.toLowerCase());
      return;
    }
    const c = cells(line);
    const code = columns.indexOf('code');
    const test = columns.indexOf('test');
    if (code < 0 || test < 0) return;
    expect(c, `${PAGE}:${i + 1}: a row with ${c.length} cells under ${columns.length} columns`).toHaveLength(columns.length);
    out.push({ line: i + 1, article: c[0]!, code: c[code]!, test: c[test]! });
  });
  return out;
}

const spans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const isPath = (s: string): boolean => /^(src|adapters|test)\/[\w./-]+\.ts$/.test(s);

/** Whether `source` exports `name` (a declaration, or a name in an export list). */
function exports(source: string, name: string): boolean {
  const declared = new RegExp(`^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|const|let|var|class|interface|type|enum)\\s+${name}\\b`, 'm');
  if (declared.test(source)) return true;
  return [...source.matchAll(/^export\s*(?:type\s*)?\{([^}]*)\}/gm)].some((m) => m[1]!.split(',').some((n) => n.trim().split(/\s+as\s+/).at(-1) === name));
}

const TEXT = readFileSync(join(ROOT, PAGE), 'utf8');
const ROWS = rows(TEXT);
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('the article → code index', () => {
  it('has a row for every article of the order, 第一条 to 第三十三条', () => {
    const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    const chinese = (n: number): string => (n <= 10 ? numerals[n - 1]! : `${n >= 20 ? numerals[Math.floor(n / 10) - 1] : ''}十${n % 10 ? numerals[(n % 10) - 1] : ''}`);
    const articles = ROWS.map((r) => r.article).join('\n');
    const missing = Array.from({ length: 33 }, (_, i) => `第${chinese(i + 1)}条`).filter((a) => !articles.includes(a));
    expect(missing).toEqual([]);
    expect(chinese(25)).toBe('二十五');
    expect(ROWS.filter((r) => spans(r.code).length > 0).length).toBeGreaterThanOrEqual(40);
  });

  it('names only source files that exist, and symbols each exports', () => {
    const problems: string[] = [];
    let named = 0;
    for (const row of ROWS) {
      let file: string | undefined;
      for (const span of spans(row.code)) {
        if (isPath(span)) {
          file = span;
          if (!existsSync(join(ROOT, span))) problems.push(`${PAGE}:${row.line}: ${span} is not in the repository`);
        } else if (/^[A-Za-z_$][\w$]*$/.test(span)) {
          named++;
          if (!file) problems.push(`${PAGE}:${row.line}: ${span} follows no file`);
          else if (existsSync(join(ROOT, file)) && !exports(read(file), span)) problems.push(`${PAGE}:${row.line}: ${file} does not export ${span}`);
        } else {
          problems.push(`${PAGE}:${row.line}: \`${span}\` in the Code column is neither a file nor a symbol`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(named).toBeGreaterThanOrEqual(60);
  });

  it('names only test files that exist, and test names each holds', () => {
    const problems: string[] = [];
    let named = 0;
    for (const row of ROWS) {
      // A cell is a list of `file` “name” “name” …; each name belongs to the file before it.
      const parts = [...row.test.matchAll(/`([^`]+)`|“([^”]+)”/g)];
      let file: string | undefined;
      for (const m of parts) {
        if (m[1] !== undefined) {
          file = m[1];
          if (!/^test\/[\w./-]+\.test\.ts$/.test(file)) problems.push(`${PAGE}:${row.line}: \`${file}\` in the Test column is not a test file`);
          else if (!existsSync(join(ROOT, file))) problems.push(`${PAGE}:${row.line}: ${file} is not in the repository`);
        } else {
          named++;
          if (!file) problems.push(`${PAGE}:${row.line}: “${m[2]}” follows no test file`);
          else if (existsSync(join(ROOT, file)) && !read(file).includes(m[2]!)) problems.push(`${PAGE}:${row.line}: ${file} has no test “${m[2]}”`);
        }
      }
      if (spans(row.code).length > 0 && parts.length === 0) problems.push(`${PAGE}:${row.line}: code named with no test`);
    }
    expect(problems).toEqual([]);
    expect(named).toBeGreaterThanOrEqual(60);
  });

  it('checks what it says: a renamed symbol, a moved file and a renamed test are each caught', () => {
    const grading = read('src/regimes/pboc-2025-4/grading.ts');
    expect(exports(grading, 'grade')).toBe(true);
    expect(exports(grading, 'networkCriteria')).toBe(false); // a function of the file, not exported
    expect(exports(grading, 'GRADES')).toBe(true); // re-exported in an export list
    expect(exports(grading, 'gradeX')).toBe(false);
    expect(isPath('src/regimes/pboc-2025-4/grading.ts')).toBe(true);
    expect(existsSync(join(ROOT, 'src/rules/grading.ts'))).toBe(false);
    expect(read('test/regimes/pboc-2025-4/grading.test.ts').includes('key 2 prov 180 peak min')).toBe(true);
    expect(rows('| Article | Code | Test |\n| --- | --- | --- |\n| 第一条 | `a/b.ts` `x` | — |\n')).toEqual([{ line: 3, article: '第一条', code: '`a/b.ts` `x`', test: '—' }]);
  });
});
