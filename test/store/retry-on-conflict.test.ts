// The one retry-on-conflict every writer uses: a conflicting append is recomputed after a doubling, jittered pause,
// a bounded number of times; any other failure is not retried.
import { describe, expect, it } from 'vitest';
import { CONFLICT_RETRIES, conflictBackoffMs, retryOnConflict } from '../../src/store/retry-on-conflict.ts';
import { VersionConflictError } from '../../src/store/types.ts';

const conflict = () => new VersionConflictError('INC-20261201-01', 3, 4);

describe('retryOnConflict', () => {
  it('recomputes after a conflict, pausing 5, 10, 20 ms (times the jitter) before each new try', async () => {
    const pauses: number[] = [];
    const tries: number[] = [];
    const out = await retryOnConflict(
      async (i) => {
        tries.push(i);
        if (i < 3) throw conflict();
        return 'recorded';
      },
      { pause: async (ms) => { pauses.push(ms); }, random: () => 0.5 },
    );
    expect(out).toBe('recorded');
    expect(tries).toEqual([0, 1, 2, 3]);
    expect(pauses).toEqual([5, 10, 20]);
  });

  it('gives the conflict up after CONFLICT_RETRIES retries, the pause capped at 320 ms and jittered within [0.5, 1.5)', async () => {
    const pauses: number[] = [];
    let tries = 0;
    await expect(retryOnConflict(async () => { tries++; throw conflict(); }, { pause: async (ms) => { pauses.push(ms); }, random: () => 0.5 }))
      .rejects.toBeInstanceOf(VersionConflictError);
    expect(tries).toBe(CONFLICT_RETRIES + 1);
    expect(pauses).toEqual([5, 10, 20, 40, 80, 160, 320, 320]);
    expect(conflictBackoffMs(0, () => 0)).toBe(2.5);
    expect(conflictBackoffMs(10, () => 0.999)).toBeLessThan(480);
  });

  it('never retries another failure (a store that is down is reported at once)', async () => {
    let tries = 0;
    await expect(retryOnConflict(async () => { tries++; throw new Error('connection refused'); }, { pause: async () => {} })).rejects.toThrow('connection refused');
    expect(tries).toBe(1);
  });
});
