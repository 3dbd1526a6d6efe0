import { z } from 'zod';
import type { Facts } from './facts.ts';
import { GRADES, type Grade } from './grades.ts';

/**
 * An institution's stricter grading standard (Art. 6), layered over the statutory floor.
 * A condition reads a dot path of the Facts; `networks.*.x` matches when any network matches.
 */
export type Condition =
  | { path: string; op: '>=' | '>' | '<=' | '<' | '==' | '!='; value: number | boolean | string }
  | { all: Condition[] }
  | { any: Condition[] };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ path: z.string().min(1), op: z.enum(['>=', '>', '<=', '<', '==', '!=']), value: z.union([z.number(), z.boolean(), z.string()]) }).strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
  ]),
);

export const InstitutionRuleSchema = z
  .object({ id: z.string().min(1), name: z.string().min(1), grade: z.enum(GRADES), when: ConditionSchema })
  .strict();
export type InstitutionRule = { id: string; name: string; grade: Grade; when: Condition };

function valuesAt(root: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [root];
  if (root === null || typeof root !== 'object') return [];
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') return Array.isArray(root) ? root.flatMap((v) => valuesAt(v, rest)) : [];
  return valuesAt((root as Record<string, unknown>)[head], rest);
}

function compare(actual: unknown, op: string, expected: unknown): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case '==': return actual === expected;
    case '!=': return actual !== expected;
  }
  if (typeof actual !== 'number' || typeof expected !== 'number') return false;
  switch (op) {
    case '>=': return actual >= expected;
    case '>': return actual > expected;
    case '<=': return actual <= expected;
    case '<': return actual < expected;
  }
  return false;
}

export function evaluate(cond: Condition, facts: Facts): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluate(c, facts));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, facts));
  return valuesAt(facts, cond.path.split('.')).some((v) => compare(v, cond.op, cond.value));
}

export function matchInstitutionRules(facts: Facts, rules: readonly InstitutionRule[]): InstitutionRule[] {
  return rules.filter((r) => evaluate(r.when, facts));
}
