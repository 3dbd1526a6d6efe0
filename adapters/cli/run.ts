import { z } from 'zod';
import { parseLang, type Lang } from '../../src/i18n/index.ts';
import { computeDeadlines, REPORT_KINDS, type Deadline, type DeadlineResult, type ReportKind } from '../../src/regimes/pboc-2025-4/deadlines.ts';
import { describeIssues, FactsSchema, InputError, parseFacts } from '../../src/regimes/pboc-2025-4/facts.ts';
import { GRADES, higher, type Grade } from '../../src/regimes/pboc-2025-4/grades.ts';
import { grade as gradeFacts, type GradeResult } from '../../src/regimes/pboc-2025-4/grading.ts';
import { isoShanghai, parseIso, shanghaiDate } from '../../src/calendar/time.ts';
import { addWorkingDays, createCalendar, isValidDate, type Calendar, type HolidayOverrides } from '../../src/calendar/working-days.ts';
import { REGIME_IDS, type Obligation, type RegimeSettings } from '../../src/regimes/port.ts';
import { allObligations } from '../../src/regimes/registry.ts';
import { withCacDesignation } from '../../src/regimes/cac/regime.ts';
import { isRegimeReportKind, REGIME_REPORT_KINDS } from '../../src/regimes/kinds.ts';
import type { InstitutionRule } from '../../src/regimes/pboc-2025-4/institution-rules.ts';

export interface CliIo {
  stdin: AsyncIterable<string | Buffer>;
  stdout: (s: string | Buffer) => void;
  stderr: (s: string) => void;
  nowMs: number;
  env: Record<string, string | undefined>;
  stdoutIsTTY?: boolean;
}

/** What the CLI takes from the institution configuration: stricter rules and holiday overrides. */
export interface CliContext {
  rules: InstitutionRule[];
  holidays: HolidayOverrides;
  /** The institution file's `regimes:` overrides of unverified values (RegimeInput.settings). */
  regimeSettings?: RegimeSettings;
}

const HELP = `pboc-incident: PBoC Order [2025] No. 4 grading and deadlines, and every regime's obligations (JSON in on stdin, JSON out)

Usage:
  pboc-incident grade [--lang zh|en]            Facts on stdin -> { grade, level, basis, ... }
  pboc-incident deadlines [--lang zh|en]        { facts?, grade?, publicOpinion?, determinedAt, resolvedAt?,
                                                  reports?: [{ kind, at }], feedbackReceivedAt?, now? } on stdin
                                                -> { grade, deadlines: [{ kind, dueAt, article, status }] }
  pboc-incident obligations [--lang zh|en]      { profile, facts?, cac?, nfra?, suspectedCrime?, personalInfoIncident?,
                                                  discoveredAt, determinedAt?, resolvedAt?, reports?: [{ regime, kind,
                                                  at }], now? } -> every regime's { obligations: [{ regime, kind,
                                                  dueAt, dueDate?, due?, article, recipient, status, verified }] }
  pboc-incident workdays add DATE N             the date N working days after DATE (DATE not counted)
  pboc-incident init [--after INC-YYYYMMDD-NN]  create the bot's store (REDIS_URL or SQLITE_PATH) and print its
                                                identity; refuses when one is there (see init --help)
  pboc-incident ledger export --from D --to D --format csv|xlsx [--out FILE]
                                                the Art. 25 ledger from the bot's store (see ledger --help)
  pboc-incident dossier INC-YYYYMMDD-NN --out FILE [--at ISO] [--lang zh|en]
                                                one incident's inspection dossier (ZIP with a SHA-256 manifest) from
                                                the bot's store (see dossier --help)
  pboc-incident backup --to FILE                a copy of the bot's ledger (SQLite file) taken while it runs,
                                                verified, with each incident's hash-chain head (see backup --help)
  pboc-incident verify [--file FILE] [--identity ID]
                                                check the store (or a backup) is whole: folds, versions, report
                                                ids, high-water mark, identity, hash chains (see verify --help)
  pboc-incident holidays import [NOTICE_FILE] [--year YYYY] [--write INSTITUTION_FILE]
                                                a State Council holiday notice (stdin or NOTICE_FILE) -> the
                                                institution file's holidays: block, printed or merged into the file
  pboc-incident --help

Times are ISO 8601; a time without an offset is read as Asia/Shanghai. Output times carry +08:00.
Exit codes: 0 ok, 2 bad input (the message names the field), 1 internal error.
`;

const IsoSchema = z.string().refine((s) => !Number.isNaN(parseIso(s)), 'expected an ISO 8601 time, e.g. 2026-11-29T10:05:00+08:00');

export const DeadlinesInputSchema = z
  .object({
    facts: FactsSchema.optional(),
    grade: z.enum(GRADES).optional(),
    publicOpinion: z.boolean().optional(),
    determinedAt: IsoSchema,
    resolvedAt: IsoSchema.optional(),
    reports: z.array(z.object({ kind: z.enum(REPORT_KINDS), at: IsoSchema, committedDate: z.string().refine(isValidDate, 'expected YYYY-MM-DD').optional() }).strict()).optional(),
    feedbackReceivedAt: IsoSchema.optional(),
    now: IsoSchema.optional(),
  })
  .strict();

const Count = z.number().int().min(0);
const Amount = z.number().finite().min(0);
const Percent = z.number().finite().min(0).max(100);

export const ObligationsInputSchema = z
  .object({
    profile: z
      .object({
        ciiOperator: z.boolean().optional(),
        ciiProtectionDepartment: z.string().trim().min(1).optional(),
        centralOrgan: z.boolean().optional(),
        province: z.string().trim().min(1).optional(),
        regulators: z.array(z.enum(['pboc', 'nfra', 'csrc'])).optional(),
        netCapitalYuan: z.number().finite().positive().optional(),
      })
      .strict(),
    facts: FactsSchema.optional(),
    cac: z
      .object({
        personalInfoPersons: Count.optional(),
        directLossYuan: Amount.optional(),
        populationAffectedPersons: Count.optional(),
        provincePopulationSharePercent: Percent.optional(),
        cityPopulationSharePercent: Percent.optional(),
        ciiWholeOutageMinutes: Amount.optional(),
        ciiMainFunctionOutageMinutes: Amount.optional(),
        designation: z.enum(GRADES).optional(),
        reachedSignificantAt: IsoSchema.optional(),
        causeKnown: z.boolean().optional(),
        impactKnown: z.boolean().optional(),
      })
      .strict()
      .optional(),
    nfra: z
      .object({
        lossYuan: Amount.optional(),
        expectedLossYuan: Amount.optional(),
        importantDataLost: z.boolean().optional(),
        importantSystemOutageMinutes: Amount.optional(),
        provinces: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    suspectedCrime: z.boolean().optional(),
    personalInfoIncident: z.boolean().optional(),
    personalInfoHarmAvoided: z.boolean().optional(),
    discoveredAt: IsoSchema,
    determinedAt: IsoSchema.optional(),
    resolvedAt: IsoSchema.optional(),
    reports: z
      .array(
        z
          .object({ regime: z.enum(REGIME_IDS), kind: z.string(), at: IsoSchema, committedDate: z.string().refine(isValidDate, 'expected YYYY-MM-DD').optional() })
          .strict()
          .superRefine((r, ctx) => {
            if (!isRegimeReportKind(r.regime, r.kind)) {
              ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['kind'], message: `expected one of ${REGIME_REPORT_KINDS[r.regime].join(', ')} for regime ${r.regime}, got "${r.kind}"` });
            }
            if (r.committedDate !== undefined && !(r.regime === 'pboc' && r.kind === 'preliminary')) {
              ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['committedDate'], message: 'only a pboc preliminary report carries a committedDate' });
            }
          }),
      )
      .optional(),
    now: IsoSchema.optional(),
  })
  .strict();

async function readStdin(stdin: AsyncIterable<string | Buffer>): Promise<unknown> {
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  if (text.trim() === '') throw new InputError('stdin is empty: expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`stdin is not valid JSON: ${(e as Error).message}`);
  }
}

/** The working-day calendar covers 1901-2099: a date outside it is bad input naming `field` (exit 2), not an internal error. */
function supported<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`${field}: ${e.message}`, [field]);
    throw e;
  }
}

function basisOut(r: GradeResult, lang: Lang) {
  return r.basis.map((b) => ({
    article: b.article,
    item: b.item,
    reason: b.reason[lang],
    grade: b.grade,
    ...(b.network !== undefined ? { network: b.network } : {}),
    ...(b.rule !== undefined ? { rule: b.rule } : {}),
  }));
}

function deadlineOut(d: Deadline) {
  return {
    kind: d.kind,
    dueAt: isoShanghai(d.dueAtMs),
    article: d.article,
    status: d.status,
    ...(d.metAtMs !== undefined ? { metAt: isoShanghai(d.metAtMs), late: d.late } : {}),
    ...(d.dueDate !== undefined ? { dueDate: d.dueDate } : {}),
    ...(d.provisional ? { provisional: true } : {}),
  };
}

function gradeCommand(input: unknown, lang: Lang, ctx: CliContext) {
  const r = gradeFacts(parseFacts(input), ctx.rules);
  return {
    grade: r.grade,
    level: r.level,
    basis: basisOut(r, lang),
    criteriaMet: r.criteriaMet,
    statutoryGrade: r.statutoryGrade,
    institutionRules: r.institutionRules,
    networks: r.networks,
    unsettled: r.unsettled,
  };
}

type DeadlinesInput = z.infer<typeof DeadlinesInputSchema>;

/** PBoC's grade and clocks from a deadlines-shaped input: what `deadlines` prints and `obligations` carries as PBoC's. */
function pbocDeadlinesOf(i: DeadlinesInput, ctx: CliContext, nowMs: number, calendar: Calendar): { grade: Grade; result: DeadlineResult } {
  // The stated grade never undercuts what the facts give (Art. 12).
  const fromFacts = i.facts ? gradeFacts(i.facts, ctx.rules).grade : undefined;
  const g: Grade = i.grade && fromFacts ? higher(i.grade, fromFacts) : (i.grade ?? fromFacts ?? '一般');
  const t0Ms = parseIso(i.determinedAt);
  // Art. 17 looks up to 40 working days past resolvedAt, Art. 23 10 past feedbackReceivedAt.
  if (i.resolvedAt) supported('resolvedAt', () => addWorkingDays(shanghaiDate(parseIso(i.resolvedAt!)), 40, calendar));
  if (i.feedbackReceivedAt) supported('feedbackReceivedAt', () => addWorkingDays(shanghaiDate(parseIso(i.feedbackReceivedAt!)), 10, calendar));
  (i.reports ?? []).forEach((r, k) => {
    if (r.committedDate !== undefined) supported(`reports.${k}.committedDate`, () => calendar.isWorkday(r.committedDate!));
  });
  const result = computeDeadlines(
    {
      grade: g,
      publicOpinion: i.publicOpinion,
      t0Ms,
      resolvedAtMs: i.resolvedAt ? parseIso(i.resolvedAt) : undefined,
      reports: (i.reports ?? []).map((r) => ({ kind: r.kind, atMs: parseIso(r.at), committedDate: r.committedDate })),
      feedbackReceivedAtMs: i.feedbackReceivedAt ? parseIso(i.feedbackReceivedAt) : undefined,
    },
    i.now ? parseIso(i.now) : nowMs,
    calendar,
  );
  return { grade: g, result };
}

function deadlinesCommand(input: unknown, lang: Lang, ctx: CliContext, nowMs: number) {
  const parsed = DeadlinesInputSchema.safeParse(input);
  if (!parsed.success) throw describeIssues(parsed.error);
  const { grade: g, result } = pbocDeadlinesOf(parsed.data, ctx, nowMs, createCalendar(ctx.holidays));
  return {
    grade: g,
    deadlines: result.deadlines.map(deadlineOut),
    immediate: result.immediate.map(deadlineOut),
    preliminary: result.preliminary ? { ...deadlineOut(result.preliminary), limitDate: result.preliminary.limitDate } : null,
    warnings: result.warnings.map((w) => w[lang]),
  };
}

function obligationOut(o: Obligation, lang: Lang) {
  return {
    regime: o.regime,
    kind: o.kind,
    title: o.title[lang],
    dueAt: o.dueAtMs === null ? null : isoShanghai(o.dueAtMs),
    ...(o.dueDate !== undefined ? { dueDate: o.dueDate } : {}),
    ...(o.due !== undefined ? { due: o.due } : {}),
    ...(o.overdueAtMs !== undefined ? { overdueAt: isoShanghai(o.overdueAtMs) } : {}),
    article: o.article[lang],
    recipient: o.recipient[lang],
    status: o.status,
    ...(o.metAtMs !== undefined ? { metAt: isoShanghai(o.metAtMs), ...(o.late !== undefined ? { late: o.late } : {}) } : {}),
    ...(o.provisional ? { provisional: true } : {}),
    verified: o.verified,
    ...(o.unverified && o.unverified.length > 0 ? { unverified: o.unverified } : {}),
    ...(o.grade !== undefined ? { grade: o.grade } : {}),
    ...(o.basis !== undefined ? { basis: o.basis[lang] } : {}),
  };
}

function obligationsCommand(input: unknown, lang: Lang, ctx: CliContext, nowMs: number) {
  const parsed = ObligationsInputSchema.safeParse(input);
  if (!parsed.success) throw describeIssues(parsed.error);
  const i = parsed.data;
  const calendar = createCalendar(ctx.holidays);
  const pbocReports = (i.reports ?? []).filter((r) => r.regime === 'pboc').map(({ kind, at, committedDate }) => ({ kind: kind as ReportKind, at, ...(committedDate !== undefined ? { committedDate } : {}) }));
  // PBoC's T0 is the moment the incident met 较大 as the institution knew it; without one, discovery (rules.md).
  // A grade the 网信部门 designated sets PBoC's too (Art. 7-10 item 5).
  const facts = withCacDesignation(i.facts, i.cac);
  const { result } = pbocDeadlinesOf({ facts, determinedAt: i.determinedAt ?? i.discoveredAt, resolvedAt: i.resolvedAt, reports: pbocReports, now: i.now }, ctx, nowMs, calendar);
  const discoveredAtMs = parseIso(i.discoveredAt);
  const { reachedSignificantAt, ...cac } = i.cac ?? {};
  const obligations = supported('discoveredAt', () =>
    allObligations({
      profile: i.profile,
      ...(facts ? { facts } : {}),
      cac: { ...cac, ...(reachedSignificantAt !== undefined ? { reachedSignificantAtMs: parseIso(reachedSignificantAt) } : {}) },
      ...(i.nfra ? { nfra: i.nfra } : {}),
      suspectedCrime: i.suspectedCrime,
      personalInfoIncident: i.personalInfoIncident,
      personalInfoHarmAvoided: i.personalInfoHarmAvoided,
      discoveredAtMs,
      ...(i.determinedAt ? { determinedAtMs: parseIso(i.determinedAt) } : {}),
      ...(i.resolvedAt ? { resolvedAtMs: parseIso(i.resolvedAt) } : {}),
      reports: (i.reports ?? []).map((r) => ({ regime: r.regime, kind: r.kind, atMs: parseIso(r.at) })),
      nowMs: i.now ? parseIso(i.now) : nowMs,
      calendar,
      pbocDeadlines: result,
      settings: ctx.regimeSettings ?? {},
    }),
  );
  return { obligations: obligations.map((o) => obligationOut(o, lang)) };
}

function workdaysCommand(args: string[], ctx: CliContext, io: CliIo) {
  const [verb, date, n] = args;
  if (verb !== 'add' || date === undefined || n === undefined || args.length !== 3) {
    throw new InputError('usage: pboc-incident workdays add DATE N (e.g. workdays add 2026-09-30 10)');
  }
  if (!isValidDate(date)) throw new InputError(`DATE: expected a calendar date YYYY-MM-DD, got "${date}"`, ['DATE']);
  if (!/^\d+$/.test(n) || Number(n) < 1) throw new InputError(`N: expected a whole number of working days >= 1, got "${n}"`, ['N']);
  const calendar = createCalendar(ctx.holidays);
  supported('DATE', () => calendar.isWorkday(date));
  const r = supported('N', () => addWorkingDays(date, Number(n), calendar));
  if (r.provisional) io.stderr(`provisional: the result crosses a year without an official holiday schedule (weekends and fixed statutory holidays only)\n`);
  return { date: r.date, provisional: r.provisional };
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: string[], io: CliIo, ctx: CliContext = { rules: [], holidays: {} }): Promise<number> {
  // The ledger takes its own flags (including --lang) and reads the bot's store.
  // Loaded only here: grade, deadlines and workdays never load the store or the spreadsheet library.
  if (argv[0] === 'ledger') {
    const { runLedgerExport, openExistingStore } = await import('./ledger.ts');
    return runLedgerExport(argv.slice(1), { openStore: () => openExistingStore(io.env, (m) => io.stderr(`${m}\n`)), stdout: io.stdout, stderr: io.stderr, ...(io.stdoutIsTTY ? { stdoutIsTTY: true } : {}) });
  }
  if (argv[0] === 'dossier') return (await import('./dossier.ts')).runDossier(argv.slice(1), { env: io.env, nowMs: io.nowMs, stdout: (t) => io.stdout(t), stderr: io.stderr });
  if (argv[0] === 'backup') return (await import('./backup.ts')).runBackup(argv.slice(1), { env: io.env, stdout: (t) => io.stdout(t), stderr: io.stderr });
  if (argv[0] === 'verify') return (await import('./backup.ts')).runVerify(argv.slice(1), { env: io.env, stdout: (t) => io.stdout(t), stderr: io.stderr });
  if (argv[0] === 'init') return (await import('./init.ts')).runInit(argv.slice(1), { env: io.env, nowMs: io.nowMs, stdout: (t) => io.stdout(t), stderr: io.stderr });
  if (argv[0] === 'holidays' && !argv.includes('--help')) return (await import('./holidays.ts')).runHolidays(argv.slice(1), { stdin: io.stdin, stdout: (t) => io.stdout(t), stderr: io.stderr });
  const args = [...argv];
  let lang: Lang = 'zh-CN';
  const li = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  if (li >= 0) {
    const value = args[li]!.includes('=') ? args[li]!.split('=')[1] : args[li + 1];
    const parsed = parseLang(value);
    if (!parsed) {
      io.stderr(`error: --lang must be zh or en, got "${value ?? ''}"\n`);
      return 2;
    }
    lang = parsed;
    args.splice(li, args[li]!.includes('=') ? 1 : 2);
  }
  const [command, ...rest] = args;
  if (command === undefined) {
    io.stderr(HELP); // no command is a usage error: the help goes where errors go
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    io.stdout(HELP);
    return 0;
  }
  try {
    // grade and deadlines take nothing but --lang: a stray or misspelled flag must not be silently ignored.
    if ((command === 'grade' || command === 'deadlines' || command === 'obligations') && rest.length > 0) {
      throw new InputError(`${command} takes no arguments (got "${rest.join(' ')}"); the input is JSON on stdin, options: --lang zh|en`);
    }
    let out: unknown;
    if (command === 'grade') out = gradeCommand(await readStdin(io.stdin), lang, ctx);
    else if (command === 'deadlines') out = deadlinesCommand(await readStdin(io.stdin), lang, ctx, io.nowMs);
    else if (command === 'obligations') out = obligationsCommand(await readStdin(io.stdin), lang, ctx, io.nowMs);
    else if (command === 'workdays') out = workdaysCommand(rest, ctx, io);
    else throw new InputError(`unknown command "${command}": expected grade, deadlines, obligations, workdays, init, holidays, ledger, dossier, backup or verify (see --help)`);
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`error: ${e.message}\n`);
      return 2;
    }
    io.stderr(`internal error: ${(e as Error).message}\n`);
    return 1;
  }
}
