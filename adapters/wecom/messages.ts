// What the WeCom adapter says when it could not take a message at all. Said without the store, to people whose
// language may not be known yet (their session is in the store): both languages, Chinese first.

/** When the store cannot take a message or a click (Redis down, disk full): nothing was written. */
export const REFUSED_STORE_DOWN = '存储暂时不可用，本条消息没有被接收，也没有被记录。请稍后重发同一条消息；此前记录的内容不受影响。\n\n'
  + 'Storage is unavailable right now: this message was not taken and nothing was recorded. Send the same message again shortly; everything recorded before is safe.';

/**
 * When this replica already holds INBOX_MAX items not yet processed: nothing was written. WeCom's long connection has
 * no acknowledgement the bot could withhold (a callback is not re-sent because it went unanswered), so the user is told.
 */
export const REFUSED_BUSY = '机器人正忙，本条消息没有被接收，也没有被记录。请稍后重发同一条消息。\n\n'
  + 'The bot is busy: this message was not taken and nothing was recorded. Send the same message again in a moment.';

/** A message over INCOMING_TEXT_MAX characters: refused before it is read, nothing written. */
export const REFUSED_TOO_LONG = '消息过长（超过 20,000 个字符），未处理，也没有被记录。请分几条发送，或用 /incident set 分别设置各项。\n\n'
  + 'The message is too long (over 20,000 characters): it was not handled and nothing was recorded. Send it in parts, or set each item with /incident set.';
