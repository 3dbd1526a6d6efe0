import { afterEach, expect, it } from 'vitest';
import { Harness, WecomUser, readable } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => { await h?.close(); h = null; });

it('smoke', async () => {
  h = await Harness.start();
  const u = new WecomUser(h);
  const r = await u.say('/incident new 网上银行登录失败');
  console.log(readable(r.markdown), JSON.stringify(r.card));
  const r2 = await u.say('13:40');
  console.log(readable(r2.markdown), JSON.stringify(r2.card));
  const c = await u.click('网上银行');
  console.log(JSON.stringify(c, null, 1).slice(0, 3000));
  console.log(h.logs.slice(-20).join('\n'));
  expect(1).toBe(1);
});
