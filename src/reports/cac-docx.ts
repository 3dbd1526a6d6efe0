// The CAC initial report draft as a DOCX (to paste into, or attach beside, the official form): title, the note that
// it follows our summary of Art. 7 rather than the verbatim form, recipient and due time, then each item with its
// content or a visible 【待补充】 placeholder.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Lang } from '../i18n/index.ts';
import type { CacDraft } from './cac-draft.ts';
import { chineseNumber } from './draft.ts';
import { rt } from './messages.ts';

const FONT = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const HEADING = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const SIZE = 32; // 三号
const RED = 'C00000';

const run = (text: string, opts: { bold?: boolean; color?: string; font?: typeof FONT; size?: number } = {}) =>
  new TextRun({ text, font: opts.font ?? FONT, size: opts.size ?? SIZE, ...(opts.bold ? { bold: true } : {}), ...(opts.color ? { color: opts.color } : {}) });
const line = (children: TextRun[], indent = true) => new Paragraph({ children, ...(indent ? { indent: { firstLine: 640 } } : {}), spacing: { line: 560, lineRule: 'exact' as const } });

/** The draft's text lines before the items (subtitle, basis, recipient, due), as the text draft has them. */
function preamble(d: CacDraft): string[] {
  const lines = d.text.split('\n');
  return lines.slice(1, lines.indexOf(''));
}

export async function cacInitialDocx(d: CacDraft, institutionName: string, incidentId: string, lang: Lang = 'zh-CN'): Promise<Buffer> {
  const colon = lang === 'en' ? ': ' : '：';
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [run(d.title, { size: 44, font: { ...FONT, eastAsia: '方正小标宋简体' } })], spacing: { after: 400 } }),
    ...preamble(d).map((t) => line([run(t, { size: 24 })], false)),
  ];
  d.items.forEach((item, i) => {
    const num = lang === 'en' ? `${i + 1}. ` : `${chineseNumber(i + 1)}、`;
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(`${num}${item.label}`, { font: HEADING, color: '000000' })], indent: { firstLine: 640 }, keepNext: true }));
    if (item.value !== null) children.push(...item.value.split('\n').map((t) => line([run(t)])));
    else children.push(line([...(item.known ? [run(`${item.known} `)] : []), run(rt(lang, 'docx.placeholder'), { bold: true, color: RED }), ...(item.fill ? [run(`${colon}${item.fill}`, { size: 24 })] : [])]));
  });
  const doc = new Document({
    creator: institutionName, title: d.title, description: incidentId,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
