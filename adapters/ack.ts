/**
 * What a reminder's acknowledge button may carry back: `ack <obligation> <incident id>` as the ticker wrote it
 * (Outbound.ack.command), nothing else. A click whose value is not exactly this is ignored, so a button can never run
 * another command, and no user text ever travels in a button.
 */
export const ACK_COMMAND = /^ack [A-Za-z0-9\u4e00-\u9fff.-]{1,40}(?:,[A-Za-z0-9\u4e00-\u9fff.-]{1,40}){0,5} (?:INC|DRILL)-\d{8}-\d{2,}$/; // `.`: another regime's (cac.initial); `,`: a post of several (GROUP_MAX)

/** True when `command` is an acknowledge command a button may carry. */
export function isAckCommand(command: unknown): command is string {
  return typeof command === 'string' && ACK_COMMAND.test(command);
}
