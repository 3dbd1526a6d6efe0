import type { Reply } from '../../src/conversation/types.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';
import { isTransient, type FeishuFileType, type Messenger } from './transport/api.ts';
import { UI } from './render.ts';
import { getThread } from './sender.ts';

/** A file Feishu has taken (im.file.create), waiting for the file message that shows it. */
export interface Uploaded { fileKey: string; incidentId: string; filename: string }

const FILE_TYPES: Record<string, FeishuFileType> = {
  doc: 'doc', docx: 'doc', pdf: 'pdf', xls: 'xls', xlsx: 'xls', ppt: 'ppt', pptx: 'ppt', mp4: 'mp4', opus: 'opus',
};

/** im.file.create's file_type for a file name: Word, PDF, Excel, PowerPoint, MP4 and Opus by extension, else `stream`. */
export function feishuFileType(filename: string): FeishuFileType {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return FILE_TYPES[ext] ?? 'stream';
}

/**
 * Uploads the replies' files. Runs before the card is sent, so that the card can say when a file did not go:
 * a failed upload puts an error line (in `lang`) after the file's 📎 line. Never throws.
 */
export async function uploadFiles(
  messenger: Messenger, replies: readonly Reply[], lang: Lang, log: (msg: string) => void,
): Promise<{ replies: Reply[]; uploaded: Uploaded[] }> {
  const shown: Reply[] = [];
  const uploaded: Uploaded[] = [];
  for (const r of replies) {
    shown.push(r);
    if (r.type !== 'file') continue;
    try {
      const fileKey = await messenger.uploadFile({ name: r.filename, type: feishuFileType(r.filename), data: r.data });
      uploaded.push({ fileKey, incidentId: r.incidentId, filename: r.filename });
    } catch (e) {
      log(`feishu: uploading ${r.filename} for ${r.incidentId} failed (${(e as Error).message})`);
      shown.push({ type: 'error', text: UI[lang].fileFailed(r.filename) });
    }
  }
  return { replies: shown, uploaded };
}

/**
 * Sends each uploaded file as a file message: under the incident's root message when that is in this chat,
 * else (no thread, a thread in another chat, or the reply refused for good) as a new message to the chat.
 * `uuid(i)` names the i-th file's message for Feishu's de-duplication (the new message's gets a `c` before it).
 * Returns the files Feishu took neither way. Never throws.
 */
export async function sendFiles(
  deps: { messenger: Messenger; store: Store; now: () => number; log: (msg: string) => void },
  chatId: string, uploaded: readonly Uploaded[], uuid: (i: number) => string,
): Promise<Uploaded[]> {
  const { messenger, log } = deps;
  const failed: Uploaded[] = [];
  for (const [i, f] of uploaded.entries()) {
    const message = { msgType: 'file', fileKey: f.fileKey } as const;
    try {
      const thread = await getThread(deps.store, f.incidentId, deps.now());
      if (thread && thread.chatId === chatId) {
        try {
          await messenger.reply(thread.messageId, message, { uuid: uuid(i) });
          continue;
        } catch (e) {
          if (isTransient(e)) throw e; // refused for now even after retries; the chat would refuse it too
          log(`feishu: sending ${f.filename} under ${thread.messageId} failed (${(e as Error).message}); posting to the chat instead`);
        }
      }
      await messenger.create(chatId, message, { uuid: `c${uuid(i)}` });
    } catch (e) {
      log(`feishu: sending ${f.filename} for ${f.incidentId} to ${chatId} failed (${(e as Error).message})`);
      failed.push(f);
    }
  }
  return failed;
}
