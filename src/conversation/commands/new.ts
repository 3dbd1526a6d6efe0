import { t } from '../../i18n/index.ts';
import { emptyState } from '../../incident/state.ts';
import { finish } from '../finish.ts';
import { clip, TITLE_MAX } from './clip.ts';
import type { Handler } from './context.ts';

export const create: Handler<'new'> = {
  needsIncident: false,
  run: (c, cmd) => {
    const { ctx } = c;
    if (!ctx.newId) throw new Error('step: `new` needs an allocated id');
    const title = clip(c.lang, t(c.lang, 'field.title'), cmd.title, TITLE_MAX);
    const created = c.ev({ type: 'created', id: ctx.newId, title: title.text, conversation: ctx.input.conversation });
    const session = { ...c.session, active: ctx.newId, chosen: ctx.newId, pending: null };
    const previous = c.session.active !== null && ctx.open.some((s) => s.id === c.session.active) ? c.session.active : null;
    const replies = [t(c.lang, 'ok.created', { id: ctx.newId, title: title.text }), ...(title.notice ? [title.notice] : []), ...(previous ? [t(c.lang, 'ok.newWhileActive', { previous, id: ctx.newId })] : [])];
    return finish(ctx, session, emptyState(), null, [created], replies.map((text) => ({ type: 'text' as const, text })), true);
  },
};
