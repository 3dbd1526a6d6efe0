// The one HTTP server's port and address, read from the environment (HTTP_PORT, HTTP_HOST and their old names).
// Apart from adapters/http/server.ts so that a run without the server (the console) never loads Hono or node:http.

export class HttpConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpConfigError';
  }
}

export interface HttpSettings {
  port: number; // 0: an ephemeral port (tests)
  host: string;
}

/** HTTP_PORT (required to switch the server on) and HTTP_HOST (default 127.0.0.1: loopback, behind a proxy). */
export function httpSettings(env: Record<string, string | undefined>): HttpSettings | null {
  const raw = env.HTTP_PORT?.trim();
  if (!raw) return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) throw new HttpConfigError(`HTTP_PORT=${raw} 须为端口号（0 至 65535） / must be a port number 0-65535`);
  const host = env.HTTP_HOST?.trim() || '127.0.0.1';
  return { port: Number(raw), host };
}

/** Old names of HTTP_PORT: the page's port, and the chat platforms' own ports from before they shared this server. */
const OLD_PORTS = { WEB_PORT: 'the web page', PORT: "Slack's receiver", FEISHU_PORT: "Feishu's callbacks" } as const;
/** The port the chat platforms listened on when none was set. */
export const CHAT_HTTP_DEFAULT_PORT = '3000';

/**
 * Settles HTTP_PORT and HTTP_HOST from their old names, writing them to `env`: WEB_PORT and WEB_HOST always; PORT and
 * FEISHU_PORT when a chat platform receives over HTTP (`chatHttp`: their titles), as only then were they read. Each
 * old name used is logged; two names of different ports stop start-up. With a chat platform over HTTP and no port
 * named, the server takes the old default 3000. A port named only by PORT or FEISHU_PORT keeps their old binding,
 * every interface, unless HTTP_HOST says otherwise.
 */
export function settleHttpEnv(env: Record<string, string | undefined>, chatHttp: readonly string[], log: (msg: string) => void): void {
  const names = (chatHttp.length > 0 ? ['WEB_PORT', 'PORT', 'FEISHU_PORT'] : ['WEB_PORT']) as Array<keyof typeof OLD_PORTS>;
  const set = names.filter((k) => env[k]?.trim());
  const named = env.HTTP_PORT?.trim() ? 'HTTP_PORT' : set[0];
  const port = named ? env[named]!.trim() : undefined;
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65_535)) throw new HttpConfigError(`${named}=${port.slice(0, 20)} 须为端口号（0 至 65535） / must be a port number 0-65535`);
  for (const k of set) {
    const v = env[k]!.trim();
    if (v !== port) {
      throw new HttpConfigError(`${k}=${v} 与 ${named}=${port} 不同：聊天平台的 HTTP 回调、告警路由、网页与健康检查共用一个 HTTP 服务，请只设置 HTTP_PORT / ${k}=${v} and ${named}=${port} differ: the chat platforms' HTTP endpoints, the alert routes, the page and the health routes share one server; set HTTP_PORT only`);
    }
    log(`${k} is an old name of HTTP_PORT (${OLD_PORTS[k]}): serving everything on port ${v} (set HTTP_PORT instead)`);
  }
  if (env.WEB_HOST?.trim() && !env.HTTP_HOST?.trim()) {
    log(`WEB_HOST is an old name of HTTP_HOST: binding ${env.WEB_HOST.trim()} (set HTTP_HOST instead)`);
    env.HTTP_HOST = env.WEB_HOST;
  }
  if (!env.HTTP_PORT?.trim() && port === undefined && chatHttp.length > 0) {
    // The old default as it was: Bolt's and Feishu's own listeners took 3000 on every interface; keep that, said.
    const host = env.HTTP_HOST?.trim() ? '' : ', every interface (0.0.0.0)';
    log(`http: HTTP_PORT is not set: ${chatHttp.join(' and ')} over HTTP on port ${CHAT_HTTP_DEFAULT_PORT}${host}, the old default (set HTTP_PORT, and HTTP_HOST to choose the interface)`);
    env.HTTP_PORT = CHAT_HTTP_DEFAULT_PORT;
    if (host) env.HTTP_HOST = '0.0.0.0';
  }
  if (!env.HTTP_PORT?.trim() && port !== undefined) {
    env.HTTP_PORT = port;
    if (named !== 'WEB_PORT' && !env.HTTP_HOST?.trim()) {
      log(`http: ${named} alone binds every interface (0.0.0.0), as ${OLD_PORTS[named as keyof typeof OLD_PORTS]} did; set HTTP_PORT, and HTTP_HOST to choose the interface`);
      env.HTTP_HOST = '0.0.0.0';
    }
  }
}
