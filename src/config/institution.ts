// The institution file (design.md "Configuration is data"): who reports, to whom, about which networks.
// Validated with zod at start-up; a bad file stops start-up with a ConfigError naming the setting and field.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { AlertsConfigSchema, checkAlertsConfig } from '../alerts/routes.ts';
import { CHANNELS, DEFAULT_INTERNET_CHANNELS } from '../regimes/pboc-2025-4/channels.ts';
import { redactSecrets } from './redact.ts';
import { requireOnFirstUse } from '../require-on-first-use.ts';
import { describeIssues } from '../regimes/pboc-2025-4/facts.ts';
import { InstitutionRuleSchema } from '../regimes/pboc-2025-4/institution-rules.ts';
import { PeakWindowSchema } from '../regimes/pboc-2025-4/outage-clock.ts';
import { derivePeakWindows, parseHourlyProfileCsv, type HourlyProfile, type PeakDerivation } from '../regimes/pboc-2025-4/peak-profile.ts';
import { InstitutionTypeSchema } from '../regimes/pboc-2025-4/routing.ts';
import { createCalendar, isValidDate } from '../calendar/working-days.ts';
import { RegimeProfileSchema, RegimeSettingsSchema, regimeProfileFrom, regimeSettingsFrom } from '../regimes/config-schema.ts';
import type { RegimeProfile, RegimeSettings } from '../regimes/port.ts';
import type { BotConfig } from './bot-config.ts';
import { DEFAULT_POLICY, type ReminderPolicy } from '../reminders/planner.ts';

/**
 * The YAML parser, loaded on first use: a start from the bundled example reads the JSON the build validated and
 * never parses YAML, so the parser (a fifth of what a console start would compile) stays unread.
 */
const YAML = requireOnFirstUse<typeof import('yaml')>('yaml');

/** Alias expansions allowed in the institution file (an institution file needs a handful). */
const MAX_YAML_ALIASES = 100;

/** The environment variable naming the institution file. */
export const INSTITUTION_CONFIG = 'INSTITUTION_CONFIG';

/** The example shipped with the bot, used when INSTITUTION_CONFIG is unset. */
export const BUNDLED_EXAMPLE_URL = new URL('../../config/institution.example.yaml', import.meta.url);
/** The example as the build validated it (bin/build.js writes it beside the YAML in dist/): read instead of parsing the YAML. */
export const VALIDATED_EXAMPLE_URL = new URL('../../config/institution.example.validated.json', import.meta.url);

/** An operator-caused configuration failure; the message names the setting and the field to fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(redactSecrets(message)); // a token pasted into a field is quoted back as [redacted]
    this.name = 'ConfigError';
  }
}

const text = z.string().trim().min(1);

const InstitutionSchema = z
  .object({
    name: text,
    type: InstitutionTypeSchema, // Art. 14 routing class
    isBranch: z.boolean().default(false),
    location: text.optional(), // e.g. 上海: where the branch that receives reports is
  })
  .strict();

const RecipientSchema = z
  .object({
    name: text, // e.g. 中国人民银行上海总部
    phone: text.optional(),
    fax: text.optional(),
    email: text.optional(),
    im: text.optional(),
    contact: text.optional(), // the person at PBoC
  })
  .strict();

const ReporterSchema = z.object({ name: text, phone: text.optional() }).strict();

const ProtectionLevelSchema = z
  .number()
  .int()
  .min(1)
  .max(5)
  .transform((n) => n as 1 | 2 | 3 | 4 | 5); // 等级保护 level, the same 1-5 as the Facts

const HourlyVolumes = z.array(z.number().nonnegative()).length(24);
// Either a CSV file (hour,workdays,restdays,holidays; relative to the institution file) or the volumes inline.
const PeakProfileSchema = z
  .object({ file: text.optional(), workdays: HourlyVolumes.optional(), restdays: HourlyVolumes.optional(), holidays: HourlyVolumes.optional() })
  .strict()
  .refine((p) => (p.file === undefined) !== (p.workdays === undefined && p.restdays === undefined && p.holidays === undefined), {
    message: 'give either file (a CSV of the hourly volumes) or the volumes per kind of day (workdays, restdays, holidays)',
  });

const NetworkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a slug: lowercase letters, digits and single hyphens'),
    name: text,
    protectionLevel: ProtectionLevelSchema,
    keyNetwork: z.boolean(), // Art. 7-9 item 1 class
    financialService: z.boolean(), // Art. 10(1)-(2)
    peakWindows: z.array(PeakWindowSchema).default([]), // Art. 31(3): peak hours by the institution's own method
    peakProfile: PeakProfileSchema.optional(), // Art. 31(3): hourly volumes from which the 3% rule derives the windows
    dataCentres: z.array(text).optional(), // Art. 19: data centres involved, named in the brief report
    aliases: z.array(text).optional(), // other names users may type for this network
  })
  .strict()
  .refine((n) => !(n.peakProfile && n.peakWindows.length > 0), {
    path: ['peakProfile'],
    message: 'give peakProfile (the 3% rule of Art. 31(3)) or peakWindows (the institution\'s own method), not both',
  });

/** Adds an issue at `${index}.id` for every id already seen earlier in the list. */
function uniqueIds(what: string) {
  return (items: ReadonlyArray<{ id: string }>, ctx: z.RefinementCtx): void => {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const earlier = first.get(item.id);
      if (earlier === undefined) first.set(item.id, i);
      else ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'id'], message: `duplicate ${what} id "${item.id}" (first used at index ${earlier})` });
    });
  };
}

const DateListSchema = z.array(z.string()).optional();

const HolidaysSchema = z
  .record(
    z.string().regex(/^\d{4}$/, 'year must be YYYY'),
    // provisional: imported from a partial notice (`holidays import --partial`); the year's deadlines stay 暂定.
    z.object({ holidays: DateListSchema, workdays: DateListSchema, provisional: z.boolean().optional() }).strict(),
  )
  .superRefine((years, ctx) => {
    for (const [year, entry] of Object.entries(years)) {
      const seen = new Map<string, string>();
      let datesOk = true;
      for (const list of ['holidays', 'workdays'] as const) {
        (entry[list] ?? []).forEach((date, i) => {
          const path = [year, list, i];
          if (!isValidDate(date)) {
            datesOk = false;
            ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `"${date}" is not an existing date as YYYY-MM-DD` });
          } else if (!date.startsWith(`${year}-`)) {
            datesOk = false;
            ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `${date} is listed under year ${year}` });
          } else if (seen.has(date)) {
            datesOk = false;
            ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `${date} is already listed in ${year}.${seen.get(date)}` });
          } else {
            seen.set(date, list);
          }
        });
      }
      if (!datesOk) continue;
      // The calendar's own checks (supported year range) so that nothing fails later at run time.
      try {
        createCalendar({ [year]: entry });
      } catch (err) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [year], message: err instanceof Error ? err.message : String(err) });
      }
    }
  });

// Art. 18 ¶1: work secrets never go over internet channels. Configuration may add channels, never drop these.
const InternetChannelsSchema = z
  .array(z.enum(CHANNELS))
  .default([...DEFAULT_INTERNET_CHANNELS])
  .superRefine((channels, ctx) => {
    const missing = DEFAULT_INTERNET_CHANNELS.filter((c) => !channels.includes(c));
    if (missing.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must include ${DEFAULT_INTERNET_CHANNELS.join(' and ')} (missing ${missing.join(', ')}): configuration may add internet channels, never remove these (Art. 18)`,
      });
    }
  });

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');
const Minutes = z.number().int().min(0).max(24 * 60);
// One obligation's reminder cadence before its deadline (src/reminders/planner.ts Cadence); unset fields keep the defaults.
const CadenceSchema = z
  .object({
    beforeMinutes: z.array(Minutes).optional(),
    workdaysBefore: z.array(z.number().int().min(0).max(10)).optional(),
    at: HHMM.optional(),
    firstAfterMinutes: Minutes.optional(),
  })
  .strict();
const OBLIGATIONS = ['brief', 'incident', 'progress', 'immediate', 'final', 'preliminary', 'revision', 'risk-feedback', 'confirm'] as const;
// One rung of the escalation ladder once an obligation is overdue.
const RungSchema = z
  .object({
    afterMinutes: z.number().int().min(0).max(30 * 24 * 60),
    role: text,
    roleEn: text.optional(),
    mentions: z.array(text).default([]), // platform user ids (real mentions) or plain names
  })
  .strict();
const RemindersSchema = z
  .object({
    ...(Object.fromEntries(OBLIGATIONS.map((o) => [o, CadenceSchema.optional()])) as Record<(typeof OBLIGATIONS)[number], z.ZodOptional<typeof CadenceSchema>>),
    escalation: z.array(RungSchema).min(1).max(10).optional(),
    digestAt: z.array(HHMM).max(6).optional(), // working days: one digest per conversation at each of these times
    quietHours: z
      .object({ from: HHMM, to: HHMM, afterOverdueHours: z.number().int().min(0).max(24 * 30).default(24), nightPosts: z.boolean().default(false) })
      .strict()
      .optional(),
  })
  .strict();

export const InstitutionConfigSchema = z
  .object({
    institution: InstitutionSchema,
    recipients: z.array(RecipientSchema).min(1), // PBoC (or CSRC relay) offices and contacts
    reporter: ReporterSchema.optional(), // default reporter and contact for drafts (Art. 19)
    responsible: z.array(text).optional(), // chat user ids or names mentioned in reminders
    // Who may see the whole ledger in chat (platform user ids: slack:U0123, feishu:ou_x); everyone else sees the
    // incidents of the conversation they ask in.
    ledgerAdmins: z.array(z.string().regex(/^[a-z]+:[A-Za-z0-9_-]+$/, 'must be a platform user id such as slack:U0123ABCD or feishu:ou_xxx')).default([]),
    networks: z.array(NetworkSchema).min(1).superRefine(uniqueIds('network')),
    gradingRules: z
      .array(InstitutionRuleSchema)
      .default([])
      .superRefine(uniqueIds('grading rule')), // Art. 6 stricter standard
    holidays: HolidaysSchema.optional(), // extra 调休 data, e.g. a year chinese-days does not know yet
    internetChannels: InternetChannelsSchema,
    reminders: RemindersSchema.optional(), // cadence per obligation, over the defaults in src/reminders/planner.ts
    language: z.enum(['zh-CN', 'en']).default('zh-CN'),
    alerts: AlertsConfigSchema.optional(), // monitoring alerts -> networks (src/alerts/routes.ts)
    // Who sees every conversation's incidents on the compliance page (everyone else sees their own conversations').
    complianceOfficers: z.array(z.string().regex(/^(slack|feishu|wecom|dingtalk|console|proxy):\S{1,200}$/, 'must be a platform-qualified user such as slack:U012ABC, feishu:ou_x or proxy:jane')).optional(),
    profile: RegimeProfileSchema.optional(), // which regimes bind the institution besides PBoC (src/regimes/)
    regimes: RegimeSettingsSchema.optional(), // overrides of the regimes' unverified values (未核实)
  })
  .strict();

/** A network as the bot runs with it: windows derived from a peakProfile come with their derivation. */
export type NetworkConfig = z.infer<typeof NetworkSchema> & { peakDerivation?: PeakDerivation[] };
export type InstitutionConfig = Omit<z.infer<typeof InstitutionConfigSchema>, 'networks'> & { networks: NetworkConfig[] };
/** The file as written, before defaults are applied. */
export type InstitutionConfigInput = z.input<typeof InstitutionConfigSchema>;
export type RecipientConfig = InstitutionConfig['recipients'][number];

/**
 * Expands union failures into the issues of the branch that came closest (fewest issues), so that a
 * bad grading condition names its real field instead of "Invalid input".
 */
function expandUnions(issues: readonly z.ZodIssue[]): z.ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== z.ZodIssueCode.invalid_union || issue.unionErrors.length === 0) return [issue];
    const branches = issue.unionErrors.map((e) => expandUnions(e.issues));
    const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
    return best.length > 0 ? best : [issue];
  });
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** Says what was found for a malformed string (PeakWindowSchema's bare "HH:mm" becomes `expected HH:mm, got "25:00"`). */
function withReceived(issues: readonly z.ZodIssue[], input: unknown): z.ZodIssue[] {
  return issues.map((issue) => {
    if (issue.code !== z.ZodIssueCode.invalid_string) return issue;
    const expected = issue.message === 'HH:mm' ? 'expected HH:mm' : issue.message;
    return { ...issue, message: `${expected}, got ${JSON.stringify(valueAt(input, issue.path))}` };
  });
}

/** Replaces each peakProfile by the windows the 3% rule derives from it (Art. 31(3)), keeping the derivation. */
function withDerivedPeaks(config: z.infer<typeof InstitutionConfigSchema>, where: string, baseDir: string): InstitutionConfig {
  const networks = config.networks.map((n, i): NetworkConfig => {
    if (!n.peakProfile) return n;
    const field = `networks.${i}.peakProfile`;
    let profile: HourlyProfile;
    if (n.peakProfile.file !== undefined) {
      const path = resolve(baseDir, n.peakProfile.file);
      let raw: string;
      try {
        raw = readFileSync(path, 'utf8');
      } catch (err) {
        throw new ConfigError(`${where}: ${field}.file: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        profile = parseHourlyProfileCsv(raw);
      } catch (err) {
        throw new ConfigError(`${where}: ${field}.file ${n.peakProfile.file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    } else {
      const { file: _file, ...inline } = n.peakProfile;
      profile = inline;
    }
    const { windows, derivation } = derivePeakWindows(profile);
    return { ...n, peakWindows: windows, peakDerivation: derivation };
  });
  return { ...config, networks };
}

/**
 * Validates parsed file content; `where` labels the source in messages, e.g. `INSTITUTION_CONFIG=/x/inst.yaml`;
 * a peakProfile file is read relative to `baseDir` (the institution file's folder).
 */
export function parseInstitutionConfig(input: unknown, where: string, baseDir = process.cwd()): InstitutionConfig {
  if (input === null || input === undefined) throw new ConfigError(`${where}: the file is empty`);
  const result = InstitutionConfigSchema.safeParse(input);
  if (!result.success) {
    const described = describeIssues(new z.ZodError(withReceived(expandUnions(result.error.issues), input)));
    throw new ConfigError(`${where}: ${described.message}`);
  }
  const [alertProblem] = result.data.alerts ? checkAlertsConfig(result.data.alerts, result.data.networks.map((n) => n.id)) : [];
  if (alertProblem) throw new ConfigError(`${where}: ${alertProblem[0]}: ${alertProblem[1]}`);
  return withDerivedPeaks(result.data, where, baseDir);
}

function parseFile(path: string, where: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml' && ext !== '.json') {
    throw new ConfigError(`${where}: unsupported file type "${ext || '(none)'}"; use .yaml, .yml or .json`);
  }
  if (!existsSync(path)) throw new ConfigError(`${where}: file not found (${path})`);
  if (!statSync(path).isFile()) throw new ConfigError(`${where}: not a file (${path})`);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${where}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (ext === '.json') {
    try {
      return JSON.parse(raw) as unknown;
    } catch (err) {
      throw new ConfigError(`${where}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const doc = YAML().parseDocument(raw, { prettyErrors: true });
  const [first] = doc.errors;
  if (first) throw new ConfigError(`${where}: invalid YAML: ${first.message}`);
  try {
    // Aliases are bounded: a "billion laughs" file of nested aliases would otherwise expand without end.
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  } catch (err) {
    throw new ConfigError(`${where}: invalid YAML in ${path}: ${err instanceof Error ? err.message : String(err)} (at most ${MAX_YAML_ALIASES} alias expansions)`);
  }
}

/**
 * Loads and validates the institution file named by INSTITUTION_CONFIG (relative to opts.cwd, else the
 * process cwd); when unset or empty, the bundled example, with bundledExample = true so replies can say so.
 * Throws ConfigError on a missing, unparsable or invalid file.
 */
export function loadInstitutionConfig(
  env: { INSTITUTION_CONFIG?: string },
  opts: { cwd?: string } = {},
): { config: InstitutionConfig; source: string; bundledExample: boolean } {
  const setting = env.INSTITUTION_CONFIG?.trim();
  if (!setting) {
    const source = fileURLToPath(BUNDLED_EXAMPLE_URL);
    const where = `bundled example ${source} (${INSTITUTION_CONFIG} unset)`;
    const config = validatedExample(source) ?? parseInstitutionConfig(parseFile(source, where), where, dirname(source));
    return { config, source, bundledExample: true };
  }
  const source = resolve(opts.cwd ?? process.cwd(), setting);
  const where = `${INSTITUTION_CONFIG}=${setting}`;
  return { config: parseInstitutionConfig(parseFile(source, where), where, dirname(source)), source, bundledExample: false };
}

interface ValidatedExample { yaml: string; config: InstitutionConfig }

/**
 * The bundled example as the build validated it, when the YAML beside it is still the one it was made from; else
 * null (no build, a hand-edited copy: the YAML is parsed and validated as any institution file). Parsing the YAML
 * and validating it was the largest part of a console start; JSON.parse of the result is a fraction of it.
 */
function validatedExample(source: string): InstitutionConfig | null {
  try {
    const cached = JSON.parse(readFileSync(fileURLToPath(VALIDATED_EXAMPLE_URL), 'utf8')) as ValidatedExample;
    return cached.yaml === readFileSync(source, 'utf8') ? cached.config : null;
  } catch {
    return null;
  }
}

/**
 * What the build writes at VALIDATED_EXAMPLE_URL: the bundled example validated, with the YAML it came from. null
 * when a start must not use it: the result does not come back from JSON exactly, or it depends on another file
 * (a peakProfile CSV, which could change without the YAML changing).
 */
export function validatedExampleJson(): string | null {
  const source = fileURLToPath(BUNDLED_EXAMPLE_URL);
  const yaml = readFileSync(source, 'utf8');
  const raw = YAML().parse(yaml) as { networks?: Array<{ peakProfile?: { file?: unknown } }> };
  if (raw.networks?.some((n) => n?.peakProfile?.file !== undefined)) return null;
  const where = `bundled example ${source}`;
  const config = parseInstitutionConfig(parseFile(source, where), where, dirname(source));
  const json = JSON.stringify({ yaml, config } satisfies ValidatedExample);
  return isDeepStrictEqual((JSON.parse(json) as ValidatedExample).config, config) ? json : null;
}

/** The reminder policy of the institution file's `reminders:` block, over the defaults. */
export function reminderPolicyOf(r: InstitutionConfig['reminders']): ReminderPolicy {
  if (!r) return DEFAULT_POLICY;
  const { escalation, digestAt, quietHours, ...perObligation } = r;
  return {
    ...DEFAULT_POLICY,
    ...(escalation ? { escalation: escalation.map((e) => ({ afterMinutes: e.afterMinutes, role: e.role, ...(e.roleEn ? { roleEn: e.roleEn } : {}), mentions: e.mentions })) } : {}),
    ...(digestAt ? { digestAt } : {}),
    ...(quietHours ? { quiet: quietHours } : {}),
    perObligation,
  };
}

/** What the bot runs with: the validated institution file and the calendar and rules derived from it. */
export function botConfigOf(institution: InstitutionConfig, bundledExample: boolean): BotConfig {
  return {
    institution,
    bundledExample,
    assess: {
      networks: institution.networks, rules: institution.gradingRules, calendar: createCalendar(institution.holidays ?? {}),
      // The other regimes run for an institution that declares its profile (src/incident/obligations.ts).
      ...(institution.profile ? { profile: regimeProfileOf(institution) } : {}),
      ...(institution.regimes ? { regimeSettings: regimeSettingsOf(institution) } : {}),
    },
    reminders: reminderPolicyOf(institution.reminders),
  };
}

/** The institution's regime profile (`profile:`), its province defaulting to `institution.location`. */
export function regimeProfileOf(config: Pick<InstitutionConfig, 'profile' | 'institution'>): RegimeProfile {
  return regimeProfileFrom(config.profile, config.institution.location);
}

/** The institution's overrides of unverified regime values (`regimes:`), as RegimeInput.settings. */
export function regimeSettingsOf(config: Pick<InstitutionConfig, 'regimes'>): RegimeSettings {
  return regimeSettingsFrom(config.regimes);
}
