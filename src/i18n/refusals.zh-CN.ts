// What a chat platform says when it could not take a message at all (adapters/kit/refusals.ts). Said without the
// store, to people whose language may not be known yet: the kit puts both languages together, Chinese first.
export const zhRefusals = {
  'refused.storeDown.message': '存储暂时不可用，本条消息没有被接收，也没有被记录。请稍后重发同一条消息；此前记录的内容不受影响。',
  'refused.storeDown.command': '存储暂时不可用，本次命令没有被接收，也没有被记录。请稍后重试同一命令；此前记录的内容不受影响。',
  'refused.busy.message': '机器人正忙，本条消息没有被接收，也没有被记录。请稍后重发同一条消息。',
  'refused.busy.command': '机器人正忙（待处理的命令已达上限），本次命令没有被接收，也没有被记录。请稍后重试。',
  'refused.tooLong': '消息过长（超过 20,000 个字符），未处理，也没有被记录。请分几条发送，或用 /incident set 分别设置各项。',
  'refused.channel': (p: { setting: string }) => `本频道未获准使用事件机器人（${p.setting}），请在已授权的事件频道中使用，或联系管理员。`,
  'refused.chat': (p: { setting: string }) => `本群未启用事件机器人（${p.setting}）`,
  'refused.chatOrUser': (p: { setting: string }) => `本群或本账号未启用事件机器人（${p.setting}）。`,
  'refused.user': (p: { setting: string }) => `你未获准使用事件机器人（${p.setting}），请联系管理员。`,
  'toast.storeDown': '存储暂时不可用，本次回答未记录，请稍后重试。',
  'toast.busy': '机器人正忙，本次回答未记录，请稍后重试。',
};
