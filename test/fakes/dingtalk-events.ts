// Payloads of the stream's CALLBACK frames in DingTalk's shapes (the `data` of a frame, before JSON.stringify).
let seq = 0;

export interface RobotMessageOpts {
  text: string;
  msgId?: string;
  conversationId?: string; // cid... of the group, or of the one-to-one chat
  conversationType?: '1' | '2';
  staffId?: string;
  nick?: string;
  robotCode?: string;
}

/** A text message to the robot (topic /v1.0/im/bot/messages/get); in a group DingTalk has removed the @robot already. */
export function robotMessage(o: RobotMessageOpts): Record<string, unknown> {
  const n = ++seq;
  const group = (o.conversationType ?? '2') === '2';
  return {
    conversationId: o.conversationId ?? (group ? 'cidGroupIncident==' : 'cidOneToOne=='),
    chatbotCorpId: 'dingcorp0001',
    chatbotUserId: '$:LWCP_v1:$robot',
    msgId: o.msgId ?? `msgFAKE${String(n).padStart(6, '0')}`,
    senderNick: o.nick ?? '张三',
    isAdmin: false,
    senderStaffId: o.staffId ?? 'staff_alice',
    sessionWebhookExpiredTime: 1700005400000,
    createAt: 1700000000000,
    senderCorpId: 'dingcorp0001',
    conversationType: o.conversationType ?? '2',
    senderId: `$:LWCP_v1:$sender${o.staffId ?? 'staff_alice'}`,
    sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=SECRETsessionwebhook0001',
    robotCode: o.robotCode ?? 'dingrobotcode0001',
    msgtype: 'text',
    text: { content: group ? ` ${o.text}` : o.text },
    ...(group ? { conversationTitle: '事件处置群', isInAtList: true, atUsers: [{ dingtalkId: '$:LWCP_v1:$robot' }] } : {}),
  };
}

/** A click on a card button (topic /v1.0/card/instances/callback): the button's callback params come back in content. */
export function cardCallback(o: { outTrackId: string; userId?: string; params: Record<string, unknown>; spaceId?: string }): Record<string, unknown> {
  const content = JSON.stringify({ cardPrivateData: { actionIds: ['answer'], params: o.params } });
  return {
    extension: '{}', corpId: 'dingcorp0001', spaceType: 'IM_GROUP', userIdType: 1, type: 'actionCallback',
    userId: o.userId ?? 'staff_alice', content, spaceId: o.spaceId ?? 'cidGroupIncident==', outTrackId: o.outTrackId, value: content,
  };
}
