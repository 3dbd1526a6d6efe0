// NFRA's rule table: 《银行保险机构操作风险管理办法》 (国家金融监督管理总局令2023年第5号, in force 2024-07-01), Art. 42, from
// faithful copies (../shared/docs/regimes.md); the summary is ours, not the text.
//
// Art. 42 [F]: report to NFRA or its 派出机构 within 5 working days of knowing (知悉) when any of: expected loss
// ≥ 5000万元 or ≥ 5% of 资本净额; loss ≥ 1000万元 or ≥ 1% of 资本净额; important data, books or vouchers damaged, lost or
// leaked; an important information system fails or is attacked and interrupts branch or electronic-channel business
// ≥ 3 h in one province (the rest of that item [U]: not applied).
export const ORDER_ZH = '《银行保险机构操作风险管理办法》';
export const ORDER_EN = 'NFRA Measures for the Operational Risk Management of Banking and Insurance Institutions';
export const ARTICLE = 42;
export const WORKING_DAYS = 5;
const WAN = 10_000;
export const EXPECTED_LOSS_YUAN = 5000 * WAN;
export const EXPECTED_LOSS_PERCENT = 5;
export const LOSS_YUAN = 1000 * WAN;
export const LOSS_PERCENT = 1;
export const OUTAGE_MINUTES = 3 * 60;
// The 《银行保险机构数据安全管理办法》 (金规〔2024〕24号) grades data incidents; its reporting clock is [U] and not run.
