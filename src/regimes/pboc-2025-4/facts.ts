import { z } from 'zod';
import { GRADES } from './grades.ts';

const count = z.number().int().nonnegative();
const minutes = z.number().nonnegative();

export const OutageSchema = z
  .object({
    provinces: count, // provincial-level regions affected
    failureRatePercent: z.number().min(0).max(100), // (unprocessed + failed) / normal volume
    peakMinutes: minutes, // minutes of the interruption inside peak hours
    totalMinutes: minutes,
  })
  .strict();

export const NetworkFactsSchema = z
  .object({
    name: z.string().optional(),
    protectionLevel: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
    keyNetwork: z.boolean().optional(), // Art. 7-9 item 1 class
    financialService: z.boolean().optional(),
    mainFunctionDisruptedMinutes: minutes.optional(),
    // Art. 7-10 item 2: whether a main function was disrupted so business could not proceed; false rules item 2 out.
    mainFunctionDisrupted: z.boolean().optional(),
    outage: OutageSchema.optional(),
    affectedNaturalPersons: count.optional(),
    affectedOrganizations: count.optional(),
  })
  .strict();

export const DataFactsSchema = z
  .object({
    coreData: z.boolean().optional(),
    importantData: z.boolean().optional(),
    socialHarm: z.boolean().optional(),
    sensitivePersonalInfoRecords: count.optional(),
    personalInfoRecords: count.optional(),
    creditOrPropertyRecords: count.optional(),
    personalInfoIncident: z.boolean().optional(),
    // Art. 10(5) "可能发生": a leak, tampering or loss that may have happened (answered 不确定).
    personalInfoIncidentPossible: z.boolean().optional(),
  })
  .strict();

export const DesignationSchema = z
  .object({ by: z.enum(['cac', 'police', 'pboc']), grade: z.enum(GRADES) })
  .strict();

/** design.md's Facts contract: every field optional, unknown fields rejected. */
export const FactsSchema = z
  .object({
    networks: z.array(NetworkFactsSchema).optional(),
    data: DataFactsSchema.optional(),
    ransomwareHarm: z.boolean().optional(),
    designations: z.array(DesignationSchema).optional(),
    undeterminable: z.boolean().optional(),
  })
  .strict();

export type Outage = z.infer<typeof OutageSchema>;
export type NetworkFacts = z.infer<typeof NetworkFactsSchema>;
export type DataFacts = z.infer<typeof DataFactsSchema>;
export type Designation = z.infer<typeof DesignationSchema>;
export type Facts = z.infer<typeof FactsSchema>;

/** A validation failure, with the dotted path of every offending field. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** Formats zod issues as "networks.0.outage.provinces: Expected number, received string". */
export function describeIssues(error: z.ZodError, prefix = ''): InputError {
  const fields: string[] = [];
  const lines = error.issues.map((issue) => {
    let path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      fields.push(...keys);
      return `unknown field ${keys.join(', ')}`;
    }
    path = path || '(root)';
    fields.push(path);
    return `${path}: ${issue.message}`;
  });
  return new InputError(lines.join('; '), fields);
}

export function parseFacts(input: unknown): Facts {
  const result = FactsSchema.safeParse(input);
  if (!result.success) throw describeIssues(result.error);
  return result.data;
}
