import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/conversation/commands.ts';
import { parseCount, parseDuration, parsePercent, parseTime, parseYesNo } from '../../src/conversation/parse.ts';
import { step } from '../../src/conversation/step.ts';
import { newSession } from '../../src/conversation/types.ts';
import { InputError, parseFacts } from '../../src/regimes/pboc-2025-4/facts.ts';
import { grade } from '../../src/regimes/pboc-2025-4/grading.ts';
import { botConfig } from '../fakes/chat.ts';

const NOW = Date.parse('2026-11-30T06:00:00Z');
// Text that looks like what people type: digits, units, CJK, punctuation, spaces.
const typed = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[0-9０-９.,，:：\- 万亿千百十一二三四五六七八九零两半小时分钟天前后昨今hHmMsdDkK%％/TZ+]{0,24}$/),
  fc.constantFrom('10:05', '30分钟前', '120万', '1.2m', '12,000', '是', '不确定', '2026-11-29 10:05', '', ' ', '\u0000', '🙂'),
);

describe('property: parsers never throw and always answer ok or a typed error', () => {
  it.each([
    ['parseCount', (s: string) => parseCount(s)],
    ['parseDuration', (s: string) => parseDuration(s)],
    ['parsePercent', (s: string) => parsePercent(s)],
    ['parseYesNo', (s: string) => parseYesNo(s)],
    ['parseTime', (s: string) => parseTime(s, NOW)],
  ])('%s', (_name, parse) => {
    fc.assert(fc.property(typed, (s) => {
      const r = parse(s);
      if (r.ok) return r.value !== undefined;
      return typeof r.error.code === 'string' && r.error.input === s;
    }), { numRuns: 2000 });
  });

  it('parseCount accepts only safe non-negative integers', () => {
    fc.assert(fc.property(typed, (s) => {
      const r = parseCount(s);
      return !r.ok || (Number.isSafeInteger(r.value) && r.value >= 0);
    }), { numRuns: 2000 });
  });

  it('parseTime never returns a time more than 5 minutes in the future', () => {
    fc.assert(fc.property(typed, (s) => {
      const r = parseTime(s, NOW);
      return !r.ok || r.value <= NOW + 5 * 60_000;
    }), { numRuns: 2000 });
  });
});

describe('property: the command parser and the step never throw', () => {
  const config = botConfig();
  it('parseCommand returns a command or a typed error for any text', () => {
    fc.assert(fc.property(fc.oneof(typed, fc.array(fc.constantFrom('report', 'set', 'confirm', 'via', 'email', 'by', 'phone', 'contact', '报告', '简要', '自然人', 'x', '1'), { maxLength: 6 }).map((w) => w.join(' '))), (s) => {
      const r = parseCommand(s);
      return r.ok ? typeof r.command.name === 'string' : typeof r.error.code === 'string';
    }), { numRuns: 3000 });
  });

  it('step answers any command text with replies and no exception', () => {
    fc.assert(fc.property(typed, (s) => {
      const r = step({ input: { kind: 'command', text: s, user: 'u', conversation: 'c' }, session: newSession('zh-CN'), incident: null, open: [], nowMs: NOW, config, newId: 'INC-1' });
      return r.replies.length > 0;
    }), { numRuns: 1000 });
  });
});

describe('property: the Facts schema', () => {
  it('arbitrary JSON is either valid Facts or an InputError naming a field', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      try {
        grade(parseFacts(v));
        return true;
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).message.length > 0;
      }
    }), { numRuns: 2000 });
  });

  it('generated valid Facts always grade to one of the four grades with a basis', () => {
    const count = fc.nat({ max: 200_000_000 });
    const facts = fc.record({
      networks: fc.array(fc.record({
        keyNetwork: fc.boolean(), financialService: fc.boolean(), affectedNaturalPersons: count, affectedOrganizations: count,
        outage: fc.record({ provinces: fc.nat({ max: 34 }), failureRatePercent: fc.double({ min: 0, max: 100, noNaN: true }), peakMinutes: fc.nat({ max: 1000 }), totalMinutes: fc.nat({ max: 2000 }) }),
      }, { requiredKeys: [] }), { maxLength: 3 }),
      data: fc.record({ coreData: fc.boolean(), personalInfoRecords: count, sensitivePersonalInfoRecords: count }, { requiredKeys: [] }),
      ransomwareHarm: fc.boolean(),
      undeterminable: fc.boolean(),
    }, { requiredKeys: [] });
    fc.assert(fc.property(facts, (f) => {
      const r = grade(parseFacts(f));
      return ['特别重大', '重大', '较大', '一般'].includes(r.grade) && r.basis.length > 0 && r.basis[0]!.grade === r.grade;
    }), { numRuns: 2000 });
  });
});
