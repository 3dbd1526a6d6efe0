import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/** Encrypts an event as Feishu does: AES-256-CBC, key sha256(encryptKey), random IV prepended, base64. */
export function encryptEvent(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** X-Lark-Signature as Feishu computes it: sha256 hex of timestamp + nonce + encrypt key + raw body. */
export function signEvent(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(16)}${String(++seq).padStart(6, '0')}`;

function header(eventType: string, token: string, eventId?: string) {
  return { event_id: eventId ?? nextId('ev'), token, create_time: String(Date.now()), event_type: eventType, tenant_key: 'tenant1', app_id: 'cli_a1b2c3d4e5f60718' };
}

export interface MessageOpts {
  text: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  openId?: string;
  token: string;
  eventId?: string;
  messageId?: string;
  threadId?: string;
  mentions?: Array<{ key: string; openId: string; name: string }>;
  messageType?: string;
  senderType?: string;
}

/** An im.message.receive_v1 event (schema 2.0) as Feishu posts it. */
export function messageEvent(o: MessageOpts) {
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', o.token, o.eventId),
    event: {
      sender: { sender_id: { union_id: 'on_u1', user_id: 'u1', open_id: o.openId ?? 'ou_alice' }, sender_type: o.senderType ?? 'user', tenant_key: 'tenant1' },
      message: {
        message_id: o.messageId ?? nextId('om_user'),
        create_time: String(Date.now()),
        chat_id: o.chatId ?? 'oc_incident',
        chat_type: o.chatType ?? 'p2p',
        message_type: o.messageType ?? 'text',
        content: JSON.stringify({ text: o.text }),
        ...(o.threadId ? { thread_id: o.threadId, root_id: 'om_root' } : {}),
        mentions: (o.mentions ?? []).map((m) => ({ key: m.key, id: { open_id: m.openId, union_id: 'on_x', user_id: null }, name: m.name, tenant_key: 'tenant1' })),
      },
    },
  };
}

export interface CardActionOpts {
  token: string;
  value: unknown;
  formValue?: Record<string, unknown>;
  chatId?: string;
  messageId: string;
  openId?: string;
  eventId?: string;
}

/** A card.action.trigger callback (schema 2.0) for a click or form submit on one of the bot's cards. */
export function cardActionEvent(o: CardActionOpts) {
  return {
    schema: '2.0',
    header: header('card.action.trigger', o.token, o.eventId),
    event: {
      operator: { tenant_key: 'tenant1', user_id: 'u1', open_id: o.openId ?? 'ou_alice', union_id: 'on_u1' },
      token: 'c-callback-token-for-delayed-update',
      action: { value: o.value, tag: o.formValue ? 'button' : 'button', ...(o.formValue ? { form_value: o.formValue, name: 'submit' } : {}) },
      host: 'im_message',
      context: { open_message_id: o.messageId, open_chat_id: o.chatId ?? 'oc_incident' },
    },
  };
}

export interface Delivery {
  encryptKey?: string; // encrypt and sign with it
  signWith?: string; // sign with this key instead (a bad signature)
  unsigned?: boolean;
  skewSec?: number; // sign with a timestamp this far from now (a replay, or a request signed ahead of time)
}

/** Posts an event the way Feishu does; resolves with the HTTP status and JSON answer. */
export async function deliver(url: string, event: unknown, d: Delivery = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = d.encryptKey ? JSON.stringify({ encrypt: encryptEvent(d.encryptKey, JSON.stringify(event)) }) : JSON.stringify(event);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = d.signWith ?? d.encryptKey;
  if (key && !d.unsigned) {
    const ts = String(Math.floor(Date.now() / 1000) + (d.skewSec ?? 0));
    const nonce = randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = ts;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = signEvent(ts, nonce, key, raw);
  }
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
