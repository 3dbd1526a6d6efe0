// The institution file's `alerts:` block: which alerts belong to which of the institution's networks.
import { z } from 'zod';
import type { AlertSignal } from './signal.ts';

const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a label or tag name');
const conversation = z.string().regex(/^[a-z]+:\S+$/, 'a conversation id such as slack:T1:C1, feishu:oc_x, console:local');

const RegexSchema = z.string().min(1).max(200).superRefine((s, ctx) => {
  try {
    new RegExp(`^(?:${s})$`);
  } catch (e) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a regular expression: ${(e as Error).message}` });
  }
});

export const AlertRouteSchema = z
  .object({
    match: z.record(labelName, z.string()).default({}), // every label equal
    matchRegex: z.record(labelName, RegexSchema).default({}), // every label matches, whole value
    network: z.string().min(1), // an id under networks:
    title: z.string().trim().min(1).max(200).optional(), // the incident title when a person opens one
    conversation: conversation.optional(), // where the proposal card goes; else alerts.conversation
    // What the alert implies about the interruption (Art. 31(4)); a person states it otherwise.
    outage: z.object({
      provinces: z.number().int().min(1).max(34).optional(),
      failureRatePercent: z.number().min(0).max(100).optional(),
    }).strict().optional(),
  })
  .strict()
  .refine((r) => Object.keys(r.match).length + Object.keys(r.matchRegex).length > 0, { message: 'a route needs match or matchRegex: a route matching every alert is never meant' });
export type AlertRoute = z.infer<typeof AlertRouteSchema>;

export const AlertsConfigSchema = z
  .object({
    conversation: conversation.optional(), // default for routes without one
    routes: z.array(AlertRouteSchema).min(1),
  })
  .strict();
export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;

/** Problems no schema can see alone: unknown networks, routes with nowhere to post. [path, message] pairs. */
export function checkAlertsConfig(alerts: AlertsConfig, networkIds: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  alerts.routes.forEach((r, i) => {
    if (!networkIds.includes(r.network)) out.push([`alerts.routes.${i}.network`, `"${r.network}" is not a network id (one of ${networkIds.join(', ')})`]);
    if (!r.conversation && !alerts.conversation) out.push([`alerts.routes.${i}.conversation`, 'required when alerts.conversation is not set']);
  });
  return out;
}

export interface RoutedAlert {
  route: AlertRoute;
  routeIndex: number;
  network: string;
  conversation: string;
}

/** The first route whose matchers all hold for the alert's labels, or null (counted and logged, never an incident). */
export function routeAlert(signal: AlertSignal, alerts: AlertsConfig): RoutedAlert | null {
  const labels = new Map(Object.entries(signal.labels));
  for (const [i, r] of alerts.routes.entries()) {
    const eq = Object.entries(r.match).every(([k, v]) => labels.get(k) === v);
    const re = eq && Object.entries(r.matchRegex).every(([k, v]) => labels.has(k) && new RegExp(`^(?:${v})$`).test(labels.get(k)!));
    if (eq && re) return { route: r, routeIndex: i, network: r.network, conversation: (r.conversation ?? alerts.conversation)! };
  }
  return null;
}
