// `pboc-incident dossier <id> --out FILE [--at ISO] [--lang zh|en]`: the inspection dossier of one incident (the same
// ZIP the compliance page downloads) from the bot's store; prints its manifest (each file with its SHA-256) as JSON.
import { writeFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { botConfigOf, ConfigError, loadInstitutionConfig } from '../../src/config/institution.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { fold } from '../../src/incident/state.ts';
import { parseLang, type Lang } from '../../src/i18n/index.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { dossierZip } from '../../src/web/dossier.ts';
import { openExistingStore } from './ledger.ts';

export const DOSSIER_HELP = `pboc-incident dossier: the inspection dossier of one incident (Art. 25, 26), as a ZIP

Usage:
  pboc-incident dossier INC-YYYYMMDD-NN --out FILE [--at ISO_TIME] [--lang zh|en]

The ZIP holds the timeline as HTML, every report's content as sent, confirmations, corrections with their
reasons, reminders sent and acknowledgements, the ledger rows, the DOCX draft, the whole event log, and
manifest.json / manifest.txt with each file's SHA-256 (check with: unzip -d d FILE && cd d && sha256sum -c manifest.txt).
--at: the moment the dossier speaks of ("as of"; default now). The manifest is printed on stdout as JSON.
The store is the bot's: REDIS_URL when set, else SQLITE_PATH. Exit codes: 0 ok, 2 bad input, 1 store or internal error.
`;

export interface DossierCliDeps {
  env: Record<string, string | undefined>;
  nowMs: number;
  stdout(s: string): void;
  stderr(s: string): void;
}

export async function runDossier(args: readonly string[], d: DossierCliDeps): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    d.stdout(DOSSIER_HELP);
    return 0;
  }
  const opts: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--out' || a === '--at' || a === '--lang') {
      const v = args[i + 1];
      if (v === undefined) { d.stderr(`error: ${a} needs a value\n`); return 2; }
      opts[a] = v;
      i++;
    } else if (a.startsWith('--')) {
      d.stderr(`error: unknown flag ${a} (see dossier --help)\n`);
      return 2;
    } else positional.push(a);
  }
  const id = positional[0]?.toUpperCase();
  if (!id || positional.length > 1) { d.stderr('error: usage: pboc-incident dossier INC-YYYYMMDD-NN --out FILE\n'); return 2; }
  if (!opts['--out']) { d.stderr('error: --out FILE is required (the ZIP is binary)\n'); return 2; }
  const nowMs = opts['--at'] !== undefined ? parseIso(opts['--at']) : d.nowMs;
  if (Number.isNaN(nowMs)) { d.stderr(`error: --at: expected an ISO 8601 time, e.g. 2026-11-30T10:00+08:00, got "${opts['--at']}"\n`); return 2; }
  let lang: Lang = 'zh-CN';
  if (opts['--lang'] !== undefined) {
    const l = parseLang(opts['--lang']);
    if (!l) { d.stderr(`error: --lang must be zh or en, got "${opts['--lang']}"\n`); return 2; }
    lang = l;
  }
  let config;
  try {
    const loaded = loadInstitutionConfig(d.env);
    config = botConfigOf(loaded.config, loaded.bundledExample);
  } catch (e) {
    if (e instanceof ConfigError) { d.stderr(`error: ${e.message}\n`); return 2; }
    throw e;
  }
  let store;
  try {
    store = await openExistingStore(d.env, (m) => d.stderr(`${m}\n`));
  } catch (e) {
    d.stderr(`error: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const stored = await store.load(id);
    if (!stored) { d.stderr(`error: no incident ${id} in this store\n`); return 2; }
    const events = stored.events.map((e) => e.event as IncidentEvent);
    const zip = await dossierZip(fold(events), events, nowMs, lang, config);
    await writeFile(opts['--out'], zip);
    const manifest = JSON.parse(await (await JSZip.loadAsync(zip)).file('manifest.json')!.async('string')) as unknown;
    d.stdout(`${JSON.stringify(manifest, null, 2)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
