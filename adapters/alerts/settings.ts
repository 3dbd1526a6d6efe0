// Each alert source's own secret, from the environment (.env.example). A source without one is off.
import type { AlertSource } from '../../src/alerts/signal.ts';

export class AlertsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertsConfigError';
  }
}

export interface SourceAuth {
  token?: string; // Authorization: Bearer <token> (Alertmanager http_config.authorization, Grafana header credentials)
  basic?: { username: string; password: string }; // http_config.basic_auth, Grafana basic auth
  hmac?: { secret: string; header: string; timestampHeader?: string }; // Grafana HMAC signature
}

const MIN_SECRET = 16;
const PREFIX: Record<AlertSource, string> = { alertmanager: 'ALERTS_ALERTMANAGER', grafana: 'ALERTS_GRAFANA', nightingale: 'ALERTS_NIGHTINGALE' };

function secret(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (v.length < MIN_SECRET) throw new AlertsConfigError(`${name} must be at least ${MIN_SECRET} characters (a random secret)`);
  return v;
}

/** The sources switched on and how each authenticates; throws AlertsConfigError naming the setting to fix. */
export function alertSourceAuth(env: Record<string, string | undefined>): Partial<Record<AlertSource, SourceAuth>> {
  const out: Partial<Record<AlertSource, SourceAuth>> = {};
  for (const source of Object.keys(PREFIX) as AlertSource[]) {
    const p = PREFIX[source];
    const auth: SourceAuth = {};
    const token = secret(env, `${p}_TOKEN`);
    if (token) auth.token = token;
    const user = env[`${p}_USER`];
    const password = secret(env, `${p}_PASSWORD`);
    if (Boolean(user) !== Boolean(password)) throw new AlertsConfigError(`${p}_USER and ${p}_PASSWORD go together`);
    if (user && password) auth.basic = { username: user, password };
    if (source === 'grafana') {
      const hmac = secret(env, 'ALERTS_GRAFANA_HMAC_SECRET');
      if (hmac) {
        const ts = env.ALERTS_GRAFANA_TIMESTAMP_HEADER;
        auth.hmac = { secret: hmac, header: env.ALERTS_GRAFANA_SIGNATURE_HEADER || 'X-Grafana-Alerting-Signature', ...(ts ? { timestampHeader: ts } : {}) };
      }
    }
    if (auth.token || auth.basic || auth.hmac) out[source] = auth;
  }
  return out;
}
