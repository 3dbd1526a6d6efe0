// `pboc-incident obligations`: every regime's obligations from one JSON input, through the compiled build
// (bin/pboc-incident.js), and PBoC's entries exactly those `deadlines` gives for the same incident.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { runNode, type NodeRun } from '../fakes/run-node.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/pboc-incident.js', import.meta.url));
const bin = (args: string[], input: unknown, env: Record<string, string> = {}): Promise<NodeRun> =>
  runNode([BIN, ...args], { cwd: ROOT, env: { ...process.env, INSTITUTION_CONFIG: '', ...env }, input: typeof input === 'string' ? input : JSON.stringify(input) });

interface Out { regime: string; kind: string; dueAt: string | null; dueDate?: string; due?: string; article: string; recipient: string; status: string; verified: boolean; unverified?: Array<{ key: string; value: unknown }>; basis?: string; metAt?: string }

// A bank that is a CII operator with NFRA as regulator: 120万 records (PBoC) of 120万 persons (CAC) leaked, a CNY
// 12,000,000 loss, a suspected crime. Discovered Monday 2026-11-30 10:00, already 较大 then.
const BANK = {
  profile: { ciiOperator: true, ciiProtectionDepartment: '中国人民银行网络安全和信息化局', regulators: ['nfra'], netCapitalYuan: 20_000_000_000 },
  facts: { data: { personalInfoRecords: 1_200_000 } },
  cac: { personalInfoPersons: 1_200_000, directLossYuan: 12_000_000 },
  nfra: { lossYuan: 12_000_000 },
  suspectedCrime: true,
  personalInfoIncident: true,
  discoveredAt: '2026-11-30T10:00:00+08:00',
  now: '2026-11-30T10:10:00+08:00',
};

describe('pboc-incident obligations (compiled build)', () => {
  it('lists PBoC’s, CAC’s (1 h), NFRA’s (5 working days), the police’s and PIPL’s obligations, each with article and recipient', async () => {
    const r = await bin(['obligations'], BANK);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { obligations } = JSON.parse(r.stdout) as { obligations: Out[] };
    expect(obligations.map((o) => `${o.regime}:${o.kind}`)).toEqual([
      'pboc:brief', 'pboc:incident', 'cac:initial', 'nfra:report', 'police:report', 'pipl:remedy', 'pipl:notify-authority', 'pipl:notify-individuals',
    ]);
    const by = (id: string) => obligations.find((o) => `${o.regime}:${o.kind}` === id)!;
    expect(by('cac:initial')).toMatchObject({ dueAt: '2026-11-30T11:00:00+08:00', article: '《国家网络安全事件报告管理办法》', recipient: '中国人民银行网络安全和信息化局和公安机关', status: 'pending', verified: true });
    expect(by('nfra:report')).toMatchObject({ dueAt: '2026-12-08T00:00:00+08:00', dueDate: '2026-12-07', article: '《银行保险机构操作风险管理办法》第四十二条', status: 'pending', verified: true });
    expect(by('police:report')).toMatchObject({ dueAt: null, due: '及时', recipient: '公安机关', status: 'pending' });
    expect(by('pipl:remedy')).toMatchObject({ dueAt: null, due: '立即', article: '《中华人民共和国个人信息保护法》第五十七条', status: 'pending' });
    for (const o of obligations) expect(typeof o.article === 'string' && typeof o.recipient === 'string' && typeof o.verified === 'boolean').toBe(true);
  });

  it('PBoC’s entries are exactly what deadlines gives for the same incident', async () => {
    const input = { ...BANK, determinedAt: '2026-11-30T10:05:00+08:00', resolvedAt: '2026-12-02T18:00:00+08:00', reports: [{ regime: 'pboc', kind: 'brief', at: '2026-11-30T10:50:00+08:00' }, { regime: 'cac', kind: 'initial', at: '2026-11-30T10:40:00+08:00' }], now: '2026-12-01T12:00:00+08:00' };
    const [o, d] = await Promise.all([
      bin(['obligations'], input),
      bin(['deadlines'], { facts: BANK.facts, determinedAt: input.determinedAt, resolvedAt: input.resolvedAt, reports: [{ kind: 'brief', at: '2026-11-30T10:50:00+08:00' }], now: input.now }),
    ]);
    expect(o.code).toBe(0);
    expect(d.code).toBe(0);
    const pboc = (JSON.parse(o.stdout) as { obligations: Out[] }).obligations.filter((x) => x.regime === 'pboc');
    type Entry = { kind: unknown; dueAt: unknown; status: unknown; metAt?: unknown; dueDate?: unknown };
    const deadlines = JSON.parse(d.stdout) as { deadlines: Entry[]; immediate: Entry[]; preliminary: Entry | null };
    const given = [...deadlines.deadlines, ...deadlines.immediate, ...(deadlines.preliminary ? [deadlines.preliminary] : [])];
    const same = ({ kind, dueAt, status, metAt, dueDate }: Entry) => ({ kind, dueAt, status, ...(metAt ? { metAt } : {}), ...(dueDate ? { dueDate } : {}) });
    expect(pboc.map(same)).toEqual(given.map(same));
    expect(pboc.map((x) => x.kind)).toEqual(['brief', 'incident', 'final', 'preliminary']);
    const cac = (JSON.parse(o.stdout) as { obligations: Out[] }).obligations.filter((x) => x.regime === 'cac');
    expect(cac.map((x) => [x.kind, x.status])).toEqual([['initial', 'met'], ['summary', 'pending']]);
    expect(cac[1]).toMatchObject({ dueDate: '2027-01-01', dueAt: '2027-01-02T00:00:00+08:00' });
  });

  it('English with --lang en; an unverified value shows 未核实 with its key, and the institution file’s regimes: block sets it', async () => {
    const input = { profile: { regulators: ['csrc'] }, discoveredAt: '2026-11-30T10:00:00+08:00', now: '2026-11-30T10:10:00+08:00' };
    const r = await bin(['obligations', '--lang', 'en'], input);
    expect(r.code).toBe(0);
    const { obligations } = JSON.parse(r.stdout) as { obligations: Out[] };
    expect(obligations.find((o) => o.kind === 'written')).toMatchObject({ regime: 'csrc', dueAt: null, verified: false, unverified: [{ key: 'regimes.csrc.writtenReportHours', value: null }] });
    expect(obligations.find((o) => o.kind === 'phone')!.recipient).toBe('the local CSRC office');

    const dir = mkdtempSync(join(tmpdir(), 'obligations-cli-'));
    try {
      const file = join(dir, 'inst.yaml');
      writeFileSync(file, YAML.stringify({ ...YAML.parse(readFileSync(join(ROOT, 'config/institution.example.yaml'), 'utf8')), regimes: { csrc: { writtenReportHours: 24 } } }));
      const set = await bin(['obligations'], input, { INSTITUTION_CONFIG: file });
      expect(set.stderr).toBe('');
      const written = (JSON.parse(set.stdout) as { obligations: Out[] }).obligations.find((o) => o.kind === 'written');
      expect(written).toMatchObject({ dueAt: '2026-12-01T10:00:00+08:00', verified: false, unverified: [{ key: 'regimes.csrc.writtenReportHours', value: 24 }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a grade the 网信部门 designated sets PBoC’s too: a 重大 designation runs PBoC’s 重大 clocks', async () => {
    const r = await bin(['obligations'], { profile: {}, cac: { designation: '重大' }, discoveredAt: '2026-11-30T10:00:00+08:00', now: '2026-11-30T10:10:00+08:00' });
    expect(r.code).toBe(0);
    const { obligations } = JSON.parse(r.stdout) as { obligations: Out[] };
    expect(obligations.map((o) => `${o.regime}:${o.kind}`)).toEqual(['pboc:brief', 'pboc:incident', 'pboc:progress', 'cac:initial']);
    expect(obligations.find((o) => o.regime === 'cac')).toMatchObject({ dueAt: '2026-11-30T14:00:00+08:00', recipient: '所在地省级网信部门' });
  });

  it.each([
    ['an unknown top-level field', { ...BANK, grade: '较大' }, /^error: unknown field grade\n$/],
    ['an unknown field in cac', { ...BANK, cac: { records: 5 } }, /^error: unknown field cac\.records\n$/],
    ['an unknown profile field', { ...BANK, profile: { cii: true } }, /^error: unknown field profile\.cii\n$/],
    ['a missing discoveredAt', { profile: {} }, /discoveredAt: Required/],
    ['a report kind the regime does not have', { ...BANK, reports: [{ regime: 'cac', kind: 'brief', at: '2026-11-30T10:30:00+08:00' }] }, /reports\.0\.kind: expected one of initial, supplementary, summary for regime cac, got "brief"/],
    ['a regulator we do not know', { ...BANK, profile: { regulators: ['cbirc'] } }, /profile\.regulators\.0/],
  ])('refuses %s (exit 2, nothing printed)', async (_l, input, message) => {
    const r = await bin(['obligations'], input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
