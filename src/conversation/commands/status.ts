import type { Handler } from './context.ts';

export const status: Handler<'status'> = { needsIncident: true, run: (c) => c.done([]) };
