// GB/T 20986-2023 《信息安全技术 网络安全事件分类分级指南》: the ten categories (5.2) and their sub-categories.
// Art. 19 asks for the category "under the national classification standard"; the top level is
// CATEGORIES in src/incident/fields.ts (values shared), this file adds the sub-categories to choose from.
//
// Sub-category names are written from the 2023 text as we know it (10 / 21 / 12 / 8 / 5 / 9 / 3 / 3 / 5 / 0).
// Less certain: 违规操作事件's 版权违反事件 (some transcriptions fold it into 资源未授权使用事件), and the exact
// wording of a few names (e.g. "APT事件"). The standard's Appendix B codes are not reproduced here because we
// could not verify them. Every category keeps an "other" sub-category, so no incident is forced into a wrong box.
import { CATEGORIES, type Category } from '../incident/fields.ts';
import type { Lang } from '../i18n/index.ts';

export interface SubCategory {
  value: string; // slug, unique across all categories
  zh: string;
  en: string;
}

export interface CategoryDef {
  value: Category;
  zh: string;
  en: string;
  sub: readonly SubCategory[];
}

const s = (value: string, zh: string, en: string): SubCategory => ({ value, zh, en });

const SUB: Record<Category, readonly SubCategory[]> = {
  malware: [
    s('computer-virus', '计算机病毒事件', 'Computer virus'),
    s('worm', '网络蠕虫事件', 'Network worm'),
    s('trojan', '特洛伊木马事件', 'Trojan horse'),
    s('botnet', '僵尸网络事件', 'Botnet'),
    s('malicious-web-code', '恶意代码内嵌网页事件', 'Web page with embedded malicious code'),
    s('malicious-code-host', '恶意代码宿主站点事件', 'Malicious code hosting site'),
    s('ransomware', '勒索软件事件', 'Ransomware'),
    s('cryptomining', '挖矿病毒事件', 'Cryptomining malware'),
    s('hybrid-malware', '混合攻击程序事件', 'Hybrid attack program'),
    s('malware-other', '其他恶意程序事件', 'Other malware'),
  ],
  attack: [
    s('scanning', '网络扫描探测事件', 'Network scanning and probing'),
    s('phishing', '网络钓鱼事件', 'Phishing'),
    s('exploit', '漏洞利用事件', 'Vulnerability exploitation'),
    s('backdoor-use', '后门利用事件', 'Backdoor exploitation'),
    s('backdoor-implant', '后门植入事件', 'Backdoor implantation'),
    s('credential', '凭据攻击事件', 'Credential attack'),
    s('jamming', '信号干扰事件', 'Signal jamming'),
    s('dos', '拒绝服务事件', 'Denial of service'),
    s('defacement', '网页篡改事件', 'Web defacement'),
    s('hidden-links', '暗链植入事件', 'Hidden link implantation'),
    s('domain-hijack', '域名劫持事件', 'Domain hijacking'),
    s('domain-transfer', '域名转嫁事件', 'Domain redirection (转嫁)'),
    s('dns-pollution', 'DNS污染事件', 'DNS pollution'),
    s('wlan-hijack', 'WLAN劫持事件', 'WLAN hijacking'),
    s('traffic-hijack', '流量劫持事件', 'Traffic hijacking'),
    s('bgp-hijack', 'BGP劫持攻击事件', 'BGP hijacking'),
    s('broadcast-spoofing', '广播欺诈事件', 'Broadcast spoofing'),
    s('compromised-host', '失陷主机事件', 'Compromised host'),
    s('supply-chain', '供应链攻击事件', 'Supply-chain attack'),
    s('apt', 'APT事件', 'Advanced persistent threat (APT)'),
    s('attack-other', '其他网络攻击事件', 'Other network attack'),
  ],
  data: [
    s('data-tampering', '数据篡改事件', 'Data tampering'),
    s('data-forgery', '数据假冒事件', 'Data forgery'),
    s('data-leak', '数据泄露事件', 'Data leak'),
    s('social-engineering', '社会工程事件', 'Social engineering'),
    s('data-theft', '数据窃取事件', 'Data theft'),
    s('data-interception', '数据拦截事件', 'Data interception'),
    s('location-detection', '位置检测事件', 'Location detection'),
    s('data-poisoning', '数据投毒事件', 'Data poisoning'),
    s('data-abuse', '数据滥用事件', 'Data abuse'),
    s('privacy-violation', '隐私侵犯事件', 'Privacy violation'),
    s('data-loss', '数据损失事件', 'Data loss'),
    s('data-other', '其他数据安全事件', 'Other data security'),
  ],
  content: [
    s('subversive', '反动宣传事件', 'Subversive propaganda'),
    s('terror', '暴恐宣扬事件', 'Promotion of violence and terrorism'),
    s('pornography', '色情传播事件', 'Pornography distribution'),
    s('disinformation', '虚假信息传播事件', 'False information'),
    s('rights-infringement', '权益侵害事件', 'Infringement of rights'),
    s('spam', '信息滥发事件', 'Spam'),
    s('online-fraud', '网络欺诈事件', 'Online fraud'),
    s('content-other', '其他信息内容安全事件', 'Other information content security'),
  ],
  equipment: [
    s('technical-failure', '技术故障事件', 'Technical failure'),
    s('facility-failure', '配套设施故障事件', 'Supporting facility failure'),
    s('physical-damage', '物理损害事件', 'Physical damage'),
    s('radiation-interference', '辐射干扰事件', 'Radiation interference'),
    s('equipment-other', '其他设备设施故障事件', 'Other equipment or facility failure'),
  ],
  violation: [
    s('privilege-abuse', '权限滥用事件', 'Privilege abuse'),
    s('privilege-forgery', '权限伪造事件', 'Privilege forgery'),
    s('repudiation', '行为抵赖事件', 'Repudiation of actions'),
    s('intentional-violation', '故意违规操作事件', 'Intentional non-compliant operation'),
    s('misoperation', '误操作事件', 'Misoperation'),
    s('staff-availability', '人员可用性破坏事件', 'Breach of personnel availability'),
    s('unauthorized-use', '资源未授权使用事件', 'Unauthorised use of resources'),
    s('copyright', '版权违反事件', 'Copyright violation'),
    s('violation-other', '其他违规操作事件', 'Other non-compliant operation'),
  ],
  hazard: [
    s('vulnerability', '网络漏洞事件', 'Network vulnerability'),
    s('misconfiguration', '网络配置合规缺陷事件', 'Configuration compliance defect'),
    s('hazard-other', '其他安全隐患事件', 'Other security hazard'),
  ],
  abnormal: [
    s('access-anomaly', '访问异常事件', 'Access anomaly'),
    s('traffic-anomaly', '流量异常事件', 'Traffic anomaly'),
    s('abnormal-other', '其他异常行为事件', 'Other abnormal behaviour'),
  ],
  'force-majeure': [
    s('natural-disaster', '自然灾害事件', 'Natural disaster'),
    s('accident-disaster', '事故灾难事件', 'Accident disaster'),
    s('public-health', '公共卫生事件', 'Public health event'),
    s('social-security', '社会安全事件', 'Social security event'),
    s('force-majeure-other', '其他不可抗力事件', 'Other force majeure'),
  ],
  other: [], // 其他事件 has no sub-categories
};

/** The ten GB/T 20986-2023 categories, in the standard's order, each with its sub-categories. */
export const GBT20986: readonly CategoryDef[] = CATEGORIES.map((c) => ({ value: c.value, zh: c.zh, en: c.en, sub: SUB[c.value] }));

export function categoryDef(value: string): CategoryDef | undefined {
  return GBT20986.find((c) => c.value === value || c.zh === value);
}

/** Finds a sub-category of `category` by slug, Chinese name (with or without 事件) or English name. */
export function findSubCategory(category: string, input: string): SubCategory | undefined {
  const k = input.trim().toLowerCase();
  if (k === '') return undefined;
  return categoryDef(category)?.sub.find(
    (x) => x.value === k || x.zh === input.trim() || x.zh.replace(/事件$/, '') === input.trim() || x.en.toLowerCase() === k,
  );
}

/**
 * The category as a report states it: "网络攻击事件—拒绝服务事件" (or the top level alone).
 * A sub-category that does not belong to the category is shown as typed, so nothing is lost.
 */
export function categoryLabel(category: string, sub: string | undefined, lang: Lang): string | null {
  const def = categoryDef(category);
  if (!def) return null;
  const top = lang === 'en' ? `${def.en} (${def.zh})` : def.zh;
  if (sub === undefined || sub.trim() === '') return top;
  const found = findSubCategory(def.value, sub);
  const subText = found ? (lang === 'en' ? `${found.en} (${found.zh})` : found.zh) : sub.trim();
  return lang === 'en' ? `${top} / ${subText}` : `${top}—${subText}`;
}
