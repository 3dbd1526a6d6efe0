import { describe, expect, it } from 'vitest';
import { step } from '../../src/conversation/step.ts';
import { newSession, type ChatInput } from '../../src/conversation/types.ts';
import { fold } from '../../src/incident/state.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { botConfig } from '../fakes/chat.ts';

const config = botConfig();
const nowMs = parseIso('2026-11-30T14:00:00+08:00');
const cmd = (text: string): ChatInput => ({ kind: 'command', text, user: 'console:a', conversation: 'console:t' });

describe('step is pure: session and incident in, events and replies out', () => {
  it('new: a created event, the first question, and the session pointing at it', () => {
    const r = step({ input: cmd('new 网银中断'), session: newSession('zh-CN'), incident: null, open: [], nowMs, config, newId: 'INC-20261130-01' });
    expect(r.events.map((e) => e.type)).toEqual(['created', 'grade-raised']);
    expect(r.session).toMatchObject({ active: 'INC-20261130-01', pending: { questionId: 'occurredAt' } });
    expect(r.replies.map((x) => x.type)).toEqual(['text', 'card', 'question']);
  });

  it('an answer sets the pending field and asks the next question, without touching the input session', () => {
    const first = step({ input: cmd('new 网银中断'), session: newSession('zh-CN'), incident: null, open: [], nowMs, config, newId: 'INC-1' });
    const incident = fold(first.events);
    const session = first.session;
    const r = step({ input: { kind: 'message', text: '13:40', user: 'console:a', conversation: 'console:t' }, session, incident, open: [incident], nowMs, config });
    expect(r.events).toMatchObject([{ type: 'fact-set', path: 'occurredAt', value: parseIso('2026-11-30T13:40:00+08:00'), actor: 'console:a', at: nowMs }]);
    expect(r.session.pending).toMatchObject({ questionId: 'network' });
    expect(session.pending).toMatchObject({ questionId: 'occurredAt' });
  });

  it('stepping the same input twice gives the same result', () => {
    const args = { input: cmd('new 网银中断'), session: newSession('en' as const), incident: null, open: [], nowMs, config, newId: 'INC-1' };
    expect(step(args)).toEqual(step(args));
  });

  it('an incident of another conversation is refused', () => {
    const other = fold(step({ input: { ...cmd('new x'), conversation: 'console:other' }, session: newSession('zh-CN'), incident: null, open: [], nowMs, config, newId: 'INC-9' }).events);
    const r = step({ input: cmd('status INC-9'), session: newSession('zh-CN'), incident: other, open: [], nowMs, config });
    expect(r.events).toEqual([]);
    expect(r.replies[0]).toMatchObject({ type: 'error' });
  });
});
