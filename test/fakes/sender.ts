import type { Outbound, Sender } from '../../src/reminders/message.ts';
import { formatShanghai } from '../../src/conversation/parse.ts';

/** Records what the ticker posts, with the fake time it was posted at; can be told to fail. */
export class RecordingSender implements Sender {
  readonly sent: Array<Outbound & { atMs: number; text: string }> = [];
  failNext = 0;
  constructor(private readonly now: () => number) {}
  async send(m: Outbound): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform answered 500');
    }
    const text = m.replies.map((r) => (r.type === 'text' || r.type === 'error' ? r.text : '')).join('\n');
    this.sent.push({ ...m, atMs: this.now(), text });
  }
  /** "HH:mm first-line" for each post, for exact sequence assertions. */
  lines(): string[] {
    return this.sent.map((s) => `${formatShanghai(s.atMs).slice(5)} ${s.text.split('\n')[0]}`);
  }
}
