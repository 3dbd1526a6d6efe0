import { describe, expect, it } from 'vitest';
import { checkChannel, needsReceiptConfirmation } from '../../../src/regimes/pboc-2025-4/channels.ts';
import { requiredItems } from '../../../src/regimes/pboc-2025-4/contents.ts';
import { route } from '../../../src/regimes/pboc-2025-4/routing.ts';

describe('routing (Art. 14)', () => {
  it.each([
    ['joint-stock-bank', false, '较大', 'pboc-head-office', null],
    ['joint-stock-bank', true, '较大', 'pboc-branch', '省级分行', ['中国人民银行苏州市分行']],
    ['joint-stock-bank', true, '较大', 'pboc-branch', null, ['中国人民银行上海总部']], // not a city branch: no relay note
    ['large-state-bank', true, '重大', 'pboc-branch', '上报至中国人民银行'],
    ['systemic-payment-institution', false, '一般', 'pboc-head-office', null],
    ['personal-credit-agency', false, '较大', 'pboc-head-office', null],
    ['pboc-fmi-operator', true, '较大', 'pboc-head-office', null],
    ['other', false, '一般', 'pboc-branch', null],
    ['securities', false, '较大', 'csrc-office-relay', '省级分行', ['中国人民银行宁波市分行']],
    ['other', false, '较大', 'pboc-branch', null, ['中国人民银行深圳市分行']],
    ['other', false, '较大', 'pboc-branch', null, ['中国人民银行北京市分行']],
    ['fund', true, '特别重大', 'csrc-office-relay', '上报至中国人民银行'],
  ] as const)('%s (branch %s, %s) -> %s', (type, branch, grade, recipient, relay, recipients: readonly string[] = []) => {
    const r = route(type, branch, grade, undefined, recipients);
    expect(r.recipient).toBe(recipient);
    if (relay) expect(r.relay!['zh-CN']).toContain(relay);
    else expect(r.relay).toBeNull();
  });
});

describe('channels (Art. 18)', () => {
  it('email and fax need a phone or IM confirmation of receipt; the others do not', () => {
    expect(['phone', 'im', 'email', 'fax', 'system', 'written'].filter((c) => needsReceiptConfirmation(c as never))).toEqual(['email', 'fax']);
  });

  it.each([
    ['brief', 'email', false, { ok: true, needsConfirmation: true }],
    ['brief', 'phone', false, { ok: true, needsConfirmation: false }],
    ['brief', 'email', true, { ok: false, reason: 'work-secrets', article: 18 }],
    ['brief', 'im', true, { ok: false, reason: 'work-secrets', article: 18 }],
    ['brief', 'fax', true, { ok: true, needsConfirmation: true }],
    ['final', 'email', false, { ok: false, reason: 'written-required', article: 18 }],
    ['final', 'written', false, { ok: true, needsConfirmation: false }],
    ['final', 'system', false, { ok: true, needsConfirmation: false }],
  ] as const)('%s via %s (work secrets %s)', (kind, channel, workSecrets, expected) => {
    expect(checkChannel(kind, channel, { workSecrets })).toEqual(expected);
  });

  it('an institution may add internet channels (tighten), e.g. the designated system', () => {
    expect(checkChannel('brief', 'system', { workSecrets: true, internetChannels: ['im', 'email', 'system'] })).toMatchObject({ ok: false, reason: 'work-secrets' });
  });
});

describe('report contents (Art. 19-22)', () => {
  const ids = (...a: Parameters<typeof requiredItems>) => requiredItems(...a).map((i) => i.id);
  const base = { grade: '较大' as const, personalInfo: false, networkAttack: false };

  it('brief: the seven items of Art. 19 ¶1', () => {
    expect(ids('brief', base)).toEqual(['initialGrade', 'occurredAt', 'category', 'networks', 'dataCentres', 'reportingInstitution', 'reporter']);
  });

  it('incident report adds scope, measures, and for an attack the analysis', () => {
    expect(ids('incident', base).slice(7)).toEqual(['impactScope', 'measures']);
    expect(ids('incident', { ...base, networkAttack: true }).slice(7)).toEqual(['impactScope', 'measures', 'attackAnalysis']);
  });

  it('progress: Art. 20 items only for 重大 and above with personal information', () => {
    expect(ids('progress', { ...base, personalInfo: true })).not.toContain('piRemedies');
    expect(ids('progress', { ...base, grade: '重大', personalInfo: true })).toEqual(expect.arrayContaining(['piRemedies', 'piNotification', 'piMitigationAdvice']));
  });

  it('post-incident: accountability for 较大 and above (Art. 21), personal-information items (Art. 20)', () => {
    expect(ids('final', { ...base, grade: '一般' })).not.toContain('accountability');
    expect(ids('final', base)).toContain('accountability');
    expect(ids('final', { ...base, personalInfo: true })).toContain('piNotification');
    expect(ids('final', base)).toEqual(expect.arrayContaining(['finalGrade', 'handlingHistory', 'lossAssessment', 'rootCause', 'lessons', 'improvements', 'signer']));
  });

  it('preliminary names the committed date (Art. 17)', () => {
    expect(ids('preliminary', base).slice(0, 2)).toEqual(['committedDate', 'preliminaryReason']);
  });
});
