import { t, type Lang } from '../i18n/index.ts';
import { FIELDS } from '../incident/fields.ts';

/** `/incident help [commands|rules|fields]`. */
export function helpText(lang: Lang, topic?: string): string {
  const k = (topic ?? '').toLowerCase();
  if (k === 'rules' || k === '规则' || k === '口径') return t(lang, 'help.rules');
  if (k === 'fields' || k === '字段' || k === 'set' || k === '设置') {
    const lines = FIELDS.map((f) => `  ${f.path.replace('networks.N.', 'networks.0.')}  ${f.label[lang]}  (${f.aliases.slice(0, 3).join(' / ')})`);
    return `${t(lang, 'help.fieldsHead')}\n${lines.join('\n')}`;
  }
  return t(lang, 'help.commands');
}
