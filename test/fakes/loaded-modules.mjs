// `node --import ./test/fakes/loaded-modules.mjs ...`: appends the URL of every module the process resolves
// (our ESM imports of packages included) to the file named by LOADED_MODULES_LOG, one per line.
import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url);
