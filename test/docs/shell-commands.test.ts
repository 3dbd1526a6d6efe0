// Every command the README and docs/ show is one a reader can run: each fenced shell block (```sh, ```bash,
// ```shell, and the `$ ` lines of ```console) parses with `bash -n`, every `pboc-incident …` names a subcommand the
// CLI's own --help lists, every `npm run …`/`npm start`/`npm test` names a script in package.json, and every
// repository file a command runs is there. The README stays a front page (at most 300 lines) whose test command is the
// one CI runs, and every relative link in the docs reaches a file.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);

function markdownFiles(): string[] {
  const out = [join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) out.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return out.sort();
}

interface Block {
  file: string;
  line: number;
  lang: string;
  /** The script as bash would read it (for ```console: the `$ ` lines and their `\` continuations only). */
  script: string;
}

function shellBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (!fence) {
      open?.body.push(text);
      return;
    }
    if (!open) {
      open = { lang: fence[1]!, line: i + 1, body: [] };
      return;
    }
    if (SHELL_LANGS.has(open.lang)) {
      blocks.push({ file: relative(ROOT, file), line: open.line, lang: open.lang, script: open.lang === 'console' ? promptLines(open.body) : open.body.join('\n') });
    }
    open = undefined;
  });
  if (open) throw new Error(`${relative(ROOT, file)}:${open.line}: a fenced block is never closed`);
  return blocks;
}

/** The commands of a console transcript: lines after a `$ ` prompt, with the lines a trailing `\` continues. */
function promptLines(body: string[]): string {
  const out: string[] = [];
  let continuing = false;
  for (const text of body) {
    if (continuing) out.push(text);
    else if (text.startsWith('$ ')) out.push(text.slice(2));
    else continue;
    continuing = text.endsWith('\\');
  }
  return out.join('\n');
}

/**
 * The simple commands of a script as word lists: `\` continuations joined, comments dropped, split at `&&`, `||`,
 * `;` and `|` outside quotes, leading `VAR=value` assignments dropped. Enough for the docs' one-line commands;
 * bash -n is the parser of record.
 */
function simpleCommands(script: string): string[][] {
  const commands: string[][] = [];
  for (const line of script.replace(/\\\n/g, ' ').split('\n')) {
    let words: string[] = [];
    let word = '';
    let quote: string | undefined;
    let inWord = false;
    const endWord = (): void => {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    };
    const endCommand = (): void => {
      endWord();
      while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
      if (words.length > 0) commands.push(words);
      words = [];
    };
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else word += c;
      } else if (c === "'" || c === '"') {
        quote = c;
        inWord = true;
      } else if (c === '#' && !inWord) {
        break;
      } else if (c === ';' || c === '|' || c === '&') {
        if (line[i + 1] === c) i++;
        endCommand();
      } else if (c === ' ' || c === '\t') {
        endWord();
      } else {
        word += c;
        inWord = true;
      }
    }
    endCommand();
  }
  return commands;
}

const BLOCKS = markdownFiles().flatMap(shellBlocks);
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

async function cliHelp(): Promise<string> {
  let stdout = '';
  const code = await runCli(['--help'], { stdin: (async function* () {})(), stdout: (s) => (stdout += s), stderr: () => {}, nowMs: 0, env: {} });
  expect(code).toBe(0);
  return stdout;
}

describe('every fenced shell command in README.md and docs/', () => {
  it('finds the shell blocks of the README and of the operators, compliance and developers pages', () => {
    const files = new Set(BLOCKS.map((b) => b.file));
    expect(files).toContain('README.md');
    expect([...files].some((f) => f.startsWith('docs/operators/'))).toBe(true);
    expect([...files].some((f) => f.startsWith('docs/development/'))).toBe(true);
    expect(BLOCKS.length).toBeGreaterThanOrEqual(8);
  });

  it.each(BLOCKS.map((b) => [`${b.file}:${b.line} (${b.lang})`, b] as const))('%s parses with bash -n', (_name, block) => {
    expect(block.script.trim(), 'an empty shell block (a console block needs `$ ` prompts)').not.toBe('');
    let error = '';
    try {
      execFileSync('bash', ['-n'], { input: block.script, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      error = String((e as { stderr?: Buffer }).stderr ?? e);
    }
    expect(error, `${block.file}:${block.line}`).toBe('');
  });

  it('names only pboc-incident subcommands the CLI lists in its --help', async () => {
    const help = await cliHelp();
    // "  pboc-incident ledger export --from …" -> ledger: export; "  pboc-incident grade [--lang …]" -> grade: (none)
    const usage = new Map<string, string | undefined>();
    for (const m of help.matchAll(/^ {2}pboc-incident ([a-z]+)(?: ([a-z]+))?/gm)) usage.set(m[1]!, m[2]);
    expect(usage.size).toBeGreaterThanOrEqual(8);
    const used: string[] = [];
    for (const block of BLOCKS) {
      for (const words of simpleCommands(block.script)) {
        const at = words.indexOf('pboc-incident');
        if (at < 0 || (at > 0 && words[at - 1] !== 'npx')) continue;
        const [sub, second] = words.slice(at + 1);
        const where = `${block.file}:${block.line}: pboc-incident ${sub ?? ''}`;
        if (sub === '--help') continue;
        expect(usage.has(sub ?? ''), `${where}: not a subcommand (${[...usage.keys()].join(', ')})`).toBe(true);
        const expected = usage.get(sub!);
        if (expected !== undefined && second !== '--help') expect(second, where).toBe(expected);
        used.push(sub!);
      }
    }
    expect(used).toEqual(expect.arrayContaining(['grade', 'deadlines', 'workdays', 'ledger', 'backup', 'verify', 'holidays']));
    expect(Object.keys(PACKAGE.bin)).toContain('pboc-incident');
  });

  it('names only npm scripts that package.json defines, and repository files that exist', () => {
    const npmChecked: string[] = [];
    for (const block of BLOCKS) {
      for (const words of simpleCommands(block.script)) {
        const where = `${block.file}:${block.line}: ${words.join(' ')}`;
        if (words[0] === 'npm') {
          const [, verb, script] = words;
          if (verb === 'run') {
            expect(Object.keys(PACKAGE.scripts), where).toContain(script);
            npmChecked.push(script!);
          } else if (verb === 'start' || verb === 'test') {
            expect(Object.keys(PACKAGE.scripts), where).toContain(verb);
            npmChecked.push(verb);
          } else {
            expect(['install', 'ci'], where).toContain(verb);
          }
        }
        for (const word of words) {
          if (/^(bin|bench|scripts|deploy|config|contrib)\/[\w./-]+$/.test(word)) {
            expect(existsSync(join(ROOT, word)), `${where}: ${word} is not in the repository`).toBe(true);
          }
        }
      }
    }
    expect(npmChecked).toContain('start');
    expect(npmChecked).toContain('test');
  });
});

describe('the README as a front page', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('is at most 300 lines, with the install-and-run and test commands first', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    const first = BLOCKS.find((b) => b.file === 'README.md')!;
    expect(first.script).toContain('npm install && npm start');
    expect(first.script).toContain('npm install && npm test');
  });

  it("gives the test command CI runs (.ci/run runs `npm test` after installing)", () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm test\b/m);
    expect(ci).toMatch(/npm ci/);
  });

  it('names things for what they are: no page cites a tracker issue number', () => {
    const cited = markdownFiles().flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (/\bissues? #?\d+/i.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(cited).toEqual([]);
  });

  it('links only to files that exist, from the README and every docs page', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/.test(target)) continue;
        if (!existsSync(resolve(dirname(file), target))) broken.push(`${relative(ROOT, file)} -> ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
