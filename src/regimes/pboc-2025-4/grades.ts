// The four grades of Art. 6, with their levels (1 = most severe).
export const GRADES = ['特别重大', '重大', '较大', '一般'] as const;
export type Grade = (typeof GRADES)[number];

export const LEVEL: Record<Grade, 1 | 2 | 3 | 4> = { 特别重大: 1, 重大: 2, 较大: 3, 一般: 4 };

export const GRADE_EN: Record<Grade, string> = {
  特别重大: 'Especially Major',
  重大: 'Major',
  较大: 'Significant',
  一般: 'General',
};

/** True when a is at least as severe as b. */
export function atLeast(a: Grade, b: Grade): boolean {
  return LEVEL[a] <= LEVEL[b];
}

/** The more severe of two grades (Art. 12: the highest wins). */
export function higher(a: Grade, b: Grade): Grade {
  return LEVEL[a] <= LEVEL[b] ? a : b;
}

export function gradeOfLevel(level: number): Grade {
  const g = GRADES[level - 1];
  if (!g) throw new RangeError(`no grade of level ${level}`);
  return g;
}
