// The reports catalog is part of the one catalog (src/i18n/index.ts): look its texts up with t(). `rt` remains as
// another name for t() for callers not yet moved to it.
import { t, type MessageKey } from '../i18n/index.ts';

export type ReportsKey = MessageKey;
export const rt = t;
