// CSRC's rule table: 《证券期货业网络安全事件报告与调查处理办法》 (证监会公告〔2021〕12号), from ../shared/docs/regimes.md; we do
// not hold the text, the summary is ours. An immediate phone report, then a written 网络安全事件情况报告书; its clocks
// [U]: the written report's clock is institution configuration with no known default (nothing runs until it is set).
// PBoC Art. 14 lets these firms reach PBoC through the CSRC 派出机构.
import { loc, type UnverifiedDefault } from '../common.ts';

export const MEASURE_ZH = '《证券期货业网络安全事件报告与调查处理办法》';
export const MEASURE_EN = 'CSRC Measures for Reporting, Investigating and Handling Cybersecurity Incidents in the Securities and Futures Industry';

export const WRITTEN_REPORT_HOURS: UnverifiedDefault = {
  key: 'csrc.writtenReportHours',
  default: null,
  unit: 'hours',
  about: loc('书面《网络安全事件情况报告书》自发现起的报送时限（小时，未核实，无默认值）', 'hours from discovery for the written incident report (unverified, no default)'),
};

export const UNVERIFIED: readonly UnverifiedDefault[] = [WRITTEN_REPORT_HOURS];
