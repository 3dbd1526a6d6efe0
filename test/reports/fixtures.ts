// Hand-written incident logs for the report and ledger tests.
import type { EventInput, IncidentEvent } from '../../src/incident/events.ts';

export const at = (iso: string): number => Date.parse(iso);

const e = (iso: string, actor: string, body: EventInput): IncidentEvent => ({ at: at(iso), actor, ...body }) as IncidentEvent;

/** Every Art. 19-22 item recorded: 重大, personal information involved, handled and reported. */
export function fullIncidentEvents(id = 'INC-20261130-01', day = '2026-11-30'): IncidentEvent[] {
  const t = (hm: string) => `${day}T${hm}:00+08:00`;
  const set = (hm: string, path: string, value: string | number | boolean) => e(t(hm), 'U1', { type: 'fact-set', path, value });
  return [
    e(t('10:10'), 'U1', { type: 'created', id, title: '核心银行系统交易中断', conversation: 'slack:T1:C1' }),
    set('10:11', 'occurredAt', at(t('10:05'))),
    set('10:11', 'networks.0.ref', 'core-banking'),
    set('10:12', 'networks.0.outage.start', at(t('10:05'))),
    set('10:12', 'networks.0.outage.provinces', 1),
    set('10:12', 'networks.0.outage.failureRatePercent', 95),
    set('10:13', 'category', 'equipment'),
    set('10:13', 'subCategory', 'technical-failure'),
    set('10:14', 'data.personalInfoIncident', true),
    e(t('10:20'), 'bot', {
      type: 'grade-raised', from: null, to: '较大', effectiveAt: at(t('10:20')),
      basis: [{ article: 9, item: 1, grade: '较大', reason: '关键网络主要功能在业务高峰时段单个省级行政区整体中断运行30分钟' }],
    }),
    e(t('10:50'), 'U1', { type: 'report-submitted', reportId: `${id}-R1`, kind: 'brief', channel: 'email', recipient: '中国人民银行上海总部' }),
    e(t('10:56'), 'U1', { type: 'receipt-confirmed', reportId: `${id}-R1`, channel: 'phone', contact: '张三', confirmedAt: at(t('10:55')) }),
    e(t('11:40'), 'bot', {
      type: 'grade-raised', from: '较大', to: '重大', effectiveAt: at(t('11:35')),
      basis: [{ article: 8, item: 1, grade: '重大', reason: '关键网络主要功能在业务高峰时段单个省级行政区整体中断运行3小时' }],
    }),
    e(t('11:45'), 'U2', { type: 'milestone', text: '切换至外高桥灾备中心，交易逐步恢复' }),
    set('12:00', 'report.impactScope', '上海地区柜面及网银转账交易中断约3小时，受影响客户约12万人。'),
    set('12:00', 'report.measures', '启动应急预案，切换至灾备中心，交易已恢复。'),
    set('12:01', 'report.impactChange', '交易已恢复，影响不再扩大。'),
    set('12:01', 'report.handlingProgress', '核心系统已切换至灾备中心运行。'),
    set('12:01', 'report.nextSteps', '排查主中心存储故障原因，择机回切。'),
    set('12:02', 'report.piRemedies', '冻结异常导出账户，下线相关接口。'),
    set('12:02', 'report.piNotification', '已通过短信逐一通知受影响客户。'),
    set('12:02', 'report.piMitigationAdvice', '提醒客户修改密码并警惕诈骗电话。'),
    e(t('13:30'), 'U1', { type: 'report-submitted', reportId: `${id}-R2`, kind: 'progress', channel: 'fax', recipient: '中国人民银行上海总部', summary: '交易已恢复，继续排查' }),
    e(t('13:40'), 'U1', { type: 'receipt-confirmed', reportId: `${id}-R2`, channel: 'im', contact: '张三', confirmedAt: at(t('13:38')) }),
    e(t('15:00'), 'U1', { type: 'resolved', resolvedAt: at(t('14:50')) }),
    set('15:10', 'report.lossAssessment', '交易中断3小时，直接经济损失约20万元。'),
    set('15:10', 'report.rootCause', '主中心存储控制器固件缺陷导致双控制器同时宕机。'),
    set('15:11', 'report.lessons', '灾备切换决策耗时过长。'),
    set('15:11', 'report.improvements', '升级存储固件；将灾备切换授权下放至值班经理。'),
    set('15:12', 'report.accountability', '运维部负责人通报批评，相关责任人按制度扣减绩效。'),
    set('15:12', 'report.signer', '王五 副行长'),
    set('15:13', 'report.committedDate', '2026-12-31'),
    set('15:13', 'report.preliminaryReason', '存储厂商根因分析报告尚未出具。'),
  ];
}

/** Only created and graded: nothing else known. */
export function sparseIncidentEvents(id = 'INC-20261130-02', day = '2026-11-30'): IncidentEvent[] {
  const t = (hm: string) => `${day}T${hm}:00+08:00`;
  return [
    e(t('09:00'), 'U9', { type: 'created', id, title: '网银登录异常', conversation: 'console:local' }),
    e(t('09:05'), 'bot', { type: 'grade-raised', from: null, to: '较大', effectiveAt: at(t('09:05')), basis: [] }),
  ];
}
