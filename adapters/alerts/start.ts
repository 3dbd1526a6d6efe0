// The composition root's alerts block: settings -> alert service -> the HTTP server (adapters/http/server.ts).
import type { Hono } from 'hono';
import type { Bot } from '../../src/bot.ts';
import { createAlertService, withAlertDecisions, type AlertService } from '../../src/alerts/service.ts';
import type { Outbound, Sender } from '../../src/reminders/message.ts';
import { consoleSender } from '../console/sender.ts';
import { routeByConversation, type Platform, type PlatformDeps } from '../platform.ts';
import { startHttpServer, type HttpServer } from '../http/server.ts';
import { httpSettings } from '../http/settings.ts';
import { alertRoutes } from './routes.ts';
import { alertSourceAuth } from './settings.ts';

export interface StartAlertsDeps extends PlatformDeps {
  /** The running chat platforms (filled after this starts); console: conversations print to `write`. */
  platforms: () => readonly Platform[];
  write: (s: string) => void;
  /** Other owners' routes on the same server (the compliance page). */
  mount?: (app: Hono) => void;
}

export interface AlertsHttp {
  bot: Bot; // the bot with proposal buttons answered
  service: AlertService | null;
  server: HttpServer;
}

/** A Sender that posts to the conversation's platform, the console included. */
export function platformSender(platforms: () => readonly Platform[], write: (s: string) => void, now: () => number): Sender {
  const consoleOut = consoleSender(write, now, false);
  return {
    send: (m: Outbound) => (m.conversation.startsWith('console:') ? consoleOut.send(m) : routeByConversation(platforms()).send(m)),
  };
}

/** Starts the HTTP server when HTTP_PORT is set (null otherwise), with the alert routes when `alerts:` is configured. */
export async function startAlertsHttp(deps: StartAlertsDeps): Promise<AlertsHttp | null> {
  const settings = httpSettings(deps.env);
  if (!settings) return null;
  const alerts = deps.config.institution.alerts;
  const auth = alertSourceAuth(deps.env);
  const sender = platformSender(deps.platforms, deps.write, deps.now);
  const service = alerts ? createAlertService({ store: deps.store, config: deps.config, alerts, bot: deps.bot, sender, now: deps.now, log: deps.log }) : null;
  if (!alerts) deps.log('alerts: off (no alerts: block in the institution file)');
  else if (Object.keys(auth).length === 0) deps.log('alerts: no source has a secret (ALERTS_ALERTMANAGER_TOKEN, ALERTS_GRAFANA_TOKEN, ALERTS_NIGHTINGALE_TOKEN...): every alert route is off');
  else deps.log(`alerts: on for ${Object.keys(auth).join(', ')}`);
  const server = await startHttpServer({
    ...settings,
    log: deps.log,
    mount: (app) => {
      if (service) app.route('/alerts', alertRoutes({ service, auth, now: deps.now, log: deps.log }));
      deps.mount?.(app);
    },
  });
  return { bot: withAlertDecisions(deps.bot, () => service), service, server };
}
