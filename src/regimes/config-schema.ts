// The institution file's `profile:` (which regimes bind the institution, and how) and `regimes:` (overrides of the
// regimes' unverified values) blocks. Strict like the rest of the file: an unknown key is refused, naming the keys
// that exist; messages in Chinese first, then English.
import { z } from 'zod';
import type { RegimeProfile, RegimeSettings } from './port.ts';
import { UNVERIFIED_SETTINGS, flattenRegimeSettings } from './settings.ts';

const REGULATORS = ['pboc', 'nfra', 'csrc'] as const;

/** Refuses keys outside `shape` with a message naming the keys that exist (both languages). */
function onlyKnownKeys<T extends z.ZodRawShape>(shape: T, what: { zh: string; en: string }) {
  const known = Object.keys(shape);
  return z
    .object(shape)
    .passthrough()
    .superRefine((obj, ctx) => {
      for (const key of Object.keys(obj)) {
        if (!known.includes(key)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `${what.zh}中没有此项（可用：${known.join('、')}）/ not a ${what.en} setting (expected one of: ${known.join(', ')})` });
        }
      }
    })
    .transform((obj) => Object.fromEntries(Object.entries(obj).filter(([k]) => known.includes(k))) as z.infer<z.ZodObject<T>>);
}

const text = (zh: string, en: string) => z.string({ invalid_type_error: `应为文字 / ${en}` }).trim().min(1, `不能为空 / must not be empty (${zh})`);
const flag = (zh: string, en: string) => z.boolean({ invalid_type_error: `应为 true 或 false（${zh}）/ expected true or false (${en})` });

export const RegimeProfileSchema = onlyKnownKeys(
  {
    ciiOperator: flag('是否为关键信息基础设施运营者', 'a critical information infrastructure operator?').optional(),
    ciiProtectionDepartment: text('关键信息基础设施保护工作部门', 'expected text: the CII protection department').optional(),
    centralOrgan: flag('是否为中央和国家机关', 'a central or state organ?').optional(),
    province: text('所在省份', 'expected text: the province').optional(),
    regulators: z
      .array(z.enum(REGULATORS, { errorMap: () => ({ message: `应为 pboc、nfra 或 csrc / expected pboc, nfra or csrc` }) }), { invalid_type_error: '应为列表，如 [nfra] / expected a list such as [nfra]' })
      .refine((l) => new Set(l).size === l.length, '监管机构重复 / a regulator is listed twice')
      .optional(),
    netCapitalYuan: z
      .number({ invalid_type_error: '资本净额应为数字（元）/ net capital must be a number of yuan' })
      .finite()
      .positive('资本净额应大于 0 / net capital must be greater than 0')
      .optional(),
  },
  { zh: '机构概况（profile）', en: 'profile' },
).superRefine((p, ctx) => {
  if (p.ciiProtectionDepartment !== undefined && p.ciiOperator !== true) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ciiProtectionDepartment'], message: '仅关键信息基础设施运营者（ciiOperator: true）设置保护工作部门 / only a CII operator (ciiOperator: true) has a protection department' });
  }
});

function settingValue(unit: 'minutes' | 'hours' | 'persons') {
  const n = z.number({ invalid_type_error: `应为数字 / expected a number (${unit})` }).finite().positive(`应大于 0 / must be greater than 0 (${unit})`);
  return unit === 'hours' ? n : n.int(`应为整数 / must be a whole number (${unit})`);
}

const BY_REGIME = new Map<string, Record<string, z.ZodTypeAny>>();
for (const s of UNVERIFIED_SETTINGS) {
  const [regime, name] = s.key.split('.') as [string, string];
  BY_REGIME.set(regime, { ...(BY_REGIME.get(regime) ?? {}), [name]: settingValue(s.unit).optional() });
}

/** `regimes: { cac: { majorCiiWholeMinutes: 120 }, csrc: { writtenReportHours: 24 } }` */
export const RegimeSettingsSchema = onlyKnownKeys(
  Object.fromEntries([...BY_REGIME].map(([regime, shape]) => [regime, onlyKnownKeys(shape, { zh: `${regime} 未核实数值`, en: `regimes.${regime}` }).optional()])),
  { zh: '未核实数值配置（regimes）', en: 'regimes' },
);

export type RegimeProfileConfig = z.infer<typeof RegimeProfileSchema>;
export type RegimeSettingsConfig = z.infer<typeof RegimeSettingsSchema>;

/** The profile the regimes read; the province falls back to the institution's location. */
export function regimeProfileFrom(profile: RegimeProfileConfig | undefined, location?: string): RegimeProfile {
  const p = profile ?? {};
  const province = p.province ?? location;
  return { ...p, ...(province !== undefined ? { province } : {}) };
}

/** The `regimes:` block as RegimeInput.settings (`{ 'cac.majorCiiWholeMinutes': 120 }`). */
export function regimeSettingsFrom(block: RegimeSettingsConfig | undefined): RegimeSettings {
  return flattenRegimeSettings(block as Record<string, Record<string, number | undefined>> | undefined);
}
