import type { Platform, PlatformDeps } from '../platform.ts';
import type { PlatformEntry } from '../platforms.ts';
import { PlatformConfigError } from './errors.ts';

/**
 * Starts one registry entry and waits until it is ready, then writes its one start-up line. Every failure becomes
 * a PlatformConfigError whose message names the platform (a settings error already names the variable).
 */
export async function startPlatform(entry: PlatformEntry, deps: PlatformDeps): Promise<Platform> {
  if (!entry.start) throw new PlatformConfigError(`${entry.title}: not a chat platform that can be started here`);
  let started: Platform;
  try {
    started = await entry.start(deps);
    await started.ready;
  } catch (e) {
    if (e instanceof PlatformConfigError) throw e;
    throw new PlatformConfigError(`${entry.title}: ${(e as Error).message}`);
  }
  const { receives } = started;
  deps.log(`${entry.id}: started${receives ? ` (${receives})` : ''}`);
  return started;
}
