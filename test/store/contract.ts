import { afterEach, describe, expect, it } from 'vitest';
import { AlreadyRecordedError, DEFAULT_CLAIM_OWNER, VersionConflictError, type IncidentMeta, type InboxItem, type Store } from '../../src/store/types.ts';

/**
 * Shared Store contract. makeStore() opens a new store instance on the current backing data (two
 * calls in one test give two instances/connections on the same data); cleanup() runs after each
 * test, once every store the test opened has been closed, and must wipe the backing data.
 */
export function storeContract(name: string, makeStore: () => Promise<Store>, cleanup: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const open = async (): Promise<Store> => {
      const s = await makeStore();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await cleanup();
    });

    const meta = (id: string, over: Partial<IncidentMeta> = {}): IncidentMeta => ({
      id,
      conversation: 'slack:T1:C1',
      open: true,
      createdAtMs: 1_764_400_000_000,
      ...over,
    });

    /** Polls fn with real time until it returns true (for TTLs enforced by the backend's own clock). */
    const eventually = async (fn: () => Promise<boolean>, timeoutMs = 3000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await fn())) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    it('versions: each incident\'s event count, 0 for an unknown one, as another instance appends', async () => {
      const s = await open();
      const other = await open();
      expect(await s.versions([])).toEqual([]);
      await s.append('INC-20261129-01', 0, [{ type: 'a' }, { type: 'b' }], meta('INC-20261129-01'));
      await s.append('INC-20261129-02', 0, [{ type: 'a' }], meta('INC-20261129-02'));
      expect(await other.versions(['INC-20261129-02', 'INC-20261129-99', 'INC-20261129-01'])).toEqual([1, 0, 2]);
      await other.append('INC-20261129-01', 2, [{ type: 'c' }]);
      expect(await s.versions(['INC-20261129-01'])).toEqual([3]);
    });

    it('create + load round trip; later appends keep or replace meta', async () => {
      const s = await open();
      expect(await s.load('INC-20261129-01')).toBeNull();
      const events = [{ type: 'opened', by: 'U1', text: '支付系统中断 ✓' }, { type: 'fact', facts: { provinces: 3, nested: [1, null, true] } }];
      expect(await s.append('INC-20261129-01', 0, events, meta('INC-20261129-01'))).toBe(2);
      expect(await s.load('INC-20261129-01')).toEqual({
        meta: meta('INC-20261129-01'),
        events: [
          { seq: 1, event: events[0] },
          { seq: 2, event: events[1] },
        ],
      });
      expect(await s.append('INC-20261129-01', 2, ['note', 42, null])).toBe(5);
      const closedMeta = meta('INC-20261129-01', { open: false });
      expect(await s.append('INC-20261129-01', 5, [{ type: 'closed' }], closedMeta)).toBe(6);
      const loaded = await s.load('INC-20261129-01');
      expect(loaded?.meta).toEqual(closedMeta);
      expect(loaded?.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(loaded?.events.slice(2).map((e) => e.event)).toEqual(['note', 42, null, { type: 'closed' }]);
      // a second instance sees the same data
      const s2 = await open();
      expect(await s2.load('INC-20261129-01')).toEqual(loaded);
    });

    it('version conflict writes nothing; invalid arguments write nothing', async () => {
      const s = await open();
      await s.append('INC-1', 0, [{ n: 1 }, { n: 2 }], meta('INC-1'));
      const before = await s.load('INC-1');

      const conflict = await s.append('INC-1', 1, [{ n: 'x' }], meta('INC-1', { open: false })).catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(VersionConflictError);
      expect(conflict).toMatchObject({ id: 'INC-1', expected: 1, actual: 2 });
      await expect(s.append('INC-1', 0, [{ n: 'y' }], meta('INC-1'))).rejects.toMatchObject({ expected: 0, actual: 2 });
      await expect(s.append('INC-1', 3, [{ n: 'z' }])).rejects.toBeInstanceOf(VersionConflictError);
      expect(await s.load('INC-1')).toEqual(before);
      expect(await s.listOpen()).toEqual([meta('INC-1')]);

      await expect(s.append('INC-2', 1, [{ n: 1 }])).rejects.toMatchObject({ name: 'VersionConflictError', actual: 0 });
      await expect(s.append('INC-2', 0, [{ n: 1 }])).rejects.toThrow(/meta is required/);
      await expect(s.append('INC-2', 0, [], meta('INC-2'))).rejects.toThrow(/non-empty/);
      await expect(s.append('INC-2', 0, [{ n: 1 }], meta('INC-3'))).rejects.toThrow(/does not match/);
      await expect(s.append('INC-2', 0, [{ n: 1 }, undefined], meta('INC-2'))).rejects.toThrow(/JSON/);
      expect(await s.load('INC-2')).toBeNull();
      expect(await s.listOpen()).toEqual([meta('INC-1')]);
    });

    it('two instances racing 50 appends each lose nothing and keep seqs contiguous', async () => {
      const a = await open();
      const b = await open();
      const id = 'INC-20261129-07';
      await a.append(id, 0, [{ w: 'init', i: 0 }], meta(id));
      let conflicts = 0;
      const worker = async (s: Store, w: string) => {
        for (let i = 0; i < 50; i++) {
          for (;;) {
            const cur = await s.load(id);
            try {
              await s.append(id, cur?.events.length ?? 0, [{ w, i }]);
              break;
            } catch (err) {
              if (!(err instanceof VersionConflictError)) throw err;
              conflicts++;
            }
          }
        }
      };
      await Promise.all([worker(a, 'a'), worker(b, 'b')]);
      const loaded = await a.load(id);
      const events = loaded?.events ?? [];
      expect(events).toHaveLength(101);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
      for (const w of ['a', 'b']) {
        const mine = events.map((e) => e.event as { w: string; i: number }).filter((e) => e.w === w);
        expect(mine.map((e) => e.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      }
      expect(await b.load(id)).toEqual(loaded);
      expect(conflicts).toBeGreaterThan(0); // the two instances really raced
    });

    it('listOpen orders by createdAtMs, filters by conversation, follows meta changes', async () => {
      const s = await open();
      const A = meta('INC-A', { conversation: 'slack:T1:C1', createdAtMs: 100 });
      const B = meta('INC-B', { conversation: 'console:local', createdAtMs: 50 });
      const C = meta('INC-C', { conversation: 'slack:T1:C1', createdAtMs: 200, drill: true });
      await s.append('INC-C', 0, [{}], C);
      await s.append('INC-A', 0, [{}], A);
      await s.append('INC-B', 0, [{}], B);
      expect(await s.listOpen()).toEqual([B, A, C]);
      expect(await s.listOpen('slack:T1:C1')).toEqual([A, C]);
      expect(await s.listOpen('console:local')).toEqual([B]);
      expect(await s.listOpen('slack:T9:C9')).toEqual([]);

      await s.append('INC-A', 1, [{ type: 'closed' }], { ...A, open: false });
      expect(await s.listOpen('slack:T1:C1')).toEqual([C]);
      expect(await s.listOpen()).toEqual([B, C]);

      const movedC = { ...C, conversation: 'console:local' };
      await s.append('INC-C', 1, [{ type: 'moved' }], movedC);
      expect(await s.listOpen('slack:T1:C1')).toEqual([]);
      expect(await s.listOpen('console:local')).toEqual([B, movedC]);

      await s.append('INC-A', 2, [{ type: 'reopened' }], A);
      expect(await s.listOpen()).toEqual([B, A, movedC]);
    });

    it('listInRange: [from, to) boundaries, drill exclusion, open or closed', async () => {
      const s = await open();
      const m1 = meta('INC-1', { createdAtMs: 1000 });
      const m2 = meta('INC-2', { createdAtMs: 2000, drill: true });
      const m3 = meta('INC-3', { createdAtMs: 3000, conversation: 'console:local' });
      const m4 = meta('INC-4', { createdAtMs: 4000, open: false });
      for (const m of [m4, m2, m1, m3]) await s.append(m.id, 0, [{ type: 'opened' }], m);

      expect(await s.listInRange(1000, 4000)).toEqual([m1, m3]);
      expect(await s.listInRange(1000, 4000, { includeDrill: true })).toEqual([m1, m2, m3]);
      expect(await s.listInRange(1001, 4001)).toEqual([m3, m4]);
      expect(await s.listInRange(2000, 2001)).toEqual([]);
      expect(await s.listInRange(2000, 2001, { includeDrill: true })).toEqual([m2]);
      expect(await s.listInRange(0, 1000)).toEqual([]);
      expect(await s.listInRange(4000, 4000)).toEqual([]);

      // a drill promoted to a real incident joins the ledger listing
      const real2 = { ...m2, drill: false };
      await s.append('INC-2', 1, [{ type: 'not-a-drill' }], real2);
      expect(await s.listInRange(0, 10_000)).toEqual([m1, real2, m3, m4]);
    });

    it('nextSequence increments per prefix, atomically across instances', async () => {
      const a = await open();
      const b = await open();
      expect(await a.nextSequence('INC-20261129')).toBe(1);
      expect(await a.nextSequence('INC-20261129')).toBe(2);
      expect(await b.nextSequence('INC-20261129')).toBe(3);
      expect(await b.nextSequence('INC-20261130')).toBe(1);
      const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).nextSequence('DRILL-20261129')));
      expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('claim / release / expiry; markDone blocks claims forever', async () => {
      const a = await open();
      const b = await open();
      expect(await a.claim('remind:INC-1:T-1h', 60_000, Date.now())).toBe(true);
      expect(await b.claim('remind:INC-1:T-1h', 60_000, Date.now())).toBe(false);
      await a.release('remind:INC-1:T-1h');
      expect(await b.claim('remind:INC-1:T-1h', 60_000, Date.now())).toBe(true);

      // expiry, with real time so it holds for backends that expire with their own clock
      expect(await a.claim('lock:short', 50, Date.now())).toBe(true);
      await eventually(() => b.claim('lock:short', 60_000, Date.now()));
      expect(await a.claim('lock:short', 60_000, Date.now())).toBe(false);

      expect(await a.isDone('remind:INC-1:T-1h')).toBe(false);
      await b.markDone('remind:INC-1:T-1h');
      await b.release('remind:INC-1:T-1h');
      expect(await a.isDone('remind:INC-1:T-1h')).toBe(true);
      expect(await a.claim('remind:INC-1:T-1h', 60_000, Date.now())).toBe(false);
      await a.markDone('never-claimed');
      await a.markDone('never-claimed'); // idempotent
      expect(await b.claim('never-claimed', 60_000, Date.now() + 365 * 86_400_000)).toBe(false);

      await expect(a.claim('bad', 0, Date.now())).rejects.toThrow(RangeError);
    });

    it('claims with an owner: only the holder renews, and only while it holds the key', async () => {
      const a = await open();
      const b = await open();
      expect(await a.claim('remind:INC-2:T0', 60_000, Date.now(), 'ticker-a')).toBe(true);
      expect(await b.claim('remind:INC-2:T0', 60_000, Date.now(), 'ticker-b')).toBe(false);
      expect(await b.renewClaim('remind:INC-2:T0', 'ticker-b', 60_000, Date.now())).toBe(false); // not b's
      expect(await a.renewClaim('remind:INC-2:T0', 'ticker-a', 60_000, Date.now())).toBe(true);

      // A renewed claim outlives its first window; an unrenewed one expires and the renewal comes too late.
      expect(await a.claim('lock:renewed', 300, Date.now(), 'ticker-a')).toBe(true);
      expect(await a.claim('lock:lapsed', 300, Date.now(), 'ticker-a')).toBe(true);
      const until = Date.now() + 600;
      while (Date.now() < until) {
        expect(await a.renewClaim('lock:renewed', 'ticker-a', 300, Date.now())).toBe(true);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await b.claim('lock:renewed', 60_000, Date.now(), 'ticker-b')).toBe(false);
      await eventually(() => b.claim('lock:lapsed', 60_000, Date.now(), 'ticker-b'));
      expect(await a.renewClaim('lock:lapsed', 'ticker-a', 60_000, Date.now())).toBe(false); // expired and taken: b's now
      expect(await b.renewClaim('lock:lapsed', 'ticker-b', 60_000, Date.now())).toBe(true);

      // Released or done: nobody renews it.
      await a.release('remind:INC-2:T0');
      expect(await a.renewClaim('remind:INC-2:T0', 'ticker-a', 60_000, Date.now())).toBe(false);
      expect(await a.claim('remind:INC-2:T1', 60_000, Date.now(), 'ticker-a')).toBe(true);
      await a.markDone('remind:INC-2:T1');
      expect(await a.renewClaim('remind:INC-2:T1', 'ticker-a', 60_000, Date.now())).toBe(false);
      expect(await a.renewClaim('never-claimed', 'ticker-a', 60_000, Date.now())).toBe(false);

      // Claims without an owner still work as before, and are renewable under the default owner.
      expect(await a.claim('plain', 60_000, Date.now())).toBe(true);
      expect(await b.claim('plain', 60_000, Date.now())).toBe(false);
      expect(await b.renewClaim('plain', DEFAULT_CLAIM_OWNER, 60_000, Date.now())).toBe(true);
      await expect(a.renewClaim('plain', DEFAULT_CLAIM_OWNER, 0, Date.now())).rejects.toThrow(RangeError);
    });

    it('sessions: get / set / overwrite / delete / TTL', async () => {
      const s = await open();
      const key = 'slack:T1:C1:U1';
      expect(await s.getSession(key, Date.now())).toBeNull();
      await s.setSession(key, { step: 'grade', facts: { provinces: 2 } }, 60_000, Date.now());
      expect(await s.getSession(key, Date.now())).toEqual({ step: 'grade', facts: { provinces: 2 } });
      await s.setSession(key, { step: 'confirm' }, 60_000, Date.now());
      expect(await s.getSession(key, Date.now())).toEqual({ step: 'confirm' });
      expect(await s.getSession('slack:T1:C1:U2', Date.now())).toBeNull();
      await s.deleteSession(key);
      expect(await s.getSession(key, Date.now())).toBeNull();
      await s.deleteSession(key); // idempotent

      await s.setSession('short', 'v', 50, Date.now());
      await eventually(async () => (await s.getSession('short', Date.now())) === null);
    });

    it('wakes: ordering, limit, update, removal', async () => {
      const s = await open();
      await s.setWake('INC-a', 300);
      await s.setWake('INC-b', 100);
      await s.setWake('INC-c', 200);
      await s.setWake('INC-d', 500);
      expect(await s.dueWakes(300, 10)).toEqual(['INC-b', 'INC-c', 'INC-a']);
      expect(await s.dueWakes(300, 2)).toEqual(['INC-b', 'INC-c']);
      expect(await s.dueWakes(99, 10)).toEqual([]);
      expect(await s.dueWakes(1_000, 0)).toEqual([]);
      await s.setWake('INC-b', null);
      await s.setWake('INC-b', null); // idempotent
      expect(await s.dueWakes(300, 10)).toEqual(['INC-c', 'INC-a']);
      await s.setWake('INC-a', 50);
      expect(await s.dueWakes(300, 10)).toEqual(['INC-a', 'INC-c']);
      expect(await s.dueWakes(10_000, 10)).toEqual(['INC-a', 'INC-c', 'INC-d']);
    });

    it('wakes: the earliest indexed time, and a notice for each time set (not for a removal)', async () => {
      const s = await open();
      expect(await s.nextWakeAt()).toBeNull();
      const heard: number[] = [];
      let wait: () => void = () => {};
      const stop = await s.onWake((atMs) => { heard.push(atMs); wait(); });
      const next = () => new Promise<void>((r) => { wait = r; });
      let n = next();
      await s.setWake('INC-a', 300);
      await n;
      n = next();
      await s.setWake('INC-b', 100);
      await n;
      expect(await s.nextWakeAt()).toBe(100);
      await s.setWake('INC-b', null);
      expect(await s.nextWakeAt()).toBe(300);
      n = next();
      await s.setWake('INC-a', 700);
      await n;
      expect(heard).toEqual([300, 100, 700]);
      await stop();
      await s.setWake('INC-a', 900);
      expect(await s.nextWakeAt()).toBe(900);
    });
  
    const item = (key: string, over: Partial<InboxItem> = {}): InboxItem => ({
      key, source: 'slack', conversation: 'slack:T1:C1', payload: { text: `/incident note ${key} ✓`, n: [1, 2] }, receivedAtMs: 1000, ...over,
    });

    it('inbox: an item is known once; a re-delivery of its key writes nothing, pending or done', async () => {
      const s = await open();
      expect(await s.inboxAdd(item('k1'), 'A', 60_000, 1000)).toBe(true);
      expect(await s.inboxAdd(item('k1', { payload: 'other' }), 'B', 60_000, 1001)).toBe(false);
      expect(await s.inboxPendingCount()).toBe(1);
      expect(await s.inboxTake('k1', 'A', 60_000, 1002)).toEqual(item('k1'));
      await s.inboxDone('k1', 2000, 10_000);
      expect(await s.inboxPendingCount()).toBe(0);
      expect(await s.inboxTake('k1', 'A', 60_000, 2001)).toBeNull(); // done: nothing to run again
      expect(await s.inboxAdd(item('k1'), 'B', 60_000, 3000)).toBe(false); // within the retain window
      await s.inboxDone('k1', 3000, 10_000); // idempotent
    });

    it('inbox: a lease keeps an item with its receiver; a lapsed one lets another replica resume it, oldest first', async () => {
      const s = await open();
      const s2 = await open();
      await s.inboxAdd(item('k2', { receivedAtMs: 2000 }), 'A', 60_000, 2000);
      await s.inboxAdd(item('k1', { receivedAtMs: 1000 }), 'A', 60_000, 1000);
      await s.inboxAdd(item('k3', { source: 'feishu', receivedAtMs: 500 }), 'A', 60_000, 500);
      expect(await s2.inboxTake('k1', 'B', 60_000, 30_000)).toBeNull(); // A holds it
      expect(await s2.inboxStale('slack', 30_000, 10)).toEqual([]);
      expect(await s2.inboxStale('slack', 61_500, 10)).toEqual(['k1']); // k1's lease ran to 61 s, k2's runs to 62 s
      expect(await s2.inboxStale('slack', 62_000, 10)).toEqual(['k1', 'k2']);
      expect(await s2.inboxStale('slack', 62_000, 1)).toEqual(['k1']);
      expect(await s2.inboxStale('feishu', 62_000, 10)).toEqual(['k3']);
      expect(await s2.inboxStale('slack', 30_000, 10, 'A')).toEqual(['k1', 'k2']); // A restarted: its own are orphans
      expect(await s2.inboxStale('slack', 30_000, 10, 'C')).toEqual([]);
      expect((await s2.inboxTake('k1', 'B', 60_000, 62_000))?.key).toBe('k1');
      expect(await s.inboxTake('k1', 'A', 60_000, 62_001)).toBeNull(); // now B's
      expect(await s2.inboxStale('slack', 62_000, 10)).toEqual(['k2']);
      expect(await s.inboxPendingCount()).toBe(3);
    });

    it('inbox: past its retain window a key is unknown again (a new delivery under it is taken)', async () => {
      const s = await open();
      const t0 = Date.now();
      await s.inboxAdd(item('k1'), 'A', 60_000, t0);
      await s.inboxDone('k1', t0, 1000);
      expect(await s.inboxAdd(item('k1'), 'A', 60_000, Date.now())).toBe(false); // still within its second
      await eventually(async () => s.inboxAdd(item('k1'), 'B', 60_000, Date.now()), 5000);
      expect((await s.inboxTake('k1', 'B', 60_000, Date.now()))?.payload).toEqual(item('k1').payload);
      expect(await s.inboxPendingCount()).toBe(1);
    });

    it('inbox: forget drops the key, so the same payload may come again (an answer that failed)', async () => {
      const s = await open();
      await s.inboxAdd(item('k1'), 'A', 60_000, 1000);
      await s.inboxDone('k1', 1000, 60_000, { forget: true });
      expect(await s.inboxPendingCount()).toBe(0);
      expect(await s.inboxAdd(item('k1'), 'A', 60_000, 2000)).toBe(true);
    });

    it('append with once: the events and the item\'s done mark are one step; a second run records nothing', async () => {
      const s = await open();
      await s.inboxAdd(item('k1'), 'A', 60_000, 1000);
      const once = { key: 'k1', nowMs: 1500, retainMs: 60_000 };
      expect(await s.append('INC-1', 0, [{ type: 'created' }], meta('INC-1'), { once })).toBe(1);
      expect(await s.inboxPendingCount()).toBe(0);
      await expect(s.append('INC-1', 1, [{ type: 'note' }], undefined, { once })).rejects.toBeInstanceOf(AlreadyRecordedError);
      await expect(s.append('INC-2', 0, [{ type: 'created' }], meta('INC-2'), { once })).rejects.toBeInstanceOf(AlreadyRecordedError);
      expect((await s.load('INC-1'))?.events).toHaveLength(1);
      expect(await s.load('INC-2')).toBeNull();
      // A version conflict leaves the item pending: the retry records it.
      await s.inboxAdd(item('k2'), 'A', 60_000, 1000);
      await expect(s.append('INC-1', 0, [{ type: 'x' }], meta('INC-1'), { once: { ...once, key: 'k2' } })).rejects.toBeInstanceOf(VersionConflictError);
      expect(await s.inboxPendingCount()).toBe(1);
      expect(await s.append('INC-1', 1, [{ type: 'x' }], undefined, { once: { ...once, key: 'k2' } })).toBe(2);
      // A key never added to the inbox is remembered as well.
      expect(await s.append('INC-1', 2, [{ type: 'y' }], undefined, { once: { ...once, key: 'k9' } })).toBe(3);
      await expect(s.append('INC-1', 3, [{ type: 'y' }], undefined, { once: { ...once, key: 'k9' } })).rejects.toBeInstanceOf(AlreadyRecordedError);
      expect(await s.inboxAdd(item('k9'), 'A', 60_000, 1600)).toBe(false);
    });
});
}
