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

function drill(lines: string[]): Promise<NodeRun> {
  return runDrill(dir, lines, { at: '2026-12-04T09:00+08:00', env: { INSTITUTION_CONFIG: institutionFile() } });
}

/** The card lines of one regime (`  • 【网信部门】…`) in a stretch of the output. */
function regimeLines(text: string, regime: string): string[] {
  return text.split('\n').filter((l) => l.trimStart().startsWith(`• 【${regime}】`));
}

describe('every clock of one incident (console, compiled build, drill clock)', () => {
  it('asks records and persons apart; the card and the reminders carry PBoC, CAC, NFRA, PIPL and the police', async () => {
    const r = await drill([
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
      expect(reminded.some((p) => p.text.includes(`/incident ack ${ack}`)), regime).toBe(true);
    }
    expect(all.find((p) => p.text.includes('【网信部门】'))!.text).toContain('《国家网络安全事件报告管理办法》');
    // NFRA's working-day clock: reminded on working mornings before its due day, never on the weekend between.
    const nfraPosts = all.filter((p) => p.text.includes('【金融监管总局】'));
    expect(nfraPosts.map((p) => p.at.slice(0, 10))).not.toContain('2026-12-05');
    expect(nfraPosts.some((p) => p.text.includes('截止 2026-12-11 24:00'))).toBe(true);
    // The CAC reminder was acknowledged.
    expect(out).toContain('知悉“网信部门');
  }, 180_000);
});
