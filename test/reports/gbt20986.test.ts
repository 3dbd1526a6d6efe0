import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/incident/fields.ts';
import { categoryLabel, findSubCategory, GBT20986 } from '../../src/reports/gbt20986.ts';

describe('GB/T 20986-2023 classification', () => {
  it('the ten top-level categories, in the order and with the names of the record', () => {
    expect(GBT20986.map((c) => c.zh)).toEqual([
      '恶意程序事件', '网络攻击事件', '数据安全事件', '信息内容安全事件', '设备设施故障事件',
      '违规操作事件', '安全隐患事件', '异常行为事件', '不可抗力事件', '其他事件',
    ]);
    expect(GBT20986.map((c) => c.value)).toEqual(CATEGORIES.map((c) => c.value));
  });

  it('sub-categories: unique slugs, Chinese names ending in 事件, an "other" choice in every category that has any', () => {
    const all = GBT20986.flatMap((c) => c.sub);
    expect(new Set(all.map((x) => x.value)).size).toBe(all.length);
    for (const x of all) expect(x.zh, x.value).toMatch(/事件$/);
    for (const c of GBT20986) {
      if (c.value === 'other') expect(c.sub).toEqual([]);
      else expect(c.sub.at(-1)?.zh, c.value).toMatch(/^其他/);
    }
    expect(GBT20986.map((c) => c.sub.length)).toEqual([10, 21, 12, 8, 5, 9, 3, 3, 5, 0]);
  });

  it('finds a sub-category by slug, Chinese name (with or without 事件) or English name, only within its category', () => {
    expect(findSubCategory('malware', 'ransomware')?.zh).toBe('勒索软件事件');
    expect(findSubCategory('malware', '勒索软件')?.value).toBe('ransomware');
    expect(findSubCategory('attack', '拒绝服务事件')?.value).toBe('dos');
    expect(findSubCategory('attack', 'Denial of service')?.value).toBe('dos');
    expect(findSubCategory('equipment', 'ransomware')).toBeUndefined();
    expect(findSubCategory('other', '任何')).toBeUndefined();
  });

  it('labels: top level alone, with its sub-category, or a sub-category kept as typed', () => {
    expect(categoryLabel('attack', undefined, 'zh-CN')).toBe('网络攻击事件');
    expect(categoryLabel('attack', 'dos', 'zh-CN')).toBe('网络攻击事件—拒绝服务事件');
    expect(categoryLabel('attack', 'dos', 'en')).toBe('Network attack (网络攻击事件) / Denial of service (拒绝服务事件)');
    expect(categoryLabel('data', '内部人员违规查询', 'zh-CN')).toBe('数据安全事件—内部人员违规查询');
    expect(categoryLabel('nonsense', undefined, 'zh-CN')).toBeNull();
  });
});
