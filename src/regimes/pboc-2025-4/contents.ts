import { both, type Localized } from '../../i18n/index.ts';
import { atLeast, type Grade } from './grades.ts';

export type ReportContentKind = 'brief' | 'incident' | 'progress' | 'immediate' | 'final' | 'preliminary' | 'revision';

export const ITEM_IDS = [
  // Art. 19 ¶1: the brief report.
  'initialGrade', 'occurredAt', 'category', 'networks', 'dataCentres', 'reportingInstitution', 'reporter',
  // Art. 19 ¶1: the incident report adds.
  'impactScope', 'measures', 'attackAnalysis',
  // Art. 19 ¶2: the progress report adds.
  'latestGrade', 'impactChange', 'handlingProgress', 'nextSteps', 'coordinationNeeded',
  // Art. 19 ¶3: the post-incident report.
  'finalGrade', 'handlingHistory', 'lossAssessment', 'rootCause', 'lessons', 'improvements', 'signer',
  // Art. 20: personal information involved.
  'piRemedies', 'piNotification', 'piMitigationAdvice',
  // Art. 21-22: 较大 and above.
  'accountability', 'mitigationClaims',
  // Art. 17: a preliminary report names the committed date.
  'committedDate', 'preliminaryReason',
] as const;
export type ItemId = (typeof ITEM_IDS)[number];

export interface RequiredItem {
  id: ItemId;
  article: number;
  label: Localized;
  optional?: boolean; // only when it applies, e.g. coordination needed, mitigation claimed
}

export interface ContentContext {
  grade: Grade;
  personalInfo: boolean; // personal information leaked, tampered with or lost (Art. 20)
  networkAttack: boolean; // a network-attack incident (Art. 19 ¶1)
}

const item = (id: ItemId, article: number, optional = false): RequiredItem => ({
  id, article, label: both(`item.${id}`), ...(optional ? { optional } : {}),
});

const BRIEF: ItemId[] = ['initialGrade', 'occurredAt', 'category', 'networks', 'dataCentres', 'reportingInstitution', 'reporter'];

/** The items a report of `kind` must contain, given the incident (Art. 17, 19-22). */
export function requiredItems(kind: ReportContentKind, ctx: ContentContext): RequiredItem[] {
  const brief = BRIEF.map((id) => item(id, 19));
  switch (kind) {
    case 'brief':
      return brief;
    case 'incident':
      return [...brief, item('impactScope', 19), item('measures', 19), ...(ctx.networkAttack ? [item('attackAnalysis', 19)] : [])];
    case 'progress':
    case 'immediate': {
      const out = [...brief, item('latestGrade', 19), item('impactChange', 19), item('handlingProgress', 19), item('nextSteps', 19), item('coordinationNeeded', 19, true)];
      // Art. 20 ¶2: for 重大 and above, the personal-information items come early, in progress reports.
      if (ctx.personalInfo && atLeast(ctx.grade, '重大')) out.push(...piItems());
      return out;
    }
    case 'final':
    case 'revision': {
      const out = [
        item('finalGrade', 19), item('handlingHistory', 19), item('lossAssessment', 19), item('rootCause', 19),
        item('lessons', 19), item('improvements', 19), item('reportingInstitution', 19), item('reporter', 19), item('signer', 19),
      ];
      if (ctx.personalInfo) out.push(...piItems());
      if (atLeast(ctx.grade, '较大')) out.push(item('accountability', 21), item('mitigationClaims', 22, true));
      return out;
    }
    case 'preliminary':
      return [item('committedDate', 17), item('preliminaryReason', 17), ...brief];
  }
}

function piItems(): RequiredItem[] {
  return [item('piRemedies', 20), item('piNotification', 20), item('piMitigationAdvice', 20)];
}
