import type { LogLevel } from './settings.ts';

const RANK: Record<string, number> = { trace: -1, debug: 0, info: 1, warn: 2, error: 3 };

export interface PlatformLogOptions {
  /** Where lines go (the process log). */
  write: (line: string) => void;
  redact: (text: string) => string;
  /** One value of what an SDK logs, as one line of text. */
  describe: (value: unknown) => string;
  /** How an SDK line starts: `[wecom debug] `, `slack warn: `. */
  prefix: (level: string) => string;
  /** Lines below this level are dropped (read at each line: an SDK may change it); absent: the SDK filters. */
  level?: () => LogLevel;
  /** Cut each SDK line to this many characters before it is redacted; absent: whole. */
  maxChars?: number;
}

/** A platform's log lines: its own and its SDK's, both redacted. Every SDK logger is built from `sdk`. */
export interface PlatformLog {
  /** The platform's own line, redacted. */
  log(msg: string): void;
  /** An SDK's line at `level`: filtered, each part described, redacted. */
  sdk(level: string, parts: readonly unknown[]): void;
}

/** The one place where platform and SDK log lines are made. */
export function platformLog(o: PlatformLogOptions): PlatformLog {
  return {
    log: (msg) => o.write(o.redact(msg)),
    sdk(level, parts) {
      if (o.level && (RANK[level] ?? 1) < RANK[o.level()]!) return;
      const line = `${o.prefix(level)}${parts.map(o.describe).join(' ')}`;
      o.write(o.redact(o.maxChars ? line.slice(0, o.maxChars) : line));
    },
  };
}
