import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Reply } from '../../src/conversation/types.ts';
import type { Bot } from '../../src/bot.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import { inert } from './inert.ts';
import { parseConsoleLine } from './parse.ts';

export interface ConsoleOptions {
  bot: Bot;
  input: NodeJS.ReadableStream;
  output: (s: string) => void;
  user: string;
  interactive: boolean;
  /** Lines the console handles itself (e.g. /drill); return true when handled. */
  intercept?: (line: string) => Promise<boolean>;
  /** Stops reading input; the line in hand is finished first (graceful shutdown). */
  signal?: AbortSignal;
  /** Where file replies (the written final report) are saved. */
  filesDir: string;
}

/** The console cannot attach a file: it saves it and says where. */
async function saveFiles(replies: Reply[], dir: string): Promise<Reply[]> {
  const out: Reply[] = [];
  for (const r of replies) {
    if (r.type !== 'file') { out.push(r); continue; }
    await mkdir(dir, { recursive: true });
    const path = join(dir, r.filename);
    await writeFile(path, r.data);
    out.push({ type: 'text', text: `📎 ${r.title}: ${path}` });
  }
  return out;
}

/** Reads one command or answer per line; resolves at end of input, after the last reply is printed. */
export async function runConsole(o: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input: o.input, terminal: false, crlfDelay: Infinity });
  o.signal?.addEventListener('abort', () => rl.close(), { once: true });
  const prompt = () => { if (o.interactive) o.output('> '); };
  prompt();
  for await (const line of rl) {
    if (o.signal?.aborted) break;
    if (o.interactive === false && line.trim() !== '') o.output(`> ${inert(line)}\n`);
    if (o.intercept && (await o.intercept(line))) { prompt(); continue; }
    const input = parseConsoleLine(line, o.user);
    if (input) {
      const replies = await saveFiles(await o.bot.handle(input), o.filesDir);
      o.output(`${inert(renderText(replies))}\n\n`);
    }
    prompt();
  }
}
