import { parseLang, t } from '../../i18n/index.ts';
import type { Handler } from './context.ts';

export const lang: Handler<'lang'> = {
  needsIncident: false,
  run: (c, cmd) => {
    const l = parseLang(cmd.lang);
    if (!l) return c.fail(t(c.lang, 'err.lang', { input: cmd.lang }));
    return { session: { ...c.session, lang: l }, incidentId: null, events: [], replies: [{ type: 'text', text: `${t(l, 'ok.lang')}${l === 'en' ? ' ' : ''}${t(l, 'ok.langConversation')}` }] };
  },
};
