import type { Lang } from '../../src/i18n/index.ts';
import { cut } from '../text.ts';

/** The Slack adapter's own texts (widgets, refusals); the core's texts come with its replies. */
const zh = {
  answer: '填写答案…',
  unknown: '不确定',
  skip: '跳过',
  choose: '请选择…',
  modalTitle: '回答问题',
  submit: '提交',
  cancel: '取消',
  answered: (a: string) => `✓ 已回答：${cut(a, 200)}`,
  localTime: '你的本地时间',
  notInChannel: '机器人不是本频道成员，卡片已改为经 Slack 临时发布；请 /invite 机器人，以便提醒能发到本频道。',
  failed: '处理失败，已记录日志；请稍后重试，或输入 /incident status 查看。',
  uploadFailed: (file: string) => `文件 ${file} 未能上传到事件线程，已记录日志；请稍后重新生成。`,
  uploadNotInChannel: (file: string) => `文件 ${file} 未能上传：机器人不是本频道成员。请 /invite 机器人后重新生成。`,
};

const en: typeof zh = {
  answer: 'Answer…',
  unknown: 'Unknown',
  skip: 'Skip',
  choose: 'Choose…',
  modalTitle: 'Answer',
  submit: 'Submit',
  cancel: 'Cancel',
  answered: (a) => `✓ Answered: ${cut(a, 200)}`,
  localTime: 'your local time',
  notInChannel: 'The bot is not a member of this channel, so the card was posted through Slack instead. /invite the bot so reminders can reach this channel.',
  failed: 'Something went wrong and was logged; try again shortly, or type /incident status.',
  uploadFailed: (file) => `The file ${file} could not be uploaded to the incident's thread (logged); generate it again shortly.`,
  uploadNotInChannel: (file) => `The file ${file} could not be uploaded: the bot is not a member of this channel. /invite the bot, then generate it again.`,
};

export const SLACK_TEXT: Record<Lang, typeof zh> = { 'zh-CN': zh, en };

/** Refusals go to people whose language we may not know yet: both languages, Chinese first. */
export const REFUSED_CHANNEL = '本频道未获准使用事件机器人（SLACK_ALLOWED_CHANNELS），请在已授权的事件频道中使用，或联系管理员。\n'
  + 'This channel is not allowed to use the incident bot (SLACK_ALLOWED_CHANNELS). Use an authorised incident channel, or ask your administrator.';
export const REFUSED_USER = '你未获准使用事件机器人（SLACK_ALLOWED_USERS），请联系管理员。\n'
  + 'You are not allowed to use the incident bot (SLACK_ALLOWED_USERS). Ask your administrator.';
export const REFUSED_TOO_LONG = '消息过长（超过 20,000 个字符），未处理。请分几条发送。\n'
  + 'The message is too long (over 20,000 characters) and was not handled. Send it in parts.';
/** Said when the store cannot take a command: nothing was written, so the same command can simply be sent again. */
export const REFUSED_STORE_DOWN = '存储暂时不可用，本次命令没有被接收，也没有被记录。请稍后重试同一命令；此前记录的内容不受影响。\n'
  + 'Storage is unavailable right now: this command was not taken and nothing was recorded. Send the same command again shortly; everything recorded before is safe.';
/** Said when this replica's queue of commands is full: nothing was written. */
export const REFUSED_BUSY = '机器人正忙（待处理的命令已达上限），本次命令没有被接收，也没有被记录。请稍后重试。\n'
  + 'The bot is busy (its queue of commands is full): this command was not taken and nothing was recorded. Try again in a moment.';
