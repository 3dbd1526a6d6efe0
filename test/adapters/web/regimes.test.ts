// The compliance page with every regime: each incident's obligations under PBoC and the other regimes (regime,
// article, recipient, due, status, 未核实), the regime filter and its links, reports under other regimes in the
// timeline and the ledger. Served by the real app over a store; the viewer is a compliance officer behind the proxy.
import { describe, expect, it } from 'vitest';
import { createWebApp } from '../../../adapters/web/app.ts';
import { metaOf } from '../../../src/bot.ts';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { fold } from '../../../src/incident/state.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { SECRET } from './harness.ts';

const T = (iso: string) => parseIso(iso);
const ID = 'INC-20261130-01';

function events(): IncidentEvent[] {
  const a = 'slack:U1';
  return [
    { type: 'created', id: ID, title: '网上银行登录失败', conversation: 'slack:T1:C1', at: T('2026-11-30T09:00:00+08:00'), actor: a },
    { type: 'fact-set', path: 'occurredAt', value: T('2026-11-30T08:20:00+08:00'), at: T('2026-11-30T09:00:00+08:00'), actor: a },
    { type: 'grade-raised', from: null, to: '较大', effectiveAt: T('2026-11-30T09:00:00+08:00'), basis: [{ article: 9, item: 2, grade: '较大', reason: '主要功能中断' }], at: T('2026-11-30T09:00:00+08:00'), actor: 'bot' },
    { type: 'regime-report-submitted', reportId: 'R1', regime: 'cac', kind: 'initial', channel: '12387', recipient: '上海市委网信办 <b>', contact: '李四', at: T('2026-11-30T09:40:00+08:00'), actor: a },
  ] as IncidentEvent[];
}

async function app(institution: Record<string, unknown> = {}) {
  const store = createSqliteStore(':memory:');
  const list = events();
  await store.append(ID, 0, list, metaOf(fold(list)));
  const config = botConfig();
  Object.assign(config.institution, { complianceOfficers: ['proxy:jane'] }, institution);
  const web = createWebApp({
    store, config, now: new FixedClock(T('2026-11-30T09:50:00+08:00')).now, secret: SECRET, sessionTtlMs: 3600_000,
    trustedProxies: new Set(['10.0.0.5']), proxyUserHeader: 'X-Forwarded-User', remoteAddress: () => '10.0.0.5',
  });
  const get = async (path: string) => {
    const res = await web.request(path, { headers: { 'X-Forwarded-User': 'jane' } });
    return { status: res.status, body: await res.text() };
  };
  return { get };
}

describe('the compliance page shows every regime', () => {
  it('a regime filter value that is not a regime: 400 saying which ones are, in the reader\'s language; any case of a good one is accepted', async () => {
    const { get } = await app();
    const bad = await get('/now?regime=cbirc');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('监管机构“cbirc”无效，可选：pboc（人民银行）、cac（网信部门）、nfra（金融监管总局）、csrc（证监会）、police（公安）、pipl（个人信息保护法）。');
    expect(bad.body).not.toContain(ID);
    const en = await get('/now?regime=%3Cb%3E&lang=en');
    expect(en.status).toBe(400);
    expect(en.body).toContain('Regime &quot;&lt;b&gt;&quot; is not valid; choose one of: pboc (PBoC), cac (CAC)');
    expect((await get('/now?regime=PBoC')).status).toBe(200);
    expect((await get(`/incidents/${ID}?regime=nope`)).status).toBe(400);
  });

  it('Now: the regime links name each regime present with its count; PBoC lists every incident', async () => {
    const { get } = await app();
    const now = await get('/now');
    expect(now.body).toMatch(/<nav class="regime-links" id="regime-links">按监管机构查看：<strong aria-current="true" data-regime="">全部<\/strong> · <a data-regime="pboc" href="\/now\?regime=pboc">人民银行 \(1\)<\/a><\/nav>/);
    expect(now.body).toContain('<option value="cac">网信部门</option>');
    const pboc = await get('/now?regime=pboc');
    expect(pboc.body).toContain(`data-incident="${ID}"`);
    expect(pboc.body).toContain('<strong aria-current="true" data-regime="pboc">人民银行 (1)</strong>');
  });

  it('Timeline: every obligation with its regime, article and recipient; a CAC report in the log in CAC\'s words, its text escaped', async () => {
    const { get } = await app();
    const page = await get(`/incidents/${ID}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h2>各监管机构的报告义务</h2>');
    expect(page.body).toMatch(/<tr class="obligation (pending|overdue|met)" data-regime="pboc" data-kind="brief">\s*<td>人民银行<\/td>/);
    expect(page.body).toContain('<td>《中国人民银行业务领域网络安全事件报告管理办法》第十五条</td><td>中国人民银行或其分支机构</td>');
    expect(page.body).toContain('网信部门 初次报告');
    expect(page.body).toContain('上海市委网信办 &lt;b&gt;');
    const cac = await get(`/incidents/${ID}?regime=cac`);
    expect(cac.body).not.toContain('id="deadlines"'); // PBoC's table is not what a CAC filter asked for
    expect(cac.body).toContain('<strong aria-current="true" data-regime="cac">');
  });

  it('Ledger: the regime column, and the CAC report as a row of its own', async () => {
    const { get } = await app();
    const page = await get('/ledger?from=2026-11-01&to=2026-11-30');
    expect(page.body).toContain('<th class="col-regime">监管机构</th>');
    expect(page.body).toMatch(/data-report="R1"[^]*?<td class="col-reportKind">初次报告<\/td>[^]*?<td class="col-regime">网信部门<\/td>/);
  });
});
