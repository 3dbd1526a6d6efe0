// The written post-incident report (Art. 17, 18 ¶2, 19 ¶3, 20-22) as a DOCX, laid out as an upward official
// document (GB/T 9704 conventions): red institution header with the signer (签发人), title, addressee, the
// Art. 19-22 sections, a bordered box for the official seal, the reporting institution and date, the reporter.
// Every section is present: with its content, or a visible 【待补充】 placeholder to complete before sealing.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  HeightRule,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { InstitutionConfig } from '../config/institution.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { IncidentState } from '../incident/state.ts';
import type { ItemId } from '../regimes/pboc-2025-4/contents.ts';
import { SHANGHAI_OFFSET_MS } from '../calendar/time.ts';
import { chineseNumber, draftItems, draftTitle, type DraftItem } from './draft.ts';

// Fonts of Chinese official documents; Word substitutes when one is not installed.
const BODY_FONT = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const HEADING_FONT = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const TITLE_FONT = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const BODY_SIZE = 32; // half-points: 16 pt, 三号
const TITLE_SIZE = 44; // 22 pt, 二号
const RED = 'C00000';
const TWIPS_PER_MM = 56.7;

// Closing items: the 落款 and 附注 rather than numbered sections.
const CLOSING: ReadonlySet<ItemId> = new Set(['reportingInstitution', 'reporter', 'signer']);

const body = (text: string, opts: { bold?: boolean; color?: string; size?: number } = {}) =>
  new TextRun({ text, font: BODY_FONT, size: opts.size ?? BODY_SIZE, ...(opts.bold ? { bold: true } : {}), ...(opts.color ? { color: opts.color } : {}) });

const para = (children: TextRun[], opts: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean } = {}) =>
  new Paragraph({
    children,
    ...(opts.align ? { alignment: opts.align } : {}),
    ...(opts.indent ? { indent: { firstLine: 640 } } : {}), // two characters of 三号
    spacing: { line: 560, lineRule: 'exact' as const }, // 28 pt lines, as official documents are set
  });

function shanghaiYmd(ms: number): { y: number; m: number; d: number } {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

/** A value as paragraphs (one per line), or the visible placeholder. */
function valueParagraphs(item: Pick<DraftItem, 'value' | 'known' | 'assumedNone'>, lang: Lang): Paragraph[] {
  // The written report says 无, not the bot's own note that it was not given.
  if (item.assumedNone) return [para([body(t(lang, 'sent.none'))], { indent: true })];
  if (item.value === null) {
    const known = item.known !== undefined ? [body(`${item.known} `)] : [];
    return [para([...known, body(t(lang, 'docx.placeholder'), { bold: true, color: RED })], { indent: true })];
  }
  return item.value.split('\n').map((line) => para([body(line)], { indent: true }));
}

function heading(text: string): Paragraph {
  return new Paragraph({
    heading: HeadingLevel.HEADING_1,
    children: [new TextRun({ text, font: HEADING_FONT, size: BODY_SIZE, color: '000000' })],
    indent: { firstLine: 640 },
    spacing: { line: 560, lineRule: 'exact' as const, before: 0, after: 0 },
    keepNext: true,
  });
}

function sealBox(lang: Lang): Table {
  const side = Math.round(42 * TWIPS_PER_MM); // a 42 mm square: room for a round official seal
  const border = { style: BorderStyle.SINGLE, size: 8, color: '000000' };
  return new Table({
    alignment: AlignmentType.RIGHT,
    width: { size: side, type: WidthType.DXA },
    columnWidths: [side],
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({
        height: { value: side, rule: HeightRule.EXACT },
        children: [
          new TableCell({
            width: { size: side, type: WidthType.DXA },
            verticalAlign: VerticalAlign.CENTER,
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [body(t(lang, 'docx.seal'))] }),
            ],
          }),
        ],
      }),
    ],
  });
}

/** The DOCX of the post-incident report, ready to print, sign, seal and send (Art. 18 ¶2). */
export async function finalReportDocx(s: IncidentState, nowMs: number, config: InstitutionConfig, lang: Lang = 'zh-CN', kind: 'final' | 'revision' = 'final'): Promise<Buffer> {
  // Art. 23: the revision after PBoC's feedback is the same sealed written report, revised.
  const items = draftItems(kind, s, nowMs, config, lang);
  const byId = new Map(items.map((i) => [i.id, i]));
  const basics = draftItems('brief', s, nowMs, config, lang).filter((i) => ['occurredAt', 'category', 'networks', 'dataCentres'].includes(i.id));
  const colon = lang === 'en' ? ': ' : '：';
  const num = (n: number) => (lang === 'en' ? `${n}. ` : `${chineseNumber(n)}、`);
  const signer = byId.get('signer');
  const reporter = byId.get('reporter');
  const placeholder = t(lang, 'docx.placeholder');

  const children: Array<Paragraph | Table> = [
    // 版头: the issuing institution in red, the signer on the right (upward documents name the signer, GB/T 9704).
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: config.institution.name, font: TITLE_FONT, size: 52, color: RED, bold: true })],
      spacing: { after: 240 },
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 4 } },
      children: [body(`${t(lang, 'docx.signer')}${colon}`), body(signer?.value ?? placeholder, signer?.value ? {} : { bold: true, color: RED })],
    }),
    new Paragraph({ children: [] }),
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: draftTitle(kind, s, config, lang), font: TITLE_FONT, size: TITLE_SIZE, color: '000000' })],
      spacing: { after: 400 },
    }),
    para([body(`${config.recipients[0]?.name ?? ''}${colon}`)]),
    para([body(t(lang, 'docx.intro', { title: s.title || s.id, id: s.id }))], { indent: true }),
  ];

  let n = 1;
  children.push(heading(`${num(n++)}${t(lang, 'docx.basics')}`));
  for (const b of basics) {
    children.push(para([body(`${b.label}${colon}`), ...(b.value === null ? [body(placeholder, { bold: true, color: RED })] : [body(b.value)])], { indent: true }));
  }
  for (const item of items) {
    if (CLOSING.has(item.id)) continue;
    children.push(heading(`${num(n++)}${item.label}`), ...valueParagraphs(item, lang));
  }

  // 落款: the seal box, then the reporting institution and date; 附注: the reporter and contact.
  const date = t(lang, 'docx.date', shanghaiYmd(nowMs));
  children.push(
    new Paragraph({ children: [] }),
    sealBox(lang),
    para([body(`${t(lang, 'docx.reportingInstitution')}${colon}${config.institution.name}`)], { align: AlignmentType.RIGHT }),
    para([body(`${t(lang, 'docx.reportTime')}${colon}${date}`)], { align: AlignmentType.RIGHT }),
    new Paragraph({ children: [] }),
    para([body(`${t(lang, 'docx.reporter')}${colon}`), ...(reporter?.value ? [body(reporter.value)] : [body(placeholder, { bold: true, color: RED })])]),
  );

  const doc = new Document({
    creator: config.institution.name,
    title: draftTitle(kind, s, config, lang),
    description: s.id,
    styles: { default: { document: { run: { font: BODY_FONT, size: BODY_SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 }, // A4
            margin: { top: Math.round(37 * TWIPS_PER_MM), bottom: Math.round(35 * TWIPS_PER_MM), left: Math.round(28 * TWIPS_PER_MM), right: Math.round(26 * TWIPS_PER_MM) },
          },
        },
        headers: { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [body(`${config.institution.name}  ${s.id}`, { size: 18 })] })] }) },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ font: BODY_FONT, size: 24, children: [t(lang, 'docx.pageBefore'), PageNumber.CURRENT, t(lang, 'docx.pageMiddle'), PageNumber.TOTAL_PAGES, t(lang, 'docx.pageAfter')] }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
