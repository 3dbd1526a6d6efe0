import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCards } from '../../adapters/feishu/render.ts';
import { unescapeMrkdwn } from '../../adapters/slack/render/mrkdwn.ts';
import { answerModal, openValue } from '../../adapters/slack/render/question.ts';
import { renderMessages } from '../../adapters/slack/render/index.ts';
import { cut, splitText } from '../../adapters/text.ts';
import type { IncidentCard, QuestionView, Reply } from '../../src/conversation/types.ts';
import { decodeEntities } from '../adapters/feishu/harness.ts';
import { messageViolation, modalViolation } from './block-kit.ts';
import { feishuMessageViolation } from './feishu-card.ts';

// Properties over the longest things a user can set (titles and answers up to the adapters' 20,000-character
// cap on incoming text, report narratives of 4,000, option lists from the institution file): every payload the
// renderers produce is within the platform's documented limits, and everything the user typed is still there.

const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TRICKY = ['&', '&amp;', '<!channel>', '<@U1>', '*', '_', '~', '`', '😀', '👩‍👩‍👧', '：', '（', '\n', '  ', '#', '- ', '1. ', '|', '\\', '报送对象', 'abc'];
const piece = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'grapheme', maxLength: 40 }));
/** Text of roughly `max` code units, made of awkward pieces (no zero-width spaces: the Slack escaper's own). */
const text = (max: number) => fc.array(piece, { maxLength: Math.ceil(max / 4) }).map((a) => a.join('').replace(/\u200B/g, '')).map((s) => cut(s, max).replace(/…$/, ''));
/** What a Feishu reader sees: markdown with its entities decoded, plain text as it is. */
function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.tag === 'markdown' && typeof o.content === 'string') out.push(decodeEntities(o.content));
    else if (o.tag === 'plain_text' && typeof o.content === 'string') out.push(o.content.replace(/…$/, ''));
    for (const [k, v] of Object.entries(o)) if (k !== 'behaviors' && k !== 'config' && k !== 'options') walk(v);
  };
  walk(card);
  return out.join('');
}
const bare = (s: string) => s.replace(/[\s\u200B]+/g, '');

function card(over: Partial<IncidentCard>): IncidentCard {
  return {
    lang: 'zh-CN', incidentId: 'INC-20261130-01', title: 't', drill: false, grade: '较大', level: 3, gradeText: '较大（三级）', basis: [], unsettled: [],
    escalation: null, deadlines: [], awaiting: [], route: ['向住所地中国人民银行分支机构报告'], next: [], parallel: [], warnings: [], status: '处置中', exampleConfig: false, ...over,
  };
}

const options = fc.array(fc.record({ value: text(300).filter((s) => s.length > 0), label: text(200).filter((s) => s.trim().length > 0) }), { maxLength: 150 });
const question = fc.record({ prompt: text(2000).filter((s) => s.trim().length > 0), hint: text(500).filter((s) => s.trim().length > 0), options, typed: fc.boolean() })
  .map(({ prompt, hint, options: o, typed }): QuestionView => ({ id: 'q', incidentId: 'INC-20261130-01', path: 'p', prompt, hint, options: o, answerType: typed ? 'text' : 'choice', allowUnknown: true }));

const replies = fc.array(fc.oneof(
  // A text of only white space renders as nothing (Slack refuses a blank message); the core never sends one.
  text(20_000).map((t): Reply => ({ type: 'text', text: t.trim() ? t : '.' })),
  fc.record({ title: text(20_000), basis: fc.array(text(4000), { maxLength: 30 }), warnings: fc.array(text(4000), { maxLength: 5 }) })
    .map((c): Reply => ({ type: 'card', card: card({ title: c.title || 'x', basis: c.basis, warnings: c.warnings }) })),
  question.map((q): Reply => ({ type: 'question', question: q })),
), { minLength: 1, maxLength: 4 });

const typedTexts = (rs: readonly Reply[]) => rs.flatMap((r) => (r.type === 'text' ? [r.text] : r.type === 'card' ? [r.card.title, ...r.card.basis, ...r.card.warnings] : []));

describe('cutting and splitting text', () => {
  it('a cut never leaves half a code point, an entity or a <token>, and stays within max', () => {
    fc.assert(fc.property(text(500), fc.integer({ min: 1, max: 500 }), (s, max) => {
      const c = cut(s, max);
      expect(c.length).toBeLessThanOrEqual(Math.max(max, 1));
      expect(lone.test(c)).toBe(false);
      // Cut inside an entity: the kept text ends in `&…` where the original goes on to complete `&amp;`. A literal `&`
      // (`&<@U1>`) is whole text and may end a cut.
      const tail = /&[a-z#0-9]*$/i.exec(c.replace(/…$/, ''));
      if (tail && c !== s) expect(/^&#?[a-z0-9]{1,8};/i.test(s.slice(tail.index))).toBe(false);
    }), { examples: [['&<@U1>', 2], ['a&amp;b', 4], ['x&#42;y', 5]] });
  });

  it('split pieces are within max and join back to the text exactly', () => {
    fc.assert(fc.property(text(5000), fc.integer({ min: 12, max: 3000 }), (s, max) => {
      const pieces = splitText(s, max);
      expect(pieces.join('')).toBe(s);
      for (const p of pieces) {
        expect(p.length).toBeLessThanOrEqual(max);
        expect(lone.test(p)).toBe(false);
      }
    }));
  });
});

describe('Slack: every rendered message and modal is within Block Kit limits and loses nothing typed', () => {
  it('messages', () => {
    fc.assert(fc.property(replies, (rs) => {
      const messages = renderMessages(rs, { command: '/incident', lang: 'zh-CN' });
      for (const m of messages) expect(messageViolation(m)).toBeNull();
      const shown = bare(unescapeMrkdwn(messages.flatMap((m) => m.blocks).map((b) => JSON.stringify(b)).join('')));
      const blocksText = bare(unescapeMrkdwn(messages.flatMap((m) => m.blocks).map((b) => {
        const x = b as { text?: { text?: string } };
        return b.type === 'header' ? (x.text?.text ?? '').replace(/…$/, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : x.text?.text ?? '';
      }).join('')));
      for (const t of typedTexts(rs)) expect(blocksText).toContain(bare(t));
      expect(shown.length).toBeGreaterThan(0);
    }), { numRuns: 40 });
  });

  it('the answer modal opened from any question', () => {
    fc.assert(fc.property(question, (q) => {
      const open = JSON.parse(openValue(q)) as { prompt: string; hint: string; answerType: string };
      expect(openValue(q).length).toBeLessThanOrEqual(2000);
      const view = answerModal(open, { team: 'T1', channel: 'C1', incidentId: q.incidentId, questionId: q.id, responseUrl: 'https://hooks.slack.com/x', lang: 'zh-CN' });
      expect(modalViolation(view)).toBeNull();
    }), { numRuns: 60 });
  });
});

describe('Feishu: every rendered card is within card 2.0 limits and loses nothing typed', () => {
  it('cards', () => {
    fc.assert(fc.property(replies, (rs) => {
      const cards = renderCards(rs, { lang: 'zh-CN', answered: 'x'.repeat(500) });
      for (const c of cards) expect(feishuMessageViolation('interactive', JSON.stringify(c))).toBeNull();
      const shown = bare(cards.map((c) => cardText(c)).join(''));
      for (const t of typedTexts(rs)) expect(shown).toContain(bare(t));
    }), { numRuns: 40 });
  });
});
