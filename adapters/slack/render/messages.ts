import type { Lang } from '../../../src/i18n/index.ts';
import { cut } from '../../text.ts';

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
