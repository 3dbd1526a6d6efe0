// Grading throughput on 100,000 random but valid Facts (seeded, so every run grades the same set).
// Team rule: figures are ratios against a baseline measured in the same run, here FactsSchema.parse
// over the same data, so results compare across machines. Run alone: node --import tsx bench/grading.ts
import { pathToFileURL } from 'node:url';
import { FactsSchema, parseFacts, type Facts } from '../src/regimes/pboc-2025-4/facts.ts';
import { GRADES, type Grade } from '../src/regimes/pboc-2025-4/grades.ts';
import { grade } from '../src/regimes/pboc-2025-4/grading.ts';

export const FACT_COUNT = 100_000;
const SEED = 20250801; // the regulation's entry into force
const ROUNDS = 2; // timed passes per phase, interleaved, after an untimed one; the fastest counts

/** mulberry32: a small, fast, seeded PRNG; returns floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random valid Facts, weighted towards the thresholds of Art. 7-10 and 31 so every branch is exercised. */
export function generateFacts(count: number, seed = SEED): unknown[] {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p: number) => rnd() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const flag = () => pick([true, false, undefined]); // undefined: unanswered (Art. 12)
  // Exactly at a threshold, one either side, or anywhere from half to one and a half times it.
  const near = (thresholds: readonly number[]) => {
    const t = pick(thresholds);
    return chance(0.6) ? Math.max(0, t + int(-1, 1)) : int(Math.floor(t / 2), Math.floor(t * 1.5));
  };
  const optional = <T>(p: number, make: () => T): T | undefined => (chance(p) ? make() : undefined);

  const network = () => {
    const peakMinutes = near([15, 30, 90, 180, 360]);
    return {
      name: optional(0.7, () => `net-${int(1, 999)}`),
      protectionLevel: optional(0.5, () => pick([1, 2, 3, 4, 5] as const)),
      keyNetwork: flag(),
      financialService: flag(),
      mainFunctionDisruptedMinutes: optional(0.3, () => near([60])),
      outage: optional(0.6, () => ({
        provinces: int(0, 3),
        // Art. 31(4): whole interruption only above 70%, so 70 itself is common here.
        failureRatePercent: chance(0.5) ? pick([69.9, 70, 70.1]) : int(0, 100),
        peakMinutes,
        totalMinutes: peakMinutes + near([0, 30, 60]),
      })),
      affectedNaturalPersons: optional(0.3, () => near([10_000, 100_000, 1_000_000, 10_000_000])),
      affectedOrganizations: optional(0.2, () => near([1_000, 5_000, 100_000, 1_000_000])),
    };
  };

  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const data = optional(0.4, () => ({
      coreData: optional(0.05, () => chance(0.5)),
      importantData: optional(0.1, () => chance(0.5)),
      socialHarm: optional(0.2, () => chance(0.5)),
      sensitivePersonalInfoRecords: optional(0.2, () => near([1_000_000, 10_000_000])),
      personalInfoRecords: optional(0.4, () => near([50_000, 10_000_000, 100_000_000])),
      creditOrPropertyRecords: optional(0.2, () => near([500])),
      personalInfoIncident: optional(0.2, () => chance(0.5)),
    }));
    const facts = {
      networks: optional(0.85, () => Array.from({ length: int(1, 3) }, network)),
      data,
      ransomwareHarm: optional(0.1, () => chance(0.5)),
      designations: optional(0.05, () =>
        Array.from({ length: int(1, 2) }, () => ({ by: pick(['cac', 'police', 'pboc'] as const), grade: pick(GRADES) })),
      ),
      undeterminable: optional(0.03, () => true),
    };
    // Drop the keys left undefined, as JSON from stdin would.
    out.push(JSON.parse(JSON.stringify(facts)));
  }
  return out;
}

interface Phase {
  label: string;
  pass: () => number; // one pass over the whole set; returns a checksum so the work cannot be optimised away
  bestSeconds: number;
}

/** Times one pass and keeps the fastest seen. */
function timePass(phase: Phase): number {
  const start = process.hrtime.bigint();
  const sink = phase.pass();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (!Number.isFinite(sink)) throw new Error(`${phase.label}: no result`);
  phase.bestSeconds = Math.min(phase.bestSeconds, seconds);
  return sink;
}

export async function benchGrading(): Promise<{ name: string; rows: Array<Record<string, string | number>> }> {
  const raw = generateFacts(FACT_COUNT);
  // An untimed pass first: it validates (the generator must only produce valid Facts; this throws
  // otherwise), takes the grade distribution, and warms the JIT for the timed passes.
  const parsed: Facts[] = raw.map((f) => FactsSchema.parse(f));
  const distribution = new Map<Grade, number>(GRADES.map((g) => [g, 0]));
  for (const f of parsed) {
    const g = grade(f).grade;
    distribution.set(g, (distribution.get(g) ?? 0) + 1);
  }

  const phases: Phase[] = [
    { label: 'FactsSchema.parse (baseline)', bestSeconds: Infinity, pass: () => raw.reduce<number>((n, f) => n + (FactsSchema.parse(f).networks?.length ?? 0), 0) },
    { label: 'grade() on parsed Facts', bestSeconds: Infinity, pass: () => parsed.reduce((n, f) => n + grade(f).level, 0) },
    { label: 'parseFacts + grade() (the CLI path)', bestSeconds: Infinity, pass: () => raw.reduce<number>((n, f) => n + grade(parseFacts(f)).level, 0) },
  ];
  // Interleaved rounds, so drift (turbo, GC, other load) hits every phase alike.
  for (let round = 0; round < ROUNDS; round++) for (const phase of phases) timePass(phase);

  const baseline = FACT_COUNT / phases[0]!.bestSeconds;
  const rows: Array<Record<string, string | number>> = phases.map((p) => {
    const perSecond = FACT_COUNT / p.bestSeconds;
    return { measure: p.label, 'per second': Math.round(perSecond), 'vs baseline': `${(perSecond / baseline).toFixed(2)}x` };
  });
  for (const g of GRADES) {
    const n = distribution.get(g) ?? 0;
    rows.push({ measure: `grade ${g}`, count: n, share: `${((100 * n) / FACT_COUNT).toFixed(1)}%` });
  }
  return { name: `grading: ${FACT_COUNT.toLocaleString('en')} seeded random Facts, best of ${ROUNDS} passes`, rows };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runBenches } = await import('./run.ts');
  await runBenches([benchGrading]);
}
