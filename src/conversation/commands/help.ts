import { helpText } from '../help.ts';
import type { Handler } from './context.ts';

export const help: Handler<'help'> = {
  needsIncident: false,
  run: (c, cmd) => ({
    session: c.session, incidentId: null, events: [],
    replies: [{ type: 'text', text: helpText(c.lang, cmd.topic, { calendar: c.ctx.config.assess.calendar, nowMs: c.nowMs }, c.ctx.config), ephemeral: true }],
  }),
};
