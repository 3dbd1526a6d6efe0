// The compliance page with every regime: each incident's obligations under PBoC and the other regimes (regime,
// article, recipient, due, status, 未核实), the regime filter and its links, reports under other regimes in the
// timeline and the ledger. Served by the real app over a store; the viewer is a compliance officer behind the proxy.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { createWebApp } from '../../../adapters/web/app.ts';
import { metaOf } from '../../../src/incident/stored.ts';
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

async function app(institution: Record<string, unknown> = {}, more: IncidentEvent[] = []) {
  const store = createSqliteStore(':memory:');
  const list = [...events(), ...more];
  await store.append(ID, 0, list, metaOf(fold(list)));
  const config = botConfig();
  Object.assign(config.institution, { complianceOfficers: ['proxy:jane'] }, institution);
  const web = createWebApp({
    store, config, now: new FixedClock(T('2026-11-30T09:50:00+08:00')).now, secret: SECRET, sessionTtlMs: 3600_000,
    trustedProxies: new Set(['10.0.0.5']), proxyUserHeader: 'X-Forwarded-User', remoteAddress: () => '10.0.0.5',
  });
  const raw = (path: string) => web.request(path, { headers: { 'X-Forwarded-User': 'jane' } });
  const get = async (path: string) => {
    const res = await raw(path);
    return { status: res.status, body: await res.text() };
  };
  return { get, raw };
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
    expect(page.body).toMatch(/<tr class="obligation (pending|overdue|met)" data-regime="pboc" data-obligation="brief">\s*<td>人民银行<\/td>/);
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

  describe('a CII operator regulated by the CSRC, 120万 persons\' personal information leaked', () => {
    const profile = { profile: { ciiOperator: true, ciiProtectionDepartment: '某保护工作部门', regulators: ['csrc'] } };
    const leak: IncidentEvent = { type: 'fact-set', path: 'cac.personalInfoPersons', value: 1_200_000, at: T('2026-11-30T09:05:00+08:00'), actor: 'slack:U1' };
    const crime: IncidentEvent[] = [
      { type: 'fact-set', path: 'suspectedCrime', value: true, at: T('2026-11-30T09:06:00+08:00'), actor: 'slack:U1' },
      { type: 'fact-set', path: 'data.personalInfoIncident', value: true, at: T('2026-11-30T09:06:00+08:00'), actor: 'slack:U1' },
    ];

    it('Now: CAC\'s 1-hour initial report beside PBoC\'s clocks, its article and recipient; the CSRC written report marked 未核实 with its key', async () => {
      const { get } = await app(profile, [leak]);
      const now = await get('/now');
      expect(now.body).toContain('<div class="note">其他监管机构的报告义务：</div>');
      // R1, the CAC report recorded at 09:40, met it.
      const cac = /<tr class="obligation met" data-regime="cac" data-obligation="initial">([^]*?)<\/tr>/.exec(now.body)?.[1] ?? '';
      // The persons count was recorded at 09:05: CAC's clock runs from the moment its facts made the event 较大.
      expect(cac).toContain('<td>网信部门</td>');
      expect(cac).toContain('向网信部门初次报告');
      expect(cac).toContain('<td>《国家网络安全事件报告管理办法》</td><td>某保护工作部门和公安机关</td><td>2026-11-30 10:05</td>');
      expect(cac).toContain('<td>已完成（2026-11-30 09:40）</td>');
      expect(cac).toContain('个人信息泄露 1,200,000 人');
      const written = /<tr class="obligation [a-z]+" data-regime="csrc" data-obligation="written">([^]*?)<\/tr>/.exec(now.body)?.[1] ?? '';
      expect(written).toMatch(/<span class="unverified">未核实（由 regimes\.csrc\.[A-Za-z]+ 设定）<\/span>/);
      expect(now.body).toMatch(/<a data-regime="cac" href="\/now\?regime=cac">网信部门 \(1\)<\/a> · <a data-regime="csrc" href="\/now\?regime=csrc">证监会 \(1\)<\/a>/);
    });

    it('?regime=cac: the incident with only CAC\'s obligations, PBoC\'s table left out; ?regime=nfra: none, and the page says the filter is on', async () => {
      const { get } = await app(profile, [leak]);
      const cac = await get('/now?regime=CAC');
      expect(cac.body).toContain(`data-incident="${ID}"`);
      expect(cac.body).toContain('data-regime="cac" data-obligation="initial"');
      expect(cac.body).not.toContain('data-regime="csrc" data-kind');
      expect(cac.body).not.toContain('class="deadlines"');
      expect(cac.body).toContain('<strong aria-current="true" data-regime="cac">网信部门 (1)</strong>');
      const nfra = await get('/now?regime=nfra');
      expect(nfra.body).not.toContain(`data-incident="${ID}"`);
      expect(nfra.body).toContain('<strong aria-current="true" data-regime="nfra">金融监管总局 (0)</strong>');
    });

    it('Timeline in English: every regime\'s obligations; the CAC filter keeps CAC\'s rows only', async () => {
      const { get } = await app(profile, [leak, ...crime]);
      const all = await get(`/incidents/${ID}?lang=en`);
      expect(all.body).toContain('<h2>Obligations under every regime</h2>');
      for (const r of ['pboc', 'cac', 'csrc', 'police', 'pipl']) expect(all.body, r).toContain(`data-regime="${r}" data-obligation=`);
      expect(all.body).toContain('unverified (set by regimes.csrc.');
      const cac = await get(`/incidents/${ID}?regime=cac&lang=en`);
      expect(cac.body.match(/data-regime="[a-z]+" data-obligation=/g)?.every((m) => m.startsWith('data-regime="cac"'))).toBe(true);
    });

    it('the dossier download: every regime\'s obligations, the CAC report as sent, and the CAC initial report draft (text and DOCX)', async () => {
      const { raw } = await app(profile, [leak, ...crime]);
      const res = await raw(`/incidents/${ID}/dossier.zip`);
      expect(res.status).toBe(200);
      const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
      const obligations = JSON.parse(await zip.file('obligations.json')!.async('string')) as Array<{ regime: string; kind: string; verified: boolean; dueAt: string | null }>;
      expect(new Set(obligations.map((o) => o.regime))).toEqual(new Set(['pboc', 'cac', 'csrc', 'police', 'pipl']));
      expect(obligations.find((o) => o.regime === 'cac' && o.kind === 'initial')).toMatchObject({ dueAt: '2026-11-30T10:05:00+08:00', verified: true });
      expect(obligations.find((o) => o.regime === 'csrc' && o.kind === 'written')).toMatchObject({ verified: false, dueAt: null });
      expect(await zip.file('reports/R1.txt')!.async('string')).toContain('R1 网信部门 初次报告 · 12387 → 上海市委网信办 <b>');
      const draft = await zip.file('drafts/cac-initial.txt')!.async('string');
      expect(draft).toContain('报送对象：某保护工作部门和公安机关');
      expect(draft).toContain('四、事件级别（按《网络安全事件分级指南》）：较大（按分级指南）');
      expect(zip.file('drafts/cac-initial.docx')).not.toBeNull();
      expect(await zip.file('timeline.html')!.async('string')).toContain('未核实（由 regimes.csrc.writtenReportHours 设定）');
    });
  });
});
