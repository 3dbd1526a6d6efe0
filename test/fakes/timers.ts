import type { Timers } from '../../src/reminders/ticker.ts';
import type { FixedClock } from './chat.ts';

/** Timers on a FixedClock: nothing fires until the test fires it, and the clock moves to its time first. */
export class ManualTimers implements Timers {
  private seq = 0;
  private readonly pending = new Map<number, { atMs: number; fn: () => void }>();
  private waiters: Array<(atMs: number) => void> = [];
  constructor(private readonly clock: FixedClock) {}

  setTimeout(fn: () => void, delayMs: number): number {
    const id = ++this.seq;
    const atMs = this.clock.ms + delayMs;
    this.pending.set(id, { atMs, fn });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(atMs);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** When the earliest pending timer is due; null when none is armed. */
  get nextAt(): number | null {
    const times = [...this.pending.values()].map((p) => p.atMs);
    return times.length ? Math.min(...times) : null;
  }

  /** Resolves with the due time of the next timer set from now on. */
  armed(): Promise<number> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once the earliest pending timer is due at atMs (waiting for re-arms as needed). */
  async armedAt(atMs: number): Promise<void> {
    while (this.nextAt !== atMs) await this.armed();
  }

  /** Moves the clock to the earliest pending timer and runs it; returns a promise of the next arm (the pass done). */
  fireNext(): Promise<number> {
    const [id, p] = [...this.pending.entries()].sort((a, b) => a[1].atMs - b[1].atMs)[0] ?? [];
    if (id === undefined || !p) throw new Error('no timer armed');
    const next = this.armed();
    this.pending.delete(id);
    this.clock.ms = Math.max(this.clock.ms, p.atMs);
    p.fn();
    return next;
  }
}
