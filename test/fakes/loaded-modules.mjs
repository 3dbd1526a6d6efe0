// `node --import ./test/fakes/loaded-modules.mjs ...`: appends the URL of every module the process resolves
// (our ESM imports of packages included) to the file named by LOADED_MODULES_LOG, one per line; at exit, the path of
// every CommonJS module loaded with require (a package loaded on first use through createRequire) too.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  if (process.env.LOADED_MODULES_LOG) appendFileSync(process.env.LOADED_MODULES_LOG, Object.keys(cache).map((p) => `${p}\n`).join(''));
});
