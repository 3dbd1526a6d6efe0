// The bot's log lines on stderr: the human format by default ("[pboc-incident-bot] store: ..."), or with LOG_FORMAT=json
// one JSON object a line (level, time, component, message) through pino, every field passed through the secret
// redaction. pino is imported only in JSON mode. In JSON mode whatever else reaches stderr (a fatal start-up error, an
// SDK writing on its own, a Node warning) is wrapped into a JSON line too, so a collector never meets a raw line.
// The console's conversation is on stdout and is never touched.
import { inspect } from 'node:util';
import { redactSecrets } from '../../src/config/redact.ts';

export type LogFormat = 'human' | 'json';
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export class LogConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogConfigError';
  }
}

/** LOG_FORMAT: human (default) or json. */
export function logFormatOf(env: Record<string, string | undefined>): LogFormat {
  const raw = (env.LOG_FORMAT ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'human' || raw === 'text') return 'human';
  if (raw === 'json') return 'json';
  throw new LogConfigError(`LOG_FORMAT=${raw.slice(0, 20)} 须为 human 或 json / must be human or json`);
}

export interface BotLog {
  readonly format: LogFormat;
  /** One line: "component: message" (the component is taken from the prefix; SDK lines carry their level: "slack warn: ..."). */
  log(msg: string): void;
  /** A structured line with fields of its own (each redacted). */
  write(level: Level, component: string, message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = new Set<Level>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
// "feishu: ...", "slack warn: ..." (Bolt's logger), "[lark debug] ..." (Lark's), "[wecom info] ...", "[dingtalk-stream debug] ...".
const PREFIX = /^(?:([a-z][a-z0-9_-]{0,30})(?: (trace|debug|info|warn|warning|error|fatal))?: |\[([a-z][a-z0-9_-]{0,30}) (trace|debug|info|warn|warning|error|fatal)\] )/i;
const SDK_NAMES: Record<string, string> = { lark: 'feishu', 'dingtalk-stream': 'dingtalk' };
const TROUBLE = /\b(fail(ed|s)?|cannot|could not|error|not delivered|lost|refused|unreachable|timed? ?out)\b/i;

/** A free-text line's component, level and message: "feishu error: x" -> feishu, error, x. */
export function parseLine(msg: string, fallback = 'bot'): { component: string; level: Level; message: string } {
  const m = PREFIX.exec(msg);
  const given = (m?.[2] ?? m?.[4])?.toLowerCase();
  const level: Level = given === 'warning' ? 'warn' : given && LEVELS.has(given as Level) ? (given as Level) : TROUBLE.test(msg) ? 'warn' : 'info';
  if (!m) return { component: fallback, level, message: msg };
  const name = (m[1] ?? m[3])!.toLowerCase();
  return { component: SDK_NAMES[name] ?? name, level, message: msg.slice(m[0].length) };
}

/** Every string in a value through redactSecrets (objects and arrays walked, a few levels deep). */
export function redactDeep(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redactSecrets(v);
  if (depth > 5 || v === null || typeof v !== 'object') return v;
  if (v instanceof Error) return { name: v.name, message: redactSecrets(v.message), ...(v.stack ? { stack: redactSecrets(v.stack) } : {}) };
  if (Array.isArray(v)) return v.map((x) => redactDeep(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x, depth + 1)]));
}

/**
 * The log for this process. JSON mode also takes over process.stderr.write (until `restore`), so nothing reaches
 * stderr that is not a JSON line.
 */
export async function startLogging(env: Record<string, string | undefined>): Promise<BotLog & { restore(): void }> {
  const format = logFormatOf(env);
  if (format === 'human') {
    const log = (msg: string) => void process.stderr.write(`[pboc-incident-bot] ${msg}\n`);
    return {
      format,
      log,
      write: (level, component, message) => log(`${component}${level === 'info' ? '' : ` ${level}`}: ${message}`),
      restore: () => {},
    };
  }
  const { pino } = await import('pino');
  const logger = pino({
    base: undefined,
    messageKey: 'message',
    level: 'trace',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, pino.destination({ dest: 2, sync: true }));
  const write = (level: Level, component: string, message: string, fields?: Record<string, unknown>) => {
    const extra = fields ? (redactDeep(fields) as Record<string, unknown>) : {};
    logger[level]({ ...extra, component: redactSecrets(component) }, redactSecrets(message));
  };
  const original = process.stderr.write;
  let pending = '';
  const stray = (line: string) => {
    if (!line.trim()) return;
    const fatal = /^pboc-incident-bot: /.exec(line);
    if (fatal) write('fatal', 'bot', line.slice(fatal[0].length));
    else {
      const p = parseLine(line, 'stderr');
      write(p.level === 'info' ? 'warn' : p.level, p.component, p.message);
    }
  };
  process.stderr.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      stray(pending.slice(0, i));
      pending = pending.slice(i + 1);
    }
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  } as typeof process.stderr.write;
  // A library printing with console.* on its own (the SDKs are handed our loggers; this catches the rest): through
  // the logger too, so stdout keeps only the console's conversation.
  const consoleOriginal = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
  const viaLog = (level: Level) => (...args: unknown[]) => {
    const p = parseLine(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : inspect(a, { depth: 3, breakLength: Infinity }))).join(' '), 'library');
    write(level === 'info' && p.level !== 'info' ? p.level : level, p.component, p.message);
  };
  Object.assign(console, { log: viaLog('info'), info: viaLog('info'), debug: viaLog('debug'), warn: viaLog('warn'), error: viaLog('error') });
  // An uncaught exception (or unhandled rejection) ends the process as it would anyway (exit 1), reported as one
  // JSON record instead of Node's raw stack.
  const dying = (e: unknown) => {
    write('fatal', 'bot', `uncaught: ${e instanceof Error ? (e.stack ?? e.message) : inspect(e, { depth: 3 })}`);
    process.exit(1);
  };
  process.on('uncaughtException', dying);
  return {
    format,
    log: (msg) => {
      const p = parseLine(msg);
      write(p.level, p.component, p.message);
    },
    write,
    restore: () => {
      if (pending) stray(pending);
      pending = '';
      process.stderr.write = original;
      Object.assign(console, consoleOriginal);
      process.off('uncaughtException', dying);
    },
  };
}
