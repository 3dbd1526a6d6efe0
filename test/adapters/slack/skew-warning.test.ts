// A skewed machine clock makes Slack's every request fail the timestamp check: the operator gets one loud,
// aggregated line naming the measured offset and "check NTP on this machine", at most once a minute.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseSkewedRequests } from '../../../adapters/slack/transport/freshness.ts';
import { FixedClock } from '../../fakes/chat.ts';

const clock = new FixedClock(Date.parse('2026-11-30T10:00:00+08:00'));
const logs: string[] = [];
let server: Server;
let base = '';
beforeAll(async () => {
  // Bolt's HTTPReceiver behind the check, reduced to its request listener.
  const receiver = { requestListener: (_req: IncomingMessage, res: ServerResponse) => { res.writeHead(200).end('inner'); } };
  refuseSkewedRequests(receiver, clock.now, (m) => void logs.push(m));
  server = createServer((req, res) => receiver.requestListener(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = (tsSec: number | null) => fetch(base, { method: 'POST', headers: tsSec === null ? {} : { 'x-slack-request-timestamp': String(tsSec) }, body: 'x=1' });

describe('Slack requests refused for their time', () => {
  it('a flood gives one line a minute with the count and the offset, not one per request', async () => {
    const machineSec = () => Math.floor(clock.ms / 1000);
    // Slack's clock is right; this machine is 7 min 3 s fast, so every request looks 423 s old.
    for (let i = 0; i < 20; i++) expect((await post(machineSec() - 423)).status).toBe(401);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/WARNING: refused 1 Slack request\(s\) whose X-Slack-Request-Timestamp is 7 min 3 s behind this machine's clock \(measured offset -423 s; Slack allows ±300 s\).*check NTP on this machine/);

    clock.ms += 59_000;
    await post(machineSec() - 423);
    expect(logs).toHaveLength(1);
    clock.ms += 1_000;
    await post(machineSec() + 400);
    await post(null);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/refused 21 Slack request\(s\) whose X-Slack-Request-Timestamp is 6 min 40 s ahead of this machine's clock \(measured offset \+400 s/);

    // A request within the window goes on to Bolt, and says nothing.
    const ok = await post(machineSec() - 10);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('inner');
    clock.ms += 120_000;
    await post(null);
    expect(logs[2]).toBe('refused 2 request(s) without a valid X-Slack-Request-Timestamp (said at most once a minute)');
  });
});
