import { z } from 'zod';

// Slack's documented limits for what the bot sends, as zod schemas (docs.slack.dev/reference/block-kit/blocks,
// .../block-elements, .../composition-objects, .../surfaces/modals; chat.postMessage: `text` is truncated past
// 40,000 characters, blocks at most 50 a message, 100 a modal). Lengths are counted in UTF-16 units, which is at
// least what Slack counts. The fake Slack API refuses a payload that breaks one, as Slack does (invalid_blocks).

const len = (max: number, min = 0) => z.string().min(min).max(max).refine((s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), 'lone surrogate');
const plainText = (max: number) => z.object({ type: z.literal('plain_text'), text: len(max, 1), emoji: z.boolean().optional() }).strict();
const mrkdwnText = (max: number) => z.object({ type: z.literal('mrkdwn'), text: len(max, 1), verbatim: z.boolean().optional() }).strict();
const textObject = (max: number) => z.union([plainText(max), mrkdwnText(max)]);

const option = z.object({ text: plainText(75), value: len(150, 1), description: plainText(75).optional() }).strict();
const button = z.object({
  type: z.literal('button'), action_id: len(255, 1), text: plainText(75), value: len(2000).optional(), url: len(3000).optional(),
  style: z.enum(['primary', 'danger']).optional(),
}).strict();
const staticSelect = z.object({
  type: z.literal('static_select'), action_id: len(255, 1), placeholder: plainText(150).optional(),
  options: z.array(option).min(1).max(100).optional(),
  option_groups: z.array(z.object({ label: plainText(75), options: z.array(option).min(1).max(100) }).strict()).min(1).max(100).optional(),
}).strict().refine((s) => (s.options === undefined) !== (s.option_groups === undefined), 'options or option_groups, exactly one');
const plainInput = z.object({
  type: z.literal('plain_text_input'), action_id: len(255, 1), multiline: z.boolean().optional(),
  placeholder: plainText(150).optional(), max_length: z.number().int().min(1).max(3000).optional(),
}).strict();

const blockId = len(255, 1).optional();
const section = z.object({ type: z.literal('section'), block_id: blockId, text: textObject(3000).optional(), fields: z.array(textObject(2000)).max(10).optional() })
  .strict().refine((s) => s.text !== undefined || s.fields !== undefined, 'a section needs text or fields');
const header = z.object({ type: z.literal('header'), block_id: blockId, text: plainText(150) }).strict();
const divider = z.object({ type: z.literal('divider'), block_id: blockId }).strict();
const context = z.object({ type: z.literal('context'), block_id: blockId, elements: z.array(textObject(3000)).min(1).max(10) }).strict();
const actions = z.object({ type: z.literal('actions'), block_id: blockId, elements: z.array(z.union([button, staticSelect])).min(1).max(25) }).strict();
const input = z.object({ type: z.literal('input'), block_id: blockId, label: plainText(2000), hint: plainText(2000).optional(), element: plainInput, optional: z.boolean().optional() }).strict();

export const BlockSchema = z.union([section, header, divider, context, actions, input]);

/** A chat.postMessage / chat.postEphemeral / response_url body. */
export const MessageSchema = z.object({
  text: len(40_000).optional(),
  blocks: z.array(BlockSchema).max(50).optional(),
}).passthrough().refine((m) => (m.text ?? '') !== '' || (m.blocks?.length ?? 0) > 0, 'a message needs text or blocks');

/** A views.open modal. */
export const ModalSchema = z.object({
  type: z.literal('modal'), callback_id: len(255).optional(), title: plainText(24), submit: plainText(24).optional(), close: plainText(24).optional(),
  private_metadata: len(3000).optional(), blocks: z.array(BlockSchema).min(1).max(100),
}).strict();

/** The first broken limit of a message body, as `path: message`; null when it is within every limit. */
export function messageViolation(body: unknown): string | null {
  const r = MessageSchema.safeParse(body);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

export function modalViolation(view: unknown): string | null {
  const r = ModalSchema.safeParse(view);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}
