// The contract's console: runConsole reading lines from a stream as it reads stdin, writing what a terminal shows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runConsole } from '../../../adapters/console/app.ts';
import { CONSOLE_CONVERSATION } from '../../../adapters/console/parse.ts';
import type { PlatformDriver, RunningPlatform } from '../contract.ts';

/** What a terminal would act on: escape sequences and other control characters (tab and newline are text). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/;

export const consoleDriver: PlatformDriver = {
  name: 'console',
  conversation: () => CONSOLE_CONVERSATION, // one local conversation: chats a and b are the same
  acknowledges: false,
  remote: false,
  secrets: [],
  async start(d): Promise<RunningPlatform> {
    const input = new PassThrough();
    const replies: string[] = [];
    let typed = 0;
    const done = runConsole({
      bot: d.bot, input, user: 'console:alice', interactive: false, filesDir: mkdtempSync(join(tmpdir(), 'pboc-console-contract-')),
      output: (s) => { if (!s.startsWith('> ')) replies.push(s.replace(/\n+$/, '')); },
    });
    const settle = async () => {
      while (replies.length < typed) await new Promise((r) => setTimeout(r, 2));
    };
    return {
      async send(text) {
        typed++;
        input.write(`${text}\n`);
      },
      settle,
      said: () => [...replies],
      overLimits: () => [],
      liveMarkup: () => replies.filter((s) => CONTROL.test(s)),
      payloads: () => [...replies],
      async stop() {
        input.end();
        await done;
      },
    };
  },
};
