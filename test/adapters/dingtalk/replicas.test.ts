import { TOPIC_ROBOT } from 'dingtalk-stream';
import { afterEach, expect, it } from 'vitest';
import { createRedisStore } from '../../../src/store/redis.ts';
import type { Store } from '../../../src/store/types.ts';
import { robotMessage } from '../../fakes/dingtalk-events.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../../fakes/redis.ts';
import { Harness } from './harness.ts';

let open: Harness[] = [];
let store: Store | null = null;
let prefix = '';
afterEach(async () => {
  for (const h of open) await h.close();
  open = [];
  await store?.close();
  store = null;
  if (prefix) await deleteKeys(prefix);
});

describeRedis('DingTalk: two replicas on one Redis store', () => {
  it('handles a message both replicas receive (the same msgId on each connection) once', async () => {
    prefix = uniquePrefix('dingtalk-replicas');
    store = await createRedisStore(url, { prefix });
    const a = await Harness.start({ store });
    const b = await Harness.start({ store });
    open = [a, b];
    const m = robotMessage({ text: '/incident new 双副本' });
    const acks = await Promise.all([a.api.pushCallback(TOPIC_ROBOT, m), b.api.pushCallback(TOPIC_ROBOT, m)]);
    await Promise.all([a.app.idle(), b.app.idle()]);
    expect(acks.map((x) => x.code)).toEqual([200, 200]); // both acknowledged, so DingTalk stops sending it
    expect(a.api.sent.length + b.api.sent.length).toBe(1);
    expect((await store.listOpen()).map((x) => x.id)).toEqual(['INC-20261130-01']);
  });
});
