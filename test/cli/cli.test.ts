// The `pboc-incident` command-line contract of design.md ("Contracts that others depend on").
// A few cases spawn the real bin (bin/pboc-incident.js, which runs the compiled dist/ that `npm install` builds) to prove
// it works straight after `npm install`; the table-driven cases call runCli in-process, which is the same
// code minus the process wrapper and ~300 ms cheaper per case.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/run.ts';
import { GRADES, LEVEL } from '../../src/regimes/pboc-2025-4/grades.ts';
import { runNode, type NodeRun } from '../fakes/run-node.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/pboc-incident.js', import.meta.url));

type Run = NodeRun;

/** Spawns `node bin/pboc-incident.js ...args` with `input` on stdin (closed right after). */
function bin(args: string[], input = '', env: Record<string, string> = {}): Promise<Run> {
  return runNode([BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, input });
}

// A fixed process clock far from every case below: only an explicit `now` may decide a status.
const PROCESS_NOW = Date.parse('2030-01-01T00:00:00Z');

/** runCli in-process, with `input` as the whole of stdin. */
async function cli(args: string[], input = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdin: (async function* () {
      if (input !== '') yield input;
    })(),
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    nowMs: PROCESS_NOW,
    env: {},
  });
  return { code, stdout, stderr };
}

const json = (r: Run): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>;
const CJK = /[\u4e00-\u9fff]/;

// 较大 under Art. 9(1): a key network's main function wholly interrupted (85% > 70%) in 2 provinces for
// 20 min of peak hours (threshold 15 min). The 40 min in total also meets Art. 10(1) (一般).
const SIGNIFICANT_FACTS = {
  networks: [
    {
      name: 'payments',
      protectionLevel: 4,
      keyNetwork: true,
      financialService: true,
      outage: { provinces: 2, failureRatePercent: 85, peakMinutes: 20, totalMinutes: 40 },
    },
  ],
};

/** design.md: `{ grade, level, basis: [{ article, item, reason }], ... }`; returns the parsed output. */
function expectGradeContract(r: Run) {
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  const out = json(r);
  expect(GRADES).toContain(out.grade);
  expect(out.level).toBe(LEVEL[out.grade as (typeof GRADES)[number]]);
  expect(Array.isArray(out.basis)).toBe(true);
  const basis = out.basis as Array<Record<string, unknown>>;
  expect(basis.length).toBeGreaterThan(0);
  for (const b of basis) {
    expect(Number.isInteger(b.article)).toBe(true);
    expect(b.item === null || Number.isInteger(b.item)).toBe(true);
    expect(typeof b.reason).toBe('string');
    expect((b.reason as string).length).toBeGreaterThan(0);
  }
  return { out, basis };
}

const CONTRACT_KINDS = ['brief', 'incident', 'progress', 'final', 'revision'];
const STATUSES = ['pending', 'met', 'overdue'];

interface DeadlineOut {
  kind: string;
  dueAt: string;
  article: number;
  status: string;
}

/** design.md: `{ grade, deadlines: [{ kind, dueAt, article, status }] }`; returns the deadlines. */
function expectDeadlinesContract(r: Run): { grade: string; deadlines: DeadlineOut[] } {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = json(r);
  expect(GRADES).toContain(out.grade);
  const deadlines = out.deadlines as DeadlineOut[];
  for (const d of deadlines) {
    expect(CONTRACT_KINDS).toContain(d.kind);
    expect(d.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(Number.isInteger(d.article)).toBe(true);
    expect(STATUSES).toContain(d.status);
  }
  return { grade: out.grade as string, deadlines };
}

/** [kind, dueAt, status] triples, the part of each deadline the contract fixes. */
const brief = (ds: DeadlineOut[]) => ds.map((d) => [d.kind, d.dueAt, d.status]);

describe('the real bin (spawned)', () => {
  it('grade: a 较大 fact set, reasons in Chinese by default', async () => {
    const { out, basis } = expectGradeContract(await bin(['grade'], JSON.stringify(SIGNIFICANT_FACTS)));
    expect(out).toMatchObject({ grade: '较大', level: 3 });
    // Most severe first: Art. 9(1) decides the grade, Art. 10(1) is met as well.
    expect(basis.map((b) => [b.article, b.item])).toEqual([
      [9, 1],
      [10, 1],
    ]);
    for (const b of basis) expect(b.reason).toMatch(CJK);
    expect(basis[0]!.reason).toContain('关键网络');
    expect(basis[0]!.reason).toContain('20分钟');
  });

  it('grade (compiled): 20万 persons with the main function not disrupted stay 一般; a possible leak cites Art. 10(5)', async () => {
    const notDisrupted = { networks: [{ name: '网银', financialService: true, mainFunctionDisrupted: false, affectedNaturalPersons: 200_000 }] };
    const { out } = expectGradeContract(await bin(['grade'], JSON.stringify(notDisrupted)));
    expect(out).toMatchObject({ grade: '一般', level: 4, criteriaMet: false });
    const { out: possible, basis } = expectGradeContract(await bin(['grade'], JSON.stringify({ data: { personalInfoIncidentPossible: true } })));
    expect(possible).toMatchObject({ grade: '一般', criteriaMet: true });
    expect(basis.map((b) => [b.article, b.item])).toEqual([[10, 5]]);
  });

  it('grade --lang en: the same grade (its JSON code stays Chinese), reasons in English', async () => {
    const { out, basis } = expectGradeContract(await bin(['grade', '--lang', 'en'], JSON.stringify(SIGNIFICANT_FACTS)));
    expect(out).toMatchObject({ grade: '较大', level: 3 });
    expect(basis.map((b) => [b.article, b.item])).toEqual([
      [9, 1],
      [10, 1],
    ]);
    for (const b of basis) expect(b.reason).not.toMatch(CJK);
    expect(basis[0]!.reason).toMatch(/^Key network: .*20 min.*peak hours/);
  });

  it('deadlines: 重大 with the brief report in; only the next progress report, 2 h after the last report', async () => {
    const input = {
      grade: '重大',
      determinedAt: '2026-11-29T10:00:00+08:00',
      reports: [{ kind: 'brief', at: '2026-11-29T10:40:00+08:00' }],
      now: '2026-11-29T12:00:00+08:00',
    };
    const { grade, deadlines } = expectDeadlinesContract(await bin(['deadlines'], JSON.stringify(input)));
    expect(grade).toBe('重大');
    expect(brief(deadlines)).toEqual([
      ['brief', '2026-11-29T11:00:00+08:00', 'met'],
      ['incident', '2026-11-30T10:00:00+08:00', 'pending'],
      ['progress', '2026-11-29T12:40:00+08:00', 'pending'],
    ]);
    expect(deadlines.map((d) => d.article)).toEqual([15, 15, 16]);
  });

  it('workdays add 2026-09-30 10: across National Day and its make-up Saturday, nothing on stderr', async () => {
    const r = await bin(['workdays', 'add', '2026-09-30', '10']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ date: '2026-10-20', provisional: false });
  });

  it('workdays add 2026-12-24 10: crosses into 2027 (no official schedule yet), says so on stderr', async () => {
    const r = await bin(['workdays', 'add', '2026-12-24', '10']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ date: '2027-01-08', provisional: true });
    expect(r.stderr).toMatch(/^provisional: /);
  });

  it('output does not depend on the process time zone (TZ=America/Los_Angeles)', async () => {
    // 01:00 Shanghai on 2027-04-01 is still 03-31 in UTC and in Los Angeles; 2027 is provisional, so the
    // statutory days are computed (Qingming 2027-04-05), which is where zone bugs would show.
    const input = JSON.stringify({
      grade: '较大',
      determinedAt: '2027-03-31T23:30:00+08:00',
      resolvedAt: '2027-04-01T01:00:00+08:00',
      now: '2027-04-01T02:00:00+08:00',
    });
    const la = await bin(['deadlines'], input, { TZ: 'America/Los_Angeles' });
    const { deadlines } = expectDeadlinesContract(la);
    // 04-02 Fri = 1, 04-05 Qingming off, 04-06..09 = 2..5, 04-12..16 = 6..10; due at 24:00 of 04-16.
    expect(brief(deadlines)).toEqual([
      ['brief', '2027-04-01T00:30:00+08:00', 'overdue'],
      ['incident', '2027-04-01T23:30:00+08:00', 'pending'],
      ['final', '2027-04-17T00:00:00+08:00', 'pending'],
    ]);
    // Byte for byte what this (differently zoned, unless run in LA) test process computes.
    expect(la.stdout).toBe((await cli(['deadlines'], input)).stdout);
  });

  it('--help exits 0 with the usage on stdout', async () => {
    const r = await bin(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    for (const word of ['grade', 'deadlines', 'workdays add DATE N', '--lang']) expect(r.stdout).toContain(word);
  });

  // Representative bad input through the real process: exit 2, nothing on stdout, the field named on stderr.
  it.each([
    ['unknown field in facts', ['grade'], '{"networks":[{"name":"core","bogus":1}]}', /unknown field networks\.0\.bogus/],
    ['wrong type', ['grade'], '{"networks":[{"affectedNaturalPersons":"lots"}]}', /networks\.0\.affectedNaturalPersons: Expected number/],
    ['invalid JSON', ['grade'], '{"networks": [', /not valid JSON/],
    ['empty stdin', ['deadlines'], '', /stdin is empty/],
    ['bad date', ['workdays', 'add', '2026-02-30', '10'], '', /DATE: .*"2026-02-30"/],
  ])('%s: exit 2 naming the field', async (_label, args, input, message) => {
    const r = await bin(args, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});

describe('grade (in-process)', () => {
  it('Chinese is the default; --lang zh, --lang=zh and --lang=en are accepted', async () => {
    const input = JSON.stringify(SIGNIFICANT_FACTS);
    const zh = (await cli(['grade'], input)).stdout;
    expect((await cli(['grade', '--lang', 'zh'], input)).stdout).toBe(zh);
    expect((await cli(['--lang=zh', 'grade'], input)).stdout).toBe(zh);
    expect((await cli(['grade', '--lang=en'], input)).stdout).toBe((await cli(['grade', '--lang', 'en'], input)).stdout);
  });

  it('no criterion met: 一般 with a basis that says so (rules.md reading)', async () => {
    const { out, basis } = expectGradeContract(await cli(['grade'], '{}'));
    expect(out).toMatchObject({ grade: '一般', level: 4, criteriaMet: false });
    expect(basis).toHaveLength(1);
  });

  it.each([
    ['特别重大', 1, { data: { coreData: true } }],
    ['重大', 2, { data: { personalInfoRecords: 10_000_000 } }],
    ['较大', 3, { undeterminable: true }],
    ['一般', 4, { networks: [{ mainFunctionDisruptedMinutes: 60 }] }],
  ])('%s (level %i)', async (grade, level, facts) => {
    const { out } = expectGradeContract(await cli(['grade'], JSON.stringify(facts)));
    expect(out).toMatchObject({ grade, level });
  });
});

describe('deadlines (in-process)', () => {
  const run = async (input: object) => expectDeadlinesContract(await cli(['deadlines'], JSON.stringify(input))).deadlines;
  const T0 = '2026-11-29T10:00:00+08:00';

  it('较大, nothing reported: brief overdue after 1 h, incident pending, no progress clock below 重大', async () => {
    expect(brief(await run({ grade: '较大', determinedAt: T0, now: '2026-11-29T11:30:00+08:00' }))).toEqual([
      ['brief', '2026-11-29T11:00:00+08:00', 'overdue'],
      ['incident', '2026-11-30T10:00:00+08:00', 'pending'],
    ]);
  });

  it('status is against `now`: due at exactly now is pending, a second later overdue', async () => {
    const at = async (now: string) => (await run({ grade: '较大', determinedAt: T0, now }))[0]!.status;
    expect(await at('2026-11-29T11:00:00+08:00')).toBe('pending');
    expect(await at('2026-11-29T11:00:01+08:00')).toBe('overdue');
  });

  it('a report sent late is still met', async () => {
    const ds = await run({ grade: '较大', determinedAt: T0, reports: [{ kind: 'brief', at: '2026-11-29T11:20:00+08:00' }], now: '2026-11-29T12:00:00+08:00' });
    expect(ds[0]).toMatchObject({ kind: 'brief', status: 'met', late: true });
  });

  it('重大: one progress entry, 2 h after the latest report of any kind, overdue when that passes', async () => {
    const reports = [
      { kind: 'brief', at: '2026-11-29T10:40:00+08:00' },
      { kind: 'incident', at: '2026-11-29T11:50:00+08:00' },
      { kind: 'progress', at: '2026-11-29T13:30:00+08:00' },
    ];
    const ds = await run({ grade: '重大', determinedAt: T0, reports, now: '2026-11-29T16:00:00+08:00' });
    expect(ds.filter((d) => d.kind === 'progress')).toEqual([{ kind: 'progress', dueAt: '2026-11-29T15:30:00+08:00', article: 16, status: 'overdue' }]);
  });

  it('重大 before any report: the first progress report is due 2 h after T0', async () => {
    const ds = await run({ grade: '特别重大', determinedAt: T0, now: '2026-11-29T10:30:00+08:00' });
    expect(ds.find((d) => d.kind === 'progress')).toMatchObject({ dueAt: '2026-11-29T12:00:00+08:00', status: 'pending' });
  });

  it('once resolvedAt is set: no progress entry; the post-incident report is due at 24:00 of the 10th working day', async () => {
    const input = { grade: '重大', determinedAt: '2026-09-30T08:00:00+08:00', resolvedAt: '2026-09-30T18:00:00+08:00' };
    const pending = await run({ ...input, now: '2026-10-20T23:59:59+08:00' });
    expect(pending.map((d) => d.kind)).toEqual(['brief', 'incident', 'final']);
    expect(brief(pending).at(-1)).toEqual(['final', '2026-10-21T00:00:00+08:00', 'pending']);
    const overdue = await run({ ...input, now: '2026-10-21T00:00:01+08:00' });
    expect(overdue.at(-1)!.status).toBe('overdue');
    const met = await run({ ...input, reports: [{ kind: 'final', at: '2026-10-15T09:00:00+08:00' }], now: '2026-10-30T00:00:00+08:00' });
    expect(met.at(-1)).toMatchObject({ kind: 'final', status: 'met', late: false });
  });

  it('revision: 10 working days after PBoC feedback (Art. 23)', async () => {
    const ds = await run({ grade: '一般', determinedAt: '2026-11-02T09:00:00+08:00', resolvedAt: '2026-11-02T12:00:00+08:00', feedbackReceivedAt: '2026-11-20T15:00:00+08:00', now: '2026-11-21T00:00:00+08:00' });
    expect(brief(ds)).toEqual([
      ['final', '2026-11-17T00:00:00+08:00', 'overdue'],
      ['revision', '2026-12-05T00:00:00+08:00', 'pending'],
    ]);
  });

  it('一般 and unresolved: nothing is due yet', async () => {
    expect(await run({ grade: '一般', determinedAt: T0, now: T0 })).toEqual([]);
  });

  it('any offset in, +08:00 out; a time without an offset is Shanghai time', async () => {
    const utc = await run({ grade: '较大', determinedAt: '2026-11-29T02:00:00Z', now: '2026-11-29T02:00:00Z' });
    const local = await run({ grade: '较大', determinedAt: '2026-11-29T10:00', now: '2026-11-29T10:00' });
    expect(utc).toEqual(local);
    expect(utc[0]!.dueAt).toBe('2026-11-29T11:00:00+08:00');
  });

  it('facts raise a lower stated grade (Art. 12), and set the grade when none is stated', async () => {
    const facts = { data: { importantData: true } };
    for (const input of [{ grade: '一般', facts }, { facts }]) {
      const r = expectDeadlinesContract(await cli(['deadlines'], JSON.stringify({ ...input, determinedAt: T0, now: T0 })));
      expect(r.grade).toBe('重大');
      expect(r.deadlines.map((d) => d.kind)).toEqual(['brief', 'incident', 'progress']);
    }
  });

  it('without `now` the process clock decides', async () => {
    // PROCESS_NOW (2030) is past every deadline of 2026.
    const ds = await run({ grade: '较大', determinedAt: T0 });
    expect(ds.map((d) => d.status)).toEqual(['overdue', 'overdue']);
  });
});

describe('bad input (in-process): exit 2, nothing on stdout, a message naming the field', () => {
  const DL = (extra: object) => JSON.stringify({ determinedAt: '2026-11-29T10:00:00+08:00', ...extra });
  it.each([
    // unknown fields
    ['unknown network field', ['grade'], '{"networks":[{"bogus":true}]}', 'networks.0.bogus'],
    ['unknown top-level field', ['grade'], '{"grade":"较大"}', 'unknown field grade'],
    ['unknown outage field', ['grade'], '{"networks":[{"outage":{"provinces":1,"failureRatePercent":80,"peakMinutes":1,"totalMinutes":1,"x":1}}]}', 'networks.0.outage.x'],
    ['unknown data field', ['grade'], '{"data":{"coreData":true,"leaked":1}}', 'data.leaked'],
    // wrong types and ranges
    ['string for a count', ['grade'], '{"networks":[{"outage":{"provinces":"2","failureRatePercent":80,"peakMinutes":1,"totalMinutes":1}}]}', 'networks.0.outage.provinces'],
    ['string for a flag', ['grade'], '{"ransomwareHarm":"yes"}', 'ransomwareHarm'],
    ['negative count', ['grade'], '{"data":{"personalInfoRecords":-1}}', 'data.personalInfoRecords'],
    ['fractional count', ['grade'], '{"networks":[{"affectedOrganizations":1.5}]}', 'networks.0.affectedOrganizations'],
    ['protection level 6', ['grade'], '{"networks":[{"protectionLevel":6}]}', 'networks.0.protectionLevel'],
    ['failure rate over 100%', ['grade'], '{"networks":[{"outage":{"provinces":1,"failureRatePercent":101,"peakMinutes":1,"totalMinutes":1}}]}', 'networks.0.outage.failureRatePercent'],
    ['missing outage field', ['grade'], '{"networks":[{"outage":{"provinces":1,"failureRatePercent":80,"peakMinutes":1}}]}', 'networks.0.outage.totalMinutes'],
    ['unknown designator', ['grade'], '{"designations":[{"by":"court","grade":"较大"}]}', 'designations.0.by'],
    ['networks not an array', ['grade'], '{"networks":{}}', 'networks'],
    ['JSON null', ['grade'], 'null', '(root)'],
    ['JSON array', ['grade'], '[]', '(root)'],
    // not JSON
    ['invalid JSON', ['grade'], '{"networks": [', 'stdin is not valid JSON'],
    ['trailing garbage', ['deadlines'], '{} x', 'stdin is not valid JSON'],
    ['empty stdin', ['grade'], '', 'stdin is empty'],
    ['blank stdin', ['deadlines'], ' \n\t', 'stdin is empty'],
    // deadlines input
    ['missing determinedAt', ['deadlines'], '{"grade":"较大"}', 'determinedAt'],
    ['nonexistent determinedAt', ['deadlines'], DL({ determinedAt: '2026-02-30T10:00' }), 'determinedAt'],
    ['now not a time', ['deadlines'], DL({ now: 'yesterday' }), 'now'],
    ['unknown grade', ['deadlines'], DL({ grade: '严重' }), 'grade'],
    ['unknown report kind', ['deadlines'], DL({ reports: [{ kind: 'memo', at: '2026-11-29T10:30' }] }), 'reports.0.kind'],
    ['report without a time', ['deadlines'], DL({ reports: [{ kind: 'brief' }] }), 'reports.0.at'],
    ['unknown field in deadlines facts', ['deadlines'], DL({ facts: { networks: [{ bogus: 1 }] } }), 'facts.networks.0.bogus'],
    ['unknown deadlines field', ['deadlines'], DL({ t0: 'x' }), 'unknown field t0'],
    ['resolvedAt beyond the calendar (2099)', ['deadlines'], DL({ resolvedAt: '2150-01-01T00:00:00+08:00' }), 'resolvedAt'],
    ['feedbackReceivedAt before the calendar (1901)', ['deadlines'], DL({ feedbackReceivedAt: '1800-12-20' }), 'feedbackReceivedAt'],
    ['committed date beyond the calendar', ['deadlines'], DL({ reports: [{ kind: 'preliminary', at: '2026-12-02', committedDate: '2200-01-01' }] }), 'reports.0.committedDate'],
    // workdays arguments
    ['nonexistent date', ['workdays', 'add', '2026-02-30', '10'], '', 'DATE'],
    ['slashed date', ['workdays', 'add', '2026/09/30', '10'], '', 'DATE'],
    ['date beyond the calendar', ['workdays', 'add', '2200-01-01', '3'], '', 'DATE'],
    ['N not a number', ['workdays', 'add', '2026-09-30', 'ten'], '', 'N:'],
    ['N zero', ['workdays', 'add', '2026-09-30', '0'], '', 'N:'],
    ['N negative', ['workdays', 'add', '2026-09-30', '-1'], '', 'N:'],
    ['N past 2099', ['workdays', 'add', '2026-09-30', '100000'], '', 'N:'],
    ['N missing', ['workdays', 'add', '2026-09-30'], '', 'usage: pboc-incident workdays add DATE N'],
    ['unknown workdays verb', ['workdays', 'sub', '2026-09-30', '1'], '', 'usage: pboc-incident workdays add DATE N'],
    // options and commands
    ['bad --lang', ['grade', '--lang', 'fr'], '{}', '--lang must be zh or en, got "fr"'],
    ['bad --lang=', ['--lang=de', 'grade'], '{}', '--lang must be zh or en, got "de"'],
    ['--lang without a value', ['grade', '--lang'], '{}', '--lang must be zh or en'],
    ['unknown command', ['grades'], '{}', 'unknown command "grades"'],
  ])('%s', async (_label, args, input, field) => {
    const r = await cli(args, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain(field);
  });

  it('no command: a usage error, the usage on stderr, exit 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage:');
  });

  it.each([[['grade', '--lnag', 'en']], [['deadlines', 'extra']]])('%j: a stray argument is an error, not ignored', async (args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('takes no arguments');
    expect(r.stdout).toBe('');
  });

  it.each([[['-h']], [['help']], [['grade', '--help']]])('%j exits 0 with the usage', async (args) => {
    const r = await cli(args);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Usage:');
  });
});
