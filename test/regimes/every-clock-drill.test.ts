// Every clock of the incident through the console (compiled build, drill clock): a bank that is a CII operator,
// regulated by NFRA, has 120万 records (PBoC) of 120万 persons (CAC) leaked with a 1,200万元 loss. The bot asks for
// records and persons separately; the card shows PBoC's obligations, then CAC's (1 h), NFRA's (5 working days),
// PIPL's and, once a crime is suspected, the police's, each with its article and recipient; each is reminded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { drillPosts, runDrill } from '../fakes/drill.ts';
import type { NodeRun } from '../fakes/run-node.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pboc-every-clock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundled example with a profile: a CII operator that NFRA regulates. */
function institutionFile(): string {
  const example = readFileSync(join(ROOT, 'config/institution.example.yaml'), 'utf8').replace(/^profile:[\s\S]*?(?=^\S)/m, '');
  const file = join(dir, 'institution.yaml');
  writeFileSync(file, `${example}\nprofile:\n  ciiOperator: true\n  ciiProtectionDepartment: 中国人民银行网络安全和信息化领导小组办公室\n  province: 上海\n  regulators: [nfra]\n  netCapitalYuan: 30000000000\n`);
  return file;
}

function drill(lines: string[], db = 'bot.db'): Promise<NodeRun> {
  return runDrill(dir, lines, { at: '2026-12-04T09:00+08:00', db, env: { INSTITUTION_CONFIG: institutionFile() } });
}

/** The card lines of one regime (`  • 【网信部门】…`) in a stretch of the output. */
function regimeLines(text: string, regime: string): string[] {
  return text.split('\n').filter((l) => l.trimStart().startsWith(`• 【${regime}】`));
}

/** A personal-information leak at a CII bank NFRA regulates: PBoC's, CAC's and PIPL's clocks all run from 09:00. */
const LEAK = [
  '/incident new 客户信息泄露',
  '/incident set occurredAt 08:40',
  '/incident set network 核心银行系统',
  '/incident set disrupted 否',
  '/incident set data.coreData 否',
  '/incident set data.importantData 否',
  '/incident set data.personalInfoIncident 是',
  '120万', // the records question (PBoC, 条)
  '120万', // the persons question (CAC, 人)
  '/incident set sensitive 0',
  '/incident set credit 0',
  '/incident set cac.directLossYuan 1200万元',
];

describe('every clock of one incident (console, compiled build, drill clock)', () => {
  it('asks records and persons apart; the card and the reminders carry PBoC, CAC, NFRA, PIPL and the police', async () => {
    const r = await drill([
      ...LEAK,
      '/incident status',
      '/incident set suspectedCrime 是',
      '/drill advance 2h',
      '/incident ack cac.initial',
      '/drill advance 8d',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    // Records and persons are two questions, in that order.
    const records = out.indexOf('泄露的个人信息（含敏感个人信息）共多少条？');
    const persons = out.indexOf('泄露的个人信息涉及多少人');
    expect(records).toBeGreaterThan(0);
    expect(persons).toBeGreaterThan(records);
    // The card before the crime is suspected: PBoC's deadlines, then CAC (1 h), NFRA (5 working days), PIPL; no police yet.
    const beforeCrime = out.slice(0, out.indexOf('• 【公安】'));
    expect(beforeCrime).toContain('事发简要报告');
    for (const regime of ['网信部门', '金融监管总局', '个人信息保护法']) expect(regimeLines(beforeCrime, regime).length, regime).toBeGreaterThan(0);
    expect(regimeLines(out, '公安').length).toBeGreaterThan(0);
    const cac = regimeLines(out, '网信部门');
    expect(cac.join('\n')).toContain('《国家网络安全事件报告管理办法》');
    expect(cac.join('\n')).toMatch(/截止 2026-12-04 10:\d\d（北京时间）/);
    expect(cac.join('\n')).toContain('报送：中国人民银行网络安全和信息化领导小组办公室和公安机关');
    const nfra = regimeLines(out, '金融监管总局');
    expect(nfra.join('\n')).toContain('《银行保险机构操作风险管理办法》第四十二条');
    expect(nfra.join('\n')).toContain('截止 2026-12-11 24:00（北京时间）'); // 5 working days from Friday 2026-12-04
    const pipl = regimeLines(out, '个人信息保护法');
    expect(pipl.join('\n')).toContain('《中华人民共和国个人信息保护法》第五十七条');
    expect(pipl.join('\n')).toContain('立即');
    const police = regimeLines(out, '公安');
    expect(police.join('\n')).toContain('向公安机关报案：及时（无固定时限）');
    expect(police.join('\n')).toContain('《中国人民银行业务领域网络安全事件报告管理办法》第四条；报送：公安机关');
    // Each is reminded, naming regime, article and recipient, with its own ack.
    const all = drillPosts(out);
    for (const [regime, ack] of [['网信部门', 'cac.'], ['金融监管总局', 'nfra.'], ['个人信息保护法', 'pipl.'], ['公安', 'police.']] as const) {
      const reminded = all.filter((p) => p.text.includes(`【${regime}】`));
      expect(reminded.length, regime).toBeGreaterThan(0);
      // Its own name on the acknowledge line, alone or beside the others falling due in the same minute.
      expect(reminded.some((p) => (/\/incident ack (\S+) DRILL-/.exec(p.text)?.[1] ?? '').split(',').some((n) => n.startsWith(ack))), regime).toBe(true);
    }
    expect(all.find((p) => p.text.includes('【网信部门】'))!.text).toContain('《国家网络安全事件报告管理办法》');
    // NFRA's working-day clock: reminded on working mornings before its due day, never on the weekend between.
    const nfraPosts = all.filter((p) => p.text.includes('【金融监管总局】'));
    expect(nfraPosts.map((p) => p.at.slice(0, 10))).not.toContain('2026-12-05');
    expect(nfraPosts.some((p) => p.text.includes('截止 2026-12-11 24:00'))).toBe(true);
    // The CAC reminder was acknowledged.
    expect(out).toContain('知悉“网信部门');
  }, 180_000);

  it('obligations falling due in the same minute are one post: five at 10:00, one acknowledge line and button for them all', async () => {
    const r = await drill([
      ...LEAK,
      '/drill advance 4h',
      '/incident ack brief，cac.initial，总结报吿 DRILL-20261204-01', // a name the bot does not know: nothing acknowledged
      '/incident ack brief，cac.initial, pipl.remedy DRILL-20261204-01',
    ], 'grouped.db');
    expect(r.code, r.stderr).toBe(0);
    const all = drillPosts(r.stdout);
    // Nineteen posts in the first four hours before, one per obligation and step; now one per minute.
    expect(all.map((p) => p.at.slice(11))).toEqual(['09:30', '09:50', '10:00', '10:30', '12:00']);
    const ten = all.find((p) => p.at.endsWith('10:00'))!;
    expect(ten.text.split('\n')[0]).toBe('⏰ DRILL-20261204-01 客户信息泄露：以下 5 项义务同时提醒，请逐项处理：');
    expect(ten.text.split('\n').filter((l) => /^\d\. /.test(l)).map((l) => l.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
    for (const what of ['事发简要报告现在到期', '【网信部门】向网信部门初次报告现在到期', '【个人信息保护法】立即采取补救措施', '【个人信息保护法】通知履行个人信息保护职责的部门', '【个人信息保护法】通知个人']) expect(ten.text).toContain(what);
    expect(ten.text.match(/⬆ 升级至/g)).toHaveLength(1);
    expect(ten.text.match(/知悉请回复/g)).toHaveLength(1);
    expect(ten.text).toContain('知悉请回复：/incident ack brief,cac.initial,pipl.remedy,pipl.notify-authority,pipl.notify-individuals DRILL-20261204-01');
    // Overdue: the header and each line keep ‼ and PBoC's 逾期未报属违规.
    const late = all.find((p) => p.at.endsWith('10:30'))!;
    expect(late.text.split('\n')[0]).toMatch(/^‼ DRILL-20261204-01 客户信息泄露：以下 5 项义务/);
    expect(late.text).toContain('1. ‼ 事发简要报告已逾期 30分钟');
    expect(late.text).toContain('逾期未报属违规');
    expect(all.find((p) => p.at.endsWith('12:00'))!.text.match(/⬆ 升级至主管网络安全的领导班子成员（第3级）/g)).toHaveLength(1);
    // A list with an unknown name acknowledges nothing and says which; a good list acknowledges each.
    expect(r.stdout).toContain('不认识的提醒义务“总结报吿”');
    expect(r.stdout).toContain('列表中有不认识的义务，未记录任何知悉。');
    const ok = r.stdout.slice(r.stdout.indexOf('知悉以下'));
    expect(ok).toMatch(/知悉以下 3 项义务的提醒：\n• “事发简要报告”：.*\n• “网信部门.*初次报告”：.*\n• “个人信息保护法.*补救措施”：/);
  }, 180_000);
});
