/**
 * An operator error in a platform's settings, or a platform refusing the configured credentials at start-up. The one
 * configuration error every platform throws: the composition root prints its message (it names the variable, never
 * its value) and stops.
 */
export class PlatformConfigError extends Error {
  override name = 'PlatformConfigError';
}
