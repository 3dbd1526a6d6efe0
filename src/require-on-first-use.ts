// A CommonJS package loaded the first time it is needed rather than when its importer loads: for a package a start
// need not pay for (the YAML parser, chinese-days' tables). Resolved from node_modules as an import would be.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function requireOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
