import type { Handler } from './context.ts';

export const use: Handler<'use'> = {
  needsIncident: true,
  run: (c) => c.done([], [], true, { ...c.session, active: c.s.id, pending: null }),
};
