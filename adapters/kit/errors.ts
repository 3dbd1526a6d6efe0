import { apiErrorCode, ops } from '../ops/hooks.ts';

/**
 * An operator error in a platform's settings, or a platform refusing the configured credentials at start-up. The one
 * configuration error every platform throws: the composition root prints its message (it names the variable, never
 * its value) and stops.
 */
export class PlatformConfigError extends Error {
  override name = 'PlatformConfigError';
}

const counted = new WeakSet<object>();

/**
 * Counts a failed platform call once (ops.apiError, by its code), however many layers see its error go by: a
 * transport that counts every call it makes (Feishu's open API) and the kit, which counts what a send throws.
 */
export function countApiError(platform: string, e: unknown): void {
  if (e !== null && typeof e === 'object') {
    if (counted.has(e)) return;
    counted.add(e);
  }
  ops.apiError(platform, apiErrorCode(e));
}
