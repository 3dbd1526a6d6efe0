import axios from 'axios';
import { DWClient, GATEWAY_URL, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { describe } from './settings.ts';
import type { Frame } from './handler.ts';

const DEFAULT_API = 'https://api.dingtalk.com';

/** The SDK's client, its debug lines sent through our (redacting) log instead of the console. */
class LoggedClient extends DWClient {
  sink: (msg: string) => void = () => undefined;
  stopped = false;
  /** The SDK reconnects from a timer; once stopped, a timer that fires later must not open a new socket. */
  override async connect(): Promise<void> {
    if (!this.stopped) await super.connect();
  }
  override printDebug(msg: object | string): void {
    if (this.debug) this.sink(`[dingtalk-stream debug] ${describe(msg)}`);
  }
}

export interface StreamDeps {
  clientId: string;
  clientSecret: string;
  apiUrl: string; // the gateway is POST {apiUrl}/v1.0/gateway/connections/open
  debug: boolean;
  log: (msg: string) => void; // already redacting
  onMessage(frame: Frame, ack: () => void): void;
  onCard(frame: Frame, ack: () => void): void;
}

export interface Stream {
  /** Every connection ticket the gateway handed out, for the redactor. */
  readonly tickets: ReadonlySet<string>;
  stop(): void;
}

/** Raised when the Stream gateway refused the app or the connection failed at start-up. */
export class DingtalkStreamError extends Error {
  override name = 'DingtalkStreamError';
}

function gatewayFailure(e: unknown): string {
  const x = e as { response?: { status?: number; data?: unknown }; code?: string; message?: string };
  if (x.response?.status) {
    const d = x.response.data as { code?: unknown; message?: unknown } | undefined;
    const code = typeof d?.code === 'string' ? ` ${d.code}` : '';
    const msg = typeof d?.message === 'string' ? ` (${d.message.slice(0, 200)})` : '';
    return `HTTP ${x.response.status}${code}${msg}`;
  }
  return x.code ?? x.message ?? 'no answer';
}

/**
 * Opens the Stream connection with the official SDK: the gateway (connections/open, with the app's credentials and
 * the robot and card topics) hands out an endpoint and a ticket, then the WebSocket carries CALLBACK frames, each
 * answered by an ack frame. Rejects with a readable error when the gateway refuses; after that the SDK reconnects by
 * itself. The SDK has its gateway address built in: a DINGTALK_API_URL other than the default is applied by
 * rewriting exactly that URL on the axios instance the SDK uses, for as long as the stream runs.
 */
export async function openStream(d: StreamDeps): Promise<Stream> {
  const tickets = new Set<string>();
  const gateway = `${d.apiUrl}/v1.0/gateway/connections/open`;
  const interceptors = [
    axios.interceptors.request.use((cfg) => {
      if (cfg.url === GATEWAY_URL && d.apiUrl !== DEFAULT_API) cfg.url = gateway;
      return cfg;
    }),
  ];
  const responses = axios.interceptors.response.use((res) => {
    const t = (res.data as { ticket?: unknown } | null)?.ticket;
    if (res.config.url === gateway || res.config.url === GATEWAY_URL) if (typeof t === 'string') tickets.add(t);
    return res;
  });
  const eject = () => {
    for (const id of interceptors) axios.interceptors.request.eject(id);
    axios.interceptors.response.eject(responses);
  };

  // No reconnect loop until the first connection worked: a refusal at start-up is reported, not retried for ever.
  const client = new LoggedClient({ clientId: d.clientId, clientSecret: d.clientSecret, debug: d.debug, keepAlive: false });
  client.config.autoReconnect = false;
  client.config.subscriptions = []; // the SDK's default array is shared by every client; and no EVENT topics are needed
  client.sink = d.log;
  const frame = (m: DWClientDownStream): Frame => ({ messageId: m.headers.messageId, data: m.data });
  // The SDK emits a CALLBACK frame to its topic's listener and leaves the ack to it (socketCallBackResponse).
  const ack = (messageId: string) => () => client.socketCallBackResponse(messageId, { status: 'SUCCESS' });
  client.registerCallbackListener(TOPIC_ROBOT, (m: DWClientDownStream) => d.onMessage(frame(m), ack(m.headers.messageId)));
  client.registerCallbackListener(TOPIC_CARD, (m: DWClientDownStream) => d.onCard(frame(m), ack(m.headers.messageId)));

  try {
    await client.getEndpoint();
  } catch (e) {
    eject();
    throw new DingtalkStreamError(`DingTalk's Stream gateway refused the app (check DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and that the robot uses Stream mode; ${gatewayFailure(e)})`);
  }
  try {
    await client._connect();
  } catch (e) {
    client.stopped = true;
    client.disconnect();
    eject();
    throw new DingtalkStreamError(`DingTalk's Stream connection failed (${(e as Error).message.slice(0, 200)}); check DINGTALK_API_URL and outbound access to it`);
  }
  client.config.autoReconnect = true;
  d.log('dingtalk: Stream connection open');
  return {
    tickets,
    stop() {
      client.stopped = true;
      client.disconnect();
      eject();
    },
  };
}
