import { z } from 'zod';

// Feishu's documented limits for what the bot sends (open.feishu.cn: 发送消息 content 卡片 30 KB, text 150 KB;
// 卡片 JSON 2.0 结构: at most 200 components a card; the markdown component is cut near 10,000 characters),
// as zod schemas. The fake Feishu API refuses a message that breaks one, as Feishu does (230025).

export const CARD_BYTES_MAX = 30 * 1024;
export const TEXT_BYTES_MAX = 150 * 1024;
export const COMPONENTS_MAX = 200;
export const MARKDOWN_MAX = 10_000;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) => z.string().max(max).refine((s) => !loneSurrogate.test(s), 'lone surrogate');
const plain = z.object({ tag: z.literal('plain_text'), content: text(1000) }).strict();

type Element = { tag?: unknown; elements?: unknown; columns?: unknown };

/** Components in a card body: every element, column and form child, however deep. */
export function countComponents(elements: readonly unknown[]): number {
  let n = 0;
  for (const e of elements as Element[]) {
    n += 1;
    if (Array.isArray(e.elements)) n += countComponents(e.elements);
    if (Array.isArray(e.columns)) n += countComponents(e.columns);
  }
  return n;
}

function markdowns(elements: readonly unknown[]): string[] {
  return (elements as Array<Element & { content?: unknown }>).flatMap((e) => [
    ...(e.tag === 'markdown' && typeof e.content === 'string' ? [e.content] : []),
    ...(Array.isArray(e.elements) ? markdowns(e.elements) : []),
    ...(Array.isArray(e.columns) ? markdowns(e.columns) : []),
  ]);
}

export const CardSchema = z.object({
  schema: z.literal('2.0'),
  config: z.object({ update_multi: z.boolean().optional(), width_mode: z.string().optional(), summary: z.object({ content: text(200) }).optional() }).passthrough(),
  header: z.object({ title: plain, subtitle: plain.optional(), template: z.string() }).strict().optional(),
  body: z.object({ elements: z.array(z.object({ tag: z.string() }).passthrough()).min(1) }).strict(),
}).strict()
  .refine((c) => countComponents(c.body.elements) <= COMPONENTS_MAX, `more than ${COMPONENTS_MAX} components`)
  .refine((c) => markdowns(c.body.elements).every((m) => m.length <= MARKDOWN_MAX && !loneSurrogate.test(m)), `a markdown component over ${MARKDOWN_MAX} characters (or a lone surrogate)`)
  .refine((c) => Buffer.byteLength(JSON.stringify(c)) <= CARD_BYTES_MAX, `card over ${CARD_BYTES_MAX} bytes`);

/** What is wrong with a message's msg_type and content (as sent: content a JSON string); null when within limits. */
export function feishuMessageViolation(msgType: string, content: string): string | null {
  if (msgType === 'text') {
    if (Buffer.byteLength(content) > TEXT_BYTES_MAX) return `text message over ${TEXT_BYTES_MAX} bytes`;
    const t = (JSON.parse(content) as { text?: unknown }).text;
    return typeof t === 'string' && t.length > 0 && !loneSurrogate.test(t) ? null : 'text message without text (or with a lone surrogate)';
  }
  if (msgType !== 'interactive') return null;
  if (Buffer.byteLength(content) > CARD_BYTES_MAX) return `card content over ${CARD_BYTES_MAX} bytes`;
  const r = CardSchema.safeParse(JSON.parse(content));
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/** A card callback's answer: the toast and the replacing card. */
export function cardResponseViolation(response: unknown): string | null {
  const r = z.object({
    toast: z.object({ type: z.enum(['success', 'error', 'info', 'warning']), content: z.string().min(1).max(200) }).strict().optional(),
    card: z.object({ type: z.literal('raw'), data: z.unknown() }).strict().optional(),
  }).strict().safeParse(response);
  if (!r.success) return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return r.data.card ? feishuMessageViolation('interactive', JSON.stringify(r.data.card.data)) : null;
}
