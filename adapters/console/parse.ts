import type { ChatInput } from '../../src/conversation/types.ts';

export const CONSOLE_CONVERSATION = 'console:local';

/** One console line -> ChatInput: `/incident ...` (or `/事件`, or any `/word`) is a command, anything else an answer. */
export function parseConsoleLine(line: string, user: string): ChatInput | null {
  const text = line.trim();
  if (text === '') return null;
  const base = { user, conversation: CONSOLE_CONVERSATION };
  const m = /^\/(?:incident|事件)(?:\s+|$)(.*)$/i.exec(text);
  if (m) return { ...base, kind: 'command', text: m[1] ?? '' };
  if (text.startsWith('/')) return { ...base, kind: 'command', text: text.slice(1) };
  return { ...base, kind: 'message', text };
}
